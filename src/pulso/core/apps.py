from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """The database cache's table (settings.CACHES) is made by `migrate`, not by hand."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "pulso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)
        from pulso.core import scheduler

        # Retention settings (PULSO_RETENTION_*_DAYS) applied once a day, at a quiet hour.
        scheduler.register("core.retention", "30 3 * * *", "pulso.core.retention.apply_retention")
