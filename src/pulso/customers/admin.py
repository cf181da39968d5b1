from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pulso.customers.actions import do_erase_customer
from pulso.customers.models import Customer, CustomerAction, CustomerImport


@admin.action(description=_("Erase personal data (GDPR)"), permissions=["delete"])
def erase_personal_data(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    for customer in queryset:
        do_erase_customer(customer, actor=request.user)
    count = len(queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d customer erased.", "%(count)d customers erased.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "segment", "language", "consent_to_contact"]
    list_filter = ["segment", "language", "consent_to_contact"]
    search_fields = ["external_id", "name", "email", "phone"]
    actions = [erase_personal_data]


@admin.register(CustomerImport)
class CustomerImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_by", "created_at", "created_count"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = ["created_count", "updated_count", "errors", "finished_at"]


@admin.register(CustomerAction)
class CustomerActionAdmin(admin.ModelAdmin[CustomerAction]):
    list_display = ["occurred_at", "customer", "kind", "amount", "org_unit", "campaign"]
    list_filter = ["kind"]
    search_fields = ["external_id", "customer__external_id", "campaign", "product"]
    raw_id_fields = ["customer", "org_unit"]
