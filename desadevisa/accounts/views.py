"""Account pages: signing in and out, two-factor, passwords, invitations, profile and tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from desadevisa.accounts.decorators import StaffRequiredMixin, staff_required
from desadevisa.accounts.exceptions import (
    AccountError,
    InvitationUnusable,
    PasswordResetRateLimited,
    PasswordResetUnavailable,
    UsernameTaken,
)
from desadevisa.accounts.forms import (
    InvitationAcceptForm,
    InvitationCreateForm,
    OTPCodeForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetRequestForm,
    PasswordSetForm,
    SignInForm,
    TokenCreateForm,
)
from desadevisa.accounts.models import Invitation, Role
from desadevisa.accounts.reauthentication import password_confirmed, recent_password_required
from desadevisa.accounts.redirects import safe_next_url, two_factor_step_url
from desadevisa.accounts.scopes import two_factor_required, user_scope
from desadevisa.accounts.selectors import (
    invitation_get_for_token,
    otp_device_get,
    role_assignment_list,
    token_get,
    token_list,
)
from desadevisa.accounts.services import (
    INVITING_ROLES,
    invitation_accept,
    invitation_create,
    otp_device_confirm,
    otp_device_prepare,
    otp_device_verify,
    password_reset_request,
    token_create,
    token_revoke,
)
from desadevisa.accounts.two_factor import totp_qr_data_uri, totp_secret_text
from desadevisa.audit.middleware import request_client_address


class SignInView(auth_views.LoginView):
    """The password step; next goes to the code step when the account requires one."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        # The password just typed also opens the sensitive pages for REAUTHENTICATION_MINUTES.
        password_confirmed(self.request.session)
        return response

    def get_success_url(self) -> str:
        next_url = super().get_success_url()
        # Every sign-in of such an account passes the code step, which lets a session that
        # confirmed a code before (a person signing in again) straight through.
        if two_factor_required(self.request.user):
            return two_factor_step_url(self.request.user, next_url)
        return next_url


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView); ends the session on the server."""

    next_page = "accounts:login"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, gettext("You are signed out."))
        return response


@never_cache
@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """The code step after the password; wrong codes count towards django-otp's back-off."""
    next_url = safe_next_url(request)
    device = otp_device_get(user=request.user)
    if device is None:
        return redirect(two_factor_step_url(request.user, next_url))
    if request.user.is_verified():
        return redirect(next_url)
    form = OTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            otp_device_verify(device=device, code=form.cleaned_data["code"])
        except AccountError as error:
            form.add_error("code", error.message)
        else:
            _second_factor_confirmed(request, device)
            return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: QR code and key, then one code to confirm it."""
    next_url = safe_next_url(request)
    # Setting up a new device is for accounts without one: anyone who has a device proves it
    # first, or a stolen password would be enough to add the thief's phone.
    if otp_device_get(user=request.user) is not None:
        return redirect(two_factor_step_url(request.user, next_url))
    device = otp_device_prepare(user=request.user)
    form = OTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            confirmed = otp_device_confirm(device=device, code=form.cleaned_data["code"])
        except AccountError as error:
            form.add_error("code", error.message)
        else:
            _second_factor_confirmed(request, confirmed)
            messages.success(request, gettext("Two-factor sign-in is set up."))
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "qr_data_uri": totp_qr_data_uri(device),
        "secret": totp_secret_text(device),
    }
    return render(request, "accounts/otp_setup.html", context)


def _second_factor_confirmed(request: HttpRequest, device) -> None:
    # A new session key once the code is confirmed, as at the password step (ASVS 7.2.4): a
    # key seen before the code was typed must not carry the confirmed session.
    otp_login(request, device)
    request.session.cycle_key()


class PasswordChangeView(StaffRequiredMixin, SuccessMessageMixin, auth_views.PasswordChangeView):
    """Keeps this session and its two-factor confirmation; every other session ends."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your password is changed. Your other sessions are signed out.")


@never_cache
def password_reset_view(request: HttpRequest) -> HttpResponse:
    """Answers the same whether or not the address belongs to an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if form.is_valid():
        try:
            password_reset_request(
                email=form.cleaned_data["email"],
                client_address=request_client_address(request),
            )
        except PasswordResetRateLimited as error:
            form.add_error(None, error.message)
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
        except PasswordResetUnavailable as error:
            form.add_error(None, error.message)
            return render(request, "accounts/password_reset.html", {"form": form}, status=503)
        return redirect("accounts:password-reset-done")
    return render(request, "accounts/password_reset.html", {"form": form})


@never_cache
@staff_required
def reauthenticate_view(request: HttpRequest) -> HttpResponse:
    """Type the password again before a sensitive action, then go on to ``next``."""
    next_url = safe_next_url(request)
    form = PasswordConfirmForm(request.POST or None, request=request)
    if form.is_valid():
        # A new session key on every authentication, re-authentication included (ASVS 7.2.4).
        request.session.cycle_key()
        password_confirmed(request.session)
        return redirect(next_url)
    context = {"form": form, "next": next_url, "minutes": settings.REAUTHENTICATION_MINUTES}
    return render(request, "accounts/reauthenticate.html", context)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets the new password and never signs in: the next sign-in still asks for the code."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordSetForm
    post_reset_login = False
    success_url = reverse_lazy("accounts:password-reset-complete")


@staff_required
@recent_password_required
def invitation_create_view(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user)
    if not scope.has_role(*INVITING_ROLES):
        raise Http404
    form = InvitationCreateForm(
        request.POST or None, can_invite_administrators=scope.has_role(Role.ADMINISTRATOR)
    )
    if form.is_valid():
        try:
            invitation = invitation_create(
                invited_by=request.user,
                **form.cleaned_data,
            )
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _invitation_sent_message(invitation))
            return redirect("accounts:invitation-create")
    return render(request, "accounts/invitation_create.html", {"form": form})


def _invitation_sent_message(invitation: Invitation) -> str:
    return gettext("An invitation is on its way to %(email)s; the link works until %(date)s.") % {
        "email": invitation.email,
        "date": formats.date_format(timezone.localtime(invitation.expires_at)),
    }


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a username and password; a used, expired or unknown link gets a page saying so."""
    try:
        invitation = invitation_get_for_token(token=token)
    except InvitationUnusable as error:
        return _invitation_unusable(request, error)
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if form.is_valid():
        try:
            invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        # Used or expired since the form was shown.
        except InvitationUnusable as error:
            return _invitation_unusable(request, error)
        except AccountError as error:
            form.add_error("username" if isinstance(error, UsernameTaken) else None, error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your account is ready. Sign in with it now."))
            return redirect("accounts:login")
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)


def _invitation_unusable(request: HttpRequest, error: InvitationUnusable) -> HttpResponse:
    context = {"error": error}
    return render(request, "accounts/invitation_unusable.html", context, status=error.status)


@staff_required
def profile_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request, TokenCreateForm()))


def _profile_context(request: HttpRequest, token_form: TokenCreateForm) -> dict[str, object]:
    user = request.user
    return {
        "role_assignments": role_assignment_list(user=user),
        "device": otp_device_get(user=user),
        "two_factor_required": two_factor_required(user),
        "can_invite": user_scope(user).has_role(*INVITING_ROLES),
        "tokens": token_list(user=user),
        "token_form": token_form,
    }


@never_cache
@staff_required
@recent_password_required
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    """Shows the raw token once, in this response only: it is never stored or sent again."""
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except AccountError as error:
            form.add_error("valid_for", error.message)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    context = _profile_context(request, form)
    return render(request, "accounts/profile.html", context, status=400)


@staff_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # The token is looked up before the method is checked: someone else's token answers 404
    # whatever the method, so a 405 cannot reveal that it exists.
    token = token_get(user=request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token_revoke(user=request.user, token=token)
    if request.htmx:
        context = _profile_context(request, TokenCreateForm())
        return render(request, "accounts/profile.html#tokens", context)
    return redirect("accounts:profile")
