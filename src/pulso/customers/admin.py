from django.contrib import admin

from pulso.customers.models import Customer, CustomerImport


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "segment", "language", "consent_to_contact"]
    list_filter = ["segment", "language", "consent_to_contact"]
    search_fields = ["external_id", "name", "email", "phone"]


@admin.register(CustomerImport)
class CustomerImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_by", "created_at", "created_count"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = ["created_count", "updated_count", "errors", "finished_at"]
