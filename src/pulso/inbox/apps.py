from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "pulso.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from pulso.core import scheduler

        scheduler.register("inbox.mail", "* * * * *", "pulso.inbox.jobs.fetch_mail")
        scheduler.register("inbox.monitor_slas", "*/5 * * * *", "pulso.inbox.jobs.monitor_slas")
        scheduler.register(
            "inbox.retry_deliveries", "* * * * *", "pulso.inbox.jobs.retry_deliveries"
        )
