from django.contrib import admin

from pulso.benchmarks.models import ReferenceValue


@admin.register(ReferenceValue)
class ReferenceValueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["metric", "sector", "interaction_type", "channel", "label", "value", "base_n",
                    "source", "published_on"]  # fmt: skip
    list_filter = ["metric", "sector", "source"]
    search_fields = ["sector", "label", "source", "notes"]
    readonly_fields = ["created_by", "created_at"]
