from django.contrib import admin

from pulso.textanalytics.models import (
    AspectSentiment,
    EmergingTheme,
    SentimentModelVersion,
    TextAnalysis,
    TextJob,
    Topic,
    TopicExample,
    TopicMention,
)


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
    raw_id_fields = ["feedback"]
    inlines = [TopicMentionInline]


@admin.register(TopicMention)
class TopicMentionAdmin(admin.ModelAdmin):
    list_display = ["analysis", "topic", "sentiment"]
    list_filter = ["sentiment", "topic"]
    raw_id_fields = ["analysis"]


@admin.register(TopicExample)
class TopicExampleAdmin(admin.ModelAdmin):
    list_display = ["topic", "analysis", "is_example", "created_by", "created_at"]
    list_filter = ["is_example", "topic"]
    raw_id_fields = ["analysis"]


@admin.register(SentimentModelVersion)
class SentimentModelVersionAdmin(admin.ModelAdmin):
    list_display = ["pk", "language", "status", "accuracy", "macro_f1", "n_training", "trained_at"]
    list_filter = ["language", "status"]
    exclude = ["model_bytes"]
    readonly_fields = ["report"]


@admin.register(EmergingTheme)
class EmergingThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "status", "size", "recent_count", "previous_count", "found_at"]
    list_filter = ["kind", "status", "language"]
    raw_id_fields = ["topic"]


@admin.register(TextJob)
class TextJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(AspectSentiment)
class AspectSentimentAdmin(admin.ModelAdmin[AspectSentiment]):
    """Sentiment per topic mention, written with the analysis."""

    list_display = ["analysis", "topic", "sentiment", "score"]
    list_filter = ["sentiment", "topic"]
    raw_id_fields = ["analysis"]
