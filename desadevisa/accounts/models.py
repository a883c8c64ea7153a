"""People who use the platform, and the roles and scopes they hold."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    VERIFIER = "verifier", _("Verifier")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    ORGANISATION_MANAGER = "organisation_manager", _("Cooperative or craft-unit manager")


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
                condition=(
                    Q(
                        role=Role.PROVINCIAL_OFFICER,
                        province__isnull=False,
                        organisation__isnull=True,
                    )
                    | Q(
                        role=Role.ORGANISATION_MANAGER,
                        organisation__isnull=False,
                        province__isnull=True,
                    )
                    | Q(
                        role__in=[Role.ADMINISTRATOR, Role.PROGRAMME_OFFICER, Role.VERIFIER],
                        province__isnull=True,
                        organisation__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.province or self.organisation
        return f"{self.get_role_display()} ({scope})" if scope else self.get_role_display()
