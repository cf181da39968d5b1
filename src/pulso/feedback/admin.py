from django.contrib import admin

from pulso.feedback.models import Feedback, ImportRun


@admin.register(Feedback)
class FeedbackItemAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "source_name", "rating", "touchpoint", "org_unit"]
    list_filter = ["source", "channel", "language"]
    search_fields = ["text", "author", "external_id"]
    date_hierarchy = "received_at"
    raw_id_fields = ["customer", "touchpoint", "org_unit"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "survey", "created", "updated", "rejected"]
    list_filter = ["kind"]
    search_fields = ["file_name"]
    raw_id_fields = ["survey", "created_by"]
    readonly_fields = ["rejects"]
