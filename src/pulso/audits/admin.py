from django.contrib import admin

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
