from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "desadevisa.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from desadevisa.core import bounds, checks  # noqa: F401  (checks registers the system checks)

        bounds.install()
