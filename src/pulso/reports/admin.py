from django.contrib import admin

from pulso.reports.models import ReportEmail, ReportSubscription


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "frequency", "language", "is_active"]
    raw_id_fields = ["user", "unit"]


@admin.register(ReportEmail)
class ReportEmailAdmin(admin.ModelAdmin):
    list_display = ["to_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    exclude = ["chart_png", "pdf", "html"]
    raw_id_fields = ["subscription"]
