from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoopConfig(AppConfig):
    name = "pulso.loop"
    label = "loop"
    verbose_name = _("Closed loop")

    def ready(self) -> None:
        from pulso.core import events, scheduler
        from pulso.feedback.events import ANALYSED, RECORDED

        events.subscribe(RECORDED, "pulso.loop.subscribers.apply_rules_to_recorded")
        events.subscribe(ANALYSED, "pulso.loop.subscribers.apply_rules_to_recorded")
        from pulso.audits.events import CRITICAL_FAILED

        events.subscribe(CRITICAL_FAILED, "pulso.loop.audit_cases.open_cases_for_failed_visits")
        from pulso.customers.erasure import register_eraser
        from pulso.loop.erasure import erase_cases

        register_eraser(erase_cases)
        scheduler.register("loop.monitor_slas", "*/15 * * * *", "pulso.loop.jobs.monitor_slas")
        scheduler.register("loop.retry_deliveries", "* * * * *", "pulso.loop.jobs.retry_deliveries")
        # Rules, SLAs and digests; for the rules, the safety net of the subscribers above.
        scheduler.register("loop.daily", "0 7 * * *", "pulso.loop.jobs.daily")
