"""Input of the account pages: sign-in, codes, passwords, invitations and tokens."""

from datetime import datetime, timedelta

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desadevisa.accounts.models import Invitation, Role, User
from desadevisa.accounts.services import user_password_change
from desadevisa.regions.models import Province
from desadevisa.registry.models import Organisation


class SignInForm(auth_forms.AuthenticationForm):
    """Username or e-mail address, and password; django-axes counts the failures."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "This username or e-mail address and password do not match an active account. "
            "Both may be case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username or e-mail address")

    def clean_username(self) -> str:
        login = self.cleaned_data["username"]
        if "@" not in login:
            return login
        # An address stands for its account's username, so a lockout counts both together; an
        # unknown address stays as typed and fails like an unknown username.
        username = (
            User.objects.filter(email__iexact=login).values_list("username", flat=True).first()
        )
        return username or login


class OTPCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows."""

    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(
                _("Enter the 6 digits your authenticator app shows for Desa Devisa.")
            )
        return code


class PasswordConfirmForm(forms.Form):
    """The current password of the signed-in person, checked as a sign-in would be.

    The check goes through authenticate() with the request, so django-axes counts a wrong
    password as a failed sign-in and a locked-out account cannot confirm at all.
    """

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        confirmed = authenticate(self.request, username=user.get_username(), password=password)
        if confirmed is None or confirmed.pk != user.pk:
            raise forms.ValidationError(
                _("This is not the password of your account. Enter the password you sign in with.")
            )
        return password


class _SavedThroughService:
    """Django's password forms, saving through user_password_change (with its audit event)."""

    def save(self, commit: bool = True) -> User:
        return user_password_change(user=self.user, password=self.cleaned_data["new_password1"])


class PasswordChangeForm(_SavedThroughService, auth_forms.PasswordChangeForm):
    """The current password, then the new one twice."""


class PasswordSetForm(_SavedThroughService, auth_forms.SetPasswordForm):
    """The new password twice, after following a reset link."""


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class InvitationCreateForm(forms.Form):
    """Who is invited, as what, and where. Permission and scope rules are the service's."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"))
    province = forms.ModelChoiceField(
        Province.objects.order_by("name"),
        label=_("Province"),
        required=False,
        help_text=_("For a provincial officer only."),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.order_by("legal_name"),
        label=_("Organisation"),
        required=False,
        help_text=_("For a cooperative or craft-unit manager only."),
    )

    def __init__(self, *args, can_invite_administrators: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if can_invite_administrators or value != Role.ADMINISTRATOR
        ]


class InvitationAcceptForm(auth_forms.SetPasswordMixin, forms.Form):
    """The username and password of the account an invitation creates."""

    username = auth_forms.UsernameField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields()

    def __init__(self, *args, invitation: Invitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self) -> dict:
        self.validate_passwords()
        self.validate_password_for_user(
            User(username=self.cleaned_data.get("username", ""), email=self.invitation.email)
        )
        return super().clean()


class TokenCreateForm(forms.Form):
    """A name to recognise a new personal access token by, and how long it stays valid."""

    VALIDITY_DAYS = [
        (30, _("30 days")),
        (90, _("90 days")),
        (180, _("180 days")),
        (365, _("1 year")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monthly export report script”."),
    )
    valid_for = forms.TypedChoiceField(
        label=_("Valid for"), choices=VALIDITY_DAYS, coerce=int, initial=90
    )

    def expires_at(self) -> datetime:
        return timezone.now() + timedelta(days=self.cleaned_data["valid_for"])
