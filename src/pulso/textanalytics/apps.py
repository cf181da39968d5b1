from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TextanalyticsConfig(AppConfig):
    name = "pulso.textanalytics"
    label = "textanalytics"
    verbose_name = _("Text analytics")

    def ready(self) -> None:
        from pulso.core import events, scheduler
        from pulso.feedback.events import RECORDED
        from pulso.textanalytics import signals

        events.subscribe(RECORDED, "pulso.textanalytics.subscribers.analyse_recorded")
        from pulso.customers.erasure import register_eraser
        from pulso.textanalytics.erasure import erase_aspect_clauses, erase_key_phrases

        register_eraser(erase_key_phrases)
        register_eraser(erase_aspect_clauses)
        post_migrate.connect(signals.load_taxonomy_after_migrate, sender=self)
        jobs = "pulso.textanalytics.jobs"
        # Comments no event reached (demo data, a lost task): before the loop's daily rules.
        scheduler.register("textanalytics.analyse_pending", "30 6 * * *", f"{jobs}.analyse_pending")
        scheduler.register(
            "textanalytics.retrain_sentiment", "30 3 * * 1", f"{jobs}.retrain_sentiment"
        )
        scheduler.register(
            "textanalytics.find_emerging_themes", "0 5 * * 1", f"{jobs}.find_emerging_themes"
        )
