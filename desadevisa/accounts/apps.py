from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "desadevisa.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from desadevisa.accounts import signals  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with the administrators-only, two-factor site as ``admin.site``.

    Named in INSTALLED_APPS instead of "django.contrib.admin".
    """

    # Not the configuration of this module's own app (desadevisa.accounts).
    default = False
    default_site = "desadevisa.accounts.sites.AdminSite"
