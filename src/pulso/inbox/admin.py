from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from pulso.core.admin import HTTPS_URL_FIELDS
from pulso.inbox.models import (
    Article,
    ArticleVersion,
    CannedAnswer,
    Conversation,
    ConversationEvent,
    ExternalChannel,
    Message,
    Notice,
    OutboundMessage,
)


class ArticleVersionInline(admin.TabularInline[ArticleVersion, Article]):
    model = ArticleVersion
    extra = 0
    readonly_fields = [f.name for f in ArticleVersion._meta.fields]
    can_delete = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    """Articles are written on the knowledge-base pages, which keep every version."""

    list_display = ["pk", "__str__"]
    inlines = [ArticleVersionInline]


@admin.register(ArticleVersion)
class ArticleVersionAdmin(admin.ModelAdmin[ArticleVersion]):
    list_display = ["pk", "__str__"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ArticleVersion | None = None
    ) -> bool:
        return False


class MessageInline(admin.TabularInline[Message, Conversation]):
    model = Message
    extra = 0
    readonly_fields = [f.name for f in Message._meta.fields]
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin[Conversation]):
    """Conversations are worked in the inbox; the admin shows them as they are."""

    list_display = ["pk", "channel", "status", "created_at"]
    list_filter = ["channel", "status"]
    inlines = [MessageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ["pk", "conversation", "sender", "created_at"]
    list_filter = ["sender"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False


@admin.register(ExternalChannel)
class ExternalChannelAdmin(admin.ModelAdmin[ExternalChannel]):
    """Messaging channels: the webhook's secret and where replies go."""

    formfield_overrides = HTTPS_URL_FIELDS

    list_display = ["name", "slug", "adapter", "org_unit", "is_active"]

    def formfield_for_dbfield(self, db_field: models.Field[Any, Any], request: HttpRequest,
                              **kwargs: Any) -> forms.Field | None:  # fmt: skip
        if db_field.name == "adapter":
            from pulso.inbox.channels import ADAPTERS

            return forms.ChoiceField(
                label=db_field.verbose_name, choices=[(name, name) for name in ADAPTERS]
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ["to_email", "subject", "status", "attempts", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Notice._meta.fields]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin[OutboundMessage]):
    list_display = ["channel", "message", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin[CannedAnswer]):
    """Canned answers are written at /inbox/canned/; the admin lists them too."""

    list_display = ["title", "language", "org_unit", "updated_at"]
    list_filter = ["language"]


@admin.register(ConversationEvent)
class ConversationEventAdmin(admin.ModelAdmin[ConversationEvent]):
    """Handovers and escalations, as they happened."""

    list_display = ["conversation", "kind", "actor", "to_unit", "created_at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ConversationEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
