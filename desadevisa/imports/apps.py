from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "desadevisa.imports"
    verbose_name = _("Spreadsheet imports")
