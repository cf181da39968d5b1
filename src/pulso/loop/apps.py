from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoopConfig(AppConfig):
    name = "pulso.loop"
    label = "loop"
    verbose_name = _("Closed loop")
