from django.contrib import admin

from pulso.alerts.models import Alert, AlertSubscription


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["user", "unit"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "unit", "day", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["unit", "feedback"]
