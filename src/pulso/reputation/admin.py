from django.contrib import admin

from pulso.core.admin import HTTPS_URL_FIELDS
from pulso.reputation.models import Brand, Feed, Mention


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "is_own", "aliases"]
    search_fields = ["name", "aliases"]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["source_name", "url", "org_unit", "is_active", "last_polled_at", "last_error"]
    list_filter = ["source", "is_active"]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["feedback", "network", "author_handle", "reach"]
    list_filter = ["network"]
    raw_id_fields = ["feedback", "conversation", "feed"]
    filter_horizontal = ["brands"]
