from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "pulso.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        from pulso.core import bulk, events, scheduler
        from pulso.feedback.events import ANALYSED, RECORDED
        from pulso.metrics import signals  # noqa: F401  (connects the receivers)

        events.subscribe(RECORDED, "pulso.metrics.subscribers.refresh_recorded")
        events.subscribe(RECORDED, "pulso.metrics.subscribers.index_recorded")
        from pulso.customers.erasure import register_eraser
        from pulso.metrics.erasure import reindex_erased

        register_eraser(reindex_erased, after_sweep=True)
        from pulso.core import retention
        from pulso.metrics.search_index import forget_removed_words

        retention.after_expiry(forget_removed_words)
        # Analysed and negative comments are counted too.
        events.subscribe(ANALYSED, "pulso.metrics.subscribers.refresh_recorded")
        # Responses inserted in bulk skip the change-log trigger: their days are logged per batch.
        bulk.after_bulk_insert(
            "surveys.Response", "pulso.metrics.aggregates.log_inserted_responses"
        )
        scheduler.register("metrics.refresh", "*/5 * * * *", "pulso.metrics.jobs.refresh")
