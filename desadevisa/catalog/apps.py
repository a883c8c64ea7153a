from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "desadevisa.catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        # Connects the receivers that keep search documents current when regions are renamed.
        from desadevisa.catalog import search  # noqa: F401
