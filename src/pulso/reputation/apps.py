from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReputationConfig(AppConfig):
    name = "pulso.reputation"
    label = "reputation"
    verbose_name = _("Brand reputation")

    def ready(self) -> None:
        from pulso.core import events, scheduler
        from pulso.customers.erasure import register_eraser
        from pulso.feedback.events import RECORDED
        from pulso.reputation.erasure import erase_mentions

        register_eraser(erase_mentions)

        # Reviews and posts stored by any path (API, file import, feeds) become mentions.
        events.subscribe(RECORDED, "pulso.reputation.subscribers.record_mentions")
        scheduler.register("reputation.feeds", "*/30 * * * *", "pulso.reputation.jobs.poll_feeds")
