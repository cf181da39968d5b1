from django.contrib import admin

from pulso.feedback.models import FeedbackItem


@admin.register(FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "source_name", "rating", "touchpoint", "org_unit"]
    list_filter = ["source", "channel", "language"]
    search_fields = ["text", "author", "external_id"]
    date_hierarchy = "received_at"
    raw_id_fields = ["customer", "touchpoint", "org_unit"]
