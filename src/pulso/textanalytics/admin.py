from django.contrib import admin

from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_es", "slug", "parent", "origin", "is_active"]
    list_filter = ["origin", "is_active", "parent"]
    search_fields = ["name_es", "name_en", "slug"]


class TopicMentionInline(admin.TabularInline):
    model = TopicMention
    extra = 0


@admin.register(TextAnalysis)
class TextAnalysisAdmin(admin.ModelAdmin):
    list_display = ["pk", "language", "sentiment", "sentiment_score", "analyser", "analysed"]
    list_filter = ["language", "sentiment", "analysed"]
    raw_id_fields = ["response", "feedback_item"]
    inlines = [TopicMentionInline]


@admin.register(TopicMention)
class TopicMentionAdmin(admin.ModelAdmin):
    list_display = ["analysis", "topic", "sentiment"]
    list_filter = ["sentiment", "topic"]
    raw_id_fields = ["analysis"]
