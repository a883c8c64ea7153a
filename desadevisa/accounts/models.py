"""People who use the platform, the roles and scopes they hold, and how they get in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    VERIFIER = "verifier", _("Verifier")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    ORGANISATION_MANAGER = "organisation_manager", _("Cooperative or craft-unit manager")


# A provincial officer acts in one province, a manager for one organisation; the national roles
# take neither. Role assignments and invitations (which become assignments) share this rule.
SCOPE_MATCHES_ROLE = (
    Q(role=Role.PROVINCIAL_OFFICER, province__isnull=False, organisation__isnull=True)
    | Q(role=Role.ORGANISATION_MANAGER, organisation__isnull=False, province__isnull=True)
    | Q(
        role__in=[Role.ADMINISTRATOR, Role.PROGRAMME_OFFICER, Role.VERIFIER],
        province__isnull=True,
        organisation__isnull=True,
    )
)
SCOPE_MISMATCH_MESSAGE = _(
    "The scope does not suit the role: a provincial officer needs a province, a manager an "
    "organisation, and the other roles neither."
)


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    is_demo = models.BooleanField(_("demonstration account"), default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class RoleAssignment(models.Model):
    """One role held by a user; its scope (province or organisation) is data, not code."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    province = models.ForeignKey(
        "regions.Province",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("province"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=SCOPE_MATCHES_ROLE,
                violation_error_message=SCOPE_MISMATCH_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        scope = self.province or self.organisation
        return f"{self.get_role_display()} ({scope})" if scope else self.get_role_display()


class Invitation(models.Model):
    """An offer of one role to a person without an account, accepted once through a link.

    Only the SHA-256 of the link's token is stored; the token itself exists only in the e-mail.
    """

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    province = models.ForeignKey(
        "regions.Province",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("province"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    # Empty until the e-mail is sent: the sending task draws the token, so that it never has
    # to travel through the task queue.
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                name="invitation_scope_matches_role",
                condition=SCOPE_MATCHES_ROLE,
                violation_error_message=SCOPE_MISMATCH_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PersonalAccessToken(models.Model):
    """A secret a person creates to call the API as themselves, until it expires or is revoked.

    Only the SHA-256 of the token is stored, and its first characters to recognise it by.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired
