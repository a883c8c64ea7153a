"""The admin site: administrators only, in a session confirmed with a one-time code."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from desadevisa.accounts.models import Role
from desadevisa.accounts.redirects import two_factor_step_url
from desadevisa.accounts.scopes import two_factor_pending, user_scope


class AdminSite(OTPAdminSite):
    """django-otp's admin site, opened only to the administrator role.

    Installed as ``admin.site`` through AdminConfig.default_site, so every app's admin
    registrations land here. Sign-in goes through the site's own sign-in and code pages, the
    ones every other page uses.
    """

    site_header = "Desa Devisa"
    site_title = "Desa Devisa"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and user_scope(request.user).has_role(
            Role.ADMINISTRATOR
        )

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if self.has_permission(request):
            return redirect(index)
        if request.user.is_authenticated and two_factor_pending(request.user):
            return redirect(two_factor_step_url(request.user, next_url))
        # The sign-in page checks next_url before following it.
        return redirect_to_login(next_url)
