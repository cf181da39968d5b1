from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "pulso.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from pulso.customers.history import register_history_source
        from pulso.feedback.customer_history import SOURCES

        for source in SOURCES:
            register_history_source(source)
