from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomicsConfig(AppConfig):
    name = "pulso.economics"
    label = "economics"
    verbose_name = _("CX economics")
