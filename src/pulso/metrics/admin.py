from django.contrib import admin

from pulso.metrics.models import (
    AggregateChange,
    DailyAggregate,
    MonthlyAggregate,
    SearchDocument,
    Target,
)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["metric", "journey", "touchpoint", "org_unit", "value"]
    list_filter = ["metric", "journey"]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Derived data: rebuilt from responses, never edited by hand."""

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(DailyAggregate)
class DailyAggregateAdmin(ReadOnlyAdmin):
    list_display = ["day", "touchpoint", "org_unit", "channel", "segment", "n", "nps_n"]
    list_filter = ["day", "audience"]


@admin.register(MonthlyAggregate)
class MonthlyAggregateAdmin(ReadOnlyAdmin):
    list_display = ["month", "touchpoint", "org_unit", "n", "nps_n"]


@admin.register(AggregateChange)
class AggregateChangeAdmin(ReadOnlyAdmin):
    list_display = ["day"]


@admin.register(SearchDocument)
class SearchDocumentAdmin(ReadOnlyAdmin):
    list_display = ["feedback", "text"]
    raw_id_fields = ["feedback"]
