from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "desadevisa.showcase"
    verbose_name = _("Showcase")

    def ready(self) -> None:
        from desadevisa.showcase import signals

        signals.connect()
