from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionsConfig(AppConfig):
    name = "pulso.recognitions"
    label = "recognitions"
    verbose_name = _("Recognitions")

    def ready(self) -> None:
        from pulso.core import events
        from pulso.feedback.events import ANALYSED

        # After text analysis: a promoter's comment that turns out negative is no praise.
        events.subscribe(ANALYSED, "pulso.recognitions.subscribers.recognise_analysed")
