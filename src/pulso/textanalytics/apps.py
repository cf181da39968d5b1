from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextanalyticsConfig(AppConfig):
    name = "pulso.textanalytics"
    label = "textanalytics"
    verbose_name = _("Text analytics")
