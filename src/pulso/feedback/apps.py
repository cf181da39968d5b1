from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "pulso.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from pulso.core import events
        from pulso.customers.erasure import register_eraser
        from pulso.customers.history import register_history_source
        from pulso.feedback import signals  # noqa: F401  (connects the receivers)
        from pulso.feedback.erasure import erase_feedback

        register_eraser(erase_feedback)
        from pulso.core import retention
        from pulso.feedback.retention import erase_inactive_customers, mask_comment_details

        retention.register("comment_details", mask_comment_details)
        retention.register("personal_data", erase_inactive_customers)
        from pulso.feedback.customer_history import SOURCES
        from pulso.feedback.events import ANALYSED, RECORDED

        # Records announced one by one (survey submissions) reach their consumers in batches.
        events.merge_lists(RECORDED, "feedback_ids")
        events.merge_lists(ANALYSED, "feedback_ids")

        for source in SOURCES:
            register_history_source(source)
