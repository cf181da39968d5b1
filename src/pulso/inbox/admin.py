from django.contrib import admin
from django.http import HttpRequest

from pulso.inbox.models import Article, ArticleVersion, Conversation, Message


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
