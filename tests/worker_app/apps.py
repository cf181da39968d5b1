from django.apps import AppConfig


class WorkerAppConfig(AppConfig):
    name = "tests.worker_app"
    label = "test_worker_app"

    def ready(self) -> None:
        from pulso.core import events
        from pulso.feedback.events import RECORDED

        events.subscribe(RECORDED, "tests.worker_app.subscribers.act_then_wait")
