from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "desadevisa.inquiries"
    verbose_name = _("Buyer inquiries")

    def ready(self) -> None:
        from desadevisa.inquiries import signals

        signals.connect()
