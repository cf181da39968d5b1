from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "pulso.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        from pulso.metrics import signals  # noqa: F401  (connects the receivers)
