from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "pulso.audits"
    label = "audits"
    verbose_name = _("Audits and mystery shopping")

    def ready(self) -> None:
        from pulso.audits.retention import mask_visit_comments
        from pulso.core import retention

        retention.register("comment_details", mask_visit_comments)
