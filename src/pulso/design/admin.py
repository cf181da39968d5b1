from django.contrib import admin

from pulso.design.models import Archetype, Segmentation


@admin.register(Segmentation)
class SegmentationAdmin(admin.ModelAdmin):
    list_display = ["found_at", "since", "until", "customers", "silhouette"]


@admin.register(Archetype)
class ArchetypeAdmin(admin.ModelAdmin):
    list_display = ["name", "segmentation", "size"]
    readonly_fields = ["profile", "scores", "journey", "segments"]
