from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pulso.accounts.actions import do_revoke_api_token
from pulso.accounts.models import ApiToken, Membership, OrgUnit, SsoIdentity, SsoRule


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "city", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "city"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "job_title", "from_sso"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__email", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by each person for themselves (Account → API tokens), where the raw
    value can be shown once; here they can be listed and revoked."""

    list_display = ["name", "user", "prefix", "read_only", "created_at", "last_used_at"]
    list_filter = ["read_only"]
    search_fields = ["name", "user__username"]
    readonly_fields = ["user", "prefix", "read_only", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            do_revoke_api_token(token, actor=request.user)


@admin.register(SsoRule)
class SsoRuleAdmin(admin.ModelAdmin):
    list_display = ["claim", "value", "unit", "role"]
    list_filter = ["claim", "role"]
    search_fields = ["value", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "last_login_at"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "subject", "last_login_at"]
