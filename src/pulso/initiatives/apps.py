from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "pulso.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")
