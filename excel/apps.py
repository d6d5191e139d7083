from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExcelConfig(AppConfig):
    name = "excel"
    verbose_name = _("Impor dan ekspor Excel")
