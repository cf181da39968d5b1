from django.contrib import admin

from pulso.journeys.models import Journey, Stage, Touchpoint


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["name", "position", "is_archived"]
    show_change_link = True


class TouchpointInline(admin.TabularInline):
    model = Touchpoint
    extra = 0
    fields = ["name", "channel", "owner_unit", "is_moment_of_truth", "position", "is_archived"]
    autocomplete_fields = ["owner_unit"]


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_archived"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [StageInline]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "journey", "position", "is_archived"]
    list_filter = ["journey", "is_archived"]
    search_fields = ["name", "journey__name"]
    inlines = [TouchpointInline]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "channel", "owner_unit", "is_moment_of_truth", "is_archived"]
    list_filter = ["channel", "is_moment_of_truth", "stage__journey", "is_archived"]
    search_fields = ["name", "stage__name", "stage__journey__name"]
    autocomplete_fields = ["owner_unit"]
