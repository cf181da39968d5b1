from django.contrib import admin

from pulso.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "segment", "language", "consent_to_contact"]
    list_filter = ["segment", "language", "consent_to_contact"]
    search_fields = ["external_id", "name", "email", "phone"]
