from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "pulso.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from pulso.core import scheduler

        # Yesterday is complete by then; the drop test needs whole days.
        scheduler.register("alerts.drops", "30 6 * * *", "pulso.alerts.jobs.detect_drops")
        # After the drops: yesterday's comments were analysed during the day.
        scheduler.register("alerts.spikes", "40 6 * * *", "pulso.alerts.jobs.detect_spikes")
        # Watched words reach their subscribers within minutes of the comment arriving.
        scheduler.register("alerts.digest", "0 7 * * *", "pulso.alerts.jobs.digest")
        scheduler.register("alerts.words", "*/5 * * * *", "pulso.alerts.jobs.watch_words")
