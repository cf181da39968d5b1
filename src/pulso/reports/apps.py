from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pulso.reports"
    label = "reports"
    verbose_name = _("Scheduled reports")

    def ready(self) -> None:
        from pulso.core import scheduler

        # Monday morning: the week that ended on Sunday.
        scheduler.register("reports.weekly", "0 7 * * 1", "pulso.reports.jobs.weekly")
        scheduler.register("reports.retry", "*/5 * * * *", "pulso.reports.jobs.retry")
