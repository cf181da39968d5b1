from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pulso.feedback.events import publish_recorded
from pulso.surveys.models import (
    Answer,
    Branding,
    ImportMapping,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyVersion,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "key", "kind", "text_es", "text_en", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "touchpoint", "org_unit", "audience", "status", "current_version"]
    list_filter = ["status", "audience", "touchpoint__stage__journey"]
    search_fields = ["name", "touchpoint__name"]
    raw_id_fields = ["touchpoint", "org_unit"]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin):
    list_display = ["survey", "number", "title_es", "published_at"]
    search_fields = ["survey__name", "title_es"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "text_es", "version", "required", "position"]
    list_filter = ["kind", "required"]
    search_fields = ["key", "text_es", "text_en"]
    raw_id_fields = ["version"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "customer", "channel", "status", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["customer__email", "customer__external_id", "token"]
    raw_id_fields = ["survey", "customer", "org_unit"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "number", "text", "choices"]
    raw_id_fields = ["question"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["submitted_at", "survey", "org_unit", "channel", "nps", "csat", "ces"]
    list_filter = ["channel", "is_complete", "language", "journey"]
    search_fields = ["comment", "external_id", "customer__external_id"]
    date_hierarchy = "submitted_at"
    raw_id_fields = [
        "survey",
        "version",
        "touchpoint",
        "journey",
        "org_unit",
        "customer",
        "invitation",
    ]
    inlines = [AnswerInline]
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Response, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and obj.is_complete and form.changed_data:
            # Analysis, rules, counts and search follow an edit made here.
            publish_recorded([obj.feedback_id])


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "number", "text"]
    raw_id_fields = ["response", "question"]


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    list_display = ["name", "color", "logo_url"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row only: it styles every public survey page.
        return not Branding.objects.exists() and super().has_add_permission(request)


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ("survey", "tool", "updated_at")
    list_filter = ("tool",)
    raw_id_fields = ("survey",)
