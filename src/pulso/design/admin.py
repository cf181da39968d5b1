from django.contrib import admin

from pulso.design.models import Archetype, LinkedStandard, Segmentation


@admin.register(Segmentation)
class SegmentationAdmin(admin.ModelAdmin):
    list_display = ["found_at", "since", "until", "customers", "silhouette"]


@admin.register(Archetype)
class ArchetypeAdmin(admin.ModelAdmin):
    list_display = ["name", "segmentation", "size"]
    readonly_fields = ["profile", "scores", "journey", "segments"]


@admin.register(LinkedStandard)
class LinkedStandardAdmin(admin.ModelAdmin):
    list_display = ["touchpoint", "standard"]
    list_select_related = ["touchpoint", "standard"]
    raw_id_fields = ["touchpoint", "standard"]
