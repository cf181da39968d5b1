from django.contrib import admin
from django.http import HttpRequest

from pulso.audits.models import Checklist, Standard, Visit, VisitAnswer


class StandardInline(admin.TabularInline):
    model = Standard
    extra = 1


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["name", "touchpoint", "is_active"]
    list_filter = ["is_active"]
    inlines = [StandardInline]


class VisitAnswerInline(admin.TabularInline):
    model = VisitAnswer
    extra = 0
    readonly_fields = ["standard", "passed", "rating", "photo", "comment", "score", "failed"]
    can_delete = False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "checklist", "auditor", "status", "score", "critical_failed"]
    list_filter = ["status", "kind", "critical_failed"]
    readonly_fields = ["submission_token", "draft", "draft_saved_at", "recorded_at", "feedback"]
    inlines = [VisitAnswerInline]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin[Standard]):
    list_display = ["__str__", "checklist", "kind", "weight", "is_critical"]
    list_filter = ["is_critical", "kind"]


@admin.register(VisitAnswer)
class VisitAnswerAdmin(admin.ModelAdmin[VisitAnswer]):
    """Answers are recorded with their visit, once; the admin reads them."""

    list_display = ["pk", "visit", "standard"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VisitAnswer | None = None) -> bool:
        return False
