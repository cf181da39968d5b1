"""The agents' inbox: conversations waiting for a person, one conversation with its transcript,
replies (canned answers filled in), handover, assignment and closing; the knowledge base the
assistant answers from, and the canned answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.accounts.privacy import personal_data
from pulso.core.access import action_required, can, get_object_or_404_for, person
from pulso.inbox import actions, canned
from pulso.inbox.forms import (
    ArticleForm,
    AssignForm,
    CannedAnswerForm,
    CannedChoiceForm,
    HandoverForm,
    ReplyForm,
)
from pulso.inbox.models import Article, CannedAnswer, Conversation
from pulso.inbox.satisfaction import csat_by_handler
from pulso.lib.personal_data import mask

PAGE_SIZE = 25
VIEW = "inbox.view_conversation"
WORK = "inbox.work_conversation"
EDIT_ARTICLES = "inbox.change_article"
SCOPES = {
    "waiting": (Conversation.Status.WAITING,),
    "open": (Conversation.Status.WAITING, Conversation.Status.OPEN),
    "assistant": (Conversation.Status.ASSISTANT,),
    "closed": (Conversation.Status.CLOSED,),
}


@action_required(VIEW)
def conversation_list(request: HttpRequest) -> HttpResponse:
    """Conversations waiting for a person first (the oldest wait on top), or another scope."""
    scope = request.GET.get("scope", "waiting")
    if scope not in (*SCOPES, "mine"):
        scope = "waiting"
    conversations = Conversation.objects.visible_to(request.user).select_related(
        "org_unit", "assigned_to", "external_channel"
    )
    if scope == "mine":
        conversations = conversations.filter(assigned_to=request.user).exclude(status="closed")
    else:
        conversations = conversations.filter(status__in=SCOPES[scope])
    ordered = conversations.order_by(
        "last_message_at" if scope == "waiting" else "-last_message_at"
    )
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "scope": scope, "scopes": ["waiting", "mine", "open", "assistant",
                                                        "closed"],
               "csat": csat_by_handler(Conversation.objects.visible_to(request.user))}  # fmt: skip
    return render(request, "inbox/conversation_list.html", context)


def _transcript_context(request: HttpRequest, conversation: Conversation) -> dict[str, object]:
    """The transcript as the user may read it: whole for those who may see the customers'
    personal data in the conversation's team (or who hold it), masked for the others."""
    whole = conversation.assigned_to_id == request.user.pk or personal_data(request.user).in_unit(
        conversation.org_unit_id
    )
    transcript = list(conversation.messages.select_related("author", "article_version"))
    for message in transcript:
        message.shown_text = message.text if whole else mask(message.text)  # type: ignore[attr-defined]
    events = conversation.events.select_related("actor", "from_unit", "to_unit")
    return {"conversation": conversation, "transcript": transcript, "whole": whole,
            "events": list(events)}  # fmt: skip


def _work_forms(request: HttpRequest, conversation: Conversation) -> dict[str, object]:
    return {
        "reply_form": ReplyForm(),
        "assign_form": AssignForm(
            actor=request.user,
            initial={"unit": conversation.org_unit_id, "person": conversation.assigned_to_id},
        ),
        "handover_form": HandoverForm(),
        "canned_answers": CannedAnswer.objects.for_conversation(conversation),
    }


@action_required(VIEW)
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_object_or_404_for(Conversation.objects.all(), request.user, VIEW, pk=pk)
    context = _transcript_context(request, conversation)
    if can(request.user, WORK, conversation):
        context |= _work_forms(request, conversation)
    return render(request, "inbox/conversation_detail.html", context)


@action_required(VIEW)
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    """The transcript alone (the conversation page refreshes it while open)."""
    conversation = get_object_or_404_for(Conversation.objects.all(), request.user, VIEW, pk=pk)
    return render(request, "inbox/_transcript.html", _transcript_context(request, conversation))


def _worked(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404_for(Conversation.objects.all(), request.user, WORK, pk=pk)


@action_required(WORK)
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _worked(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        context = _transcript_context(request, conversation) | _work_forms(request, conversation)
        context["reply_form"] = form
        return render(request, "inbox/conversation_detail.html", context, status=422)
    actions.do_reply(conversation, person(request.user), form.cleaned_data["text"])
    messages.success(request, _("Answer sent."))
    return redirect("inbox:detail", pk=conversation.pk)


@action_required(WORK)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _worked(request, pk)
    form = AssignForm(request.POST, actor=request.user)
    if form.is_valid():
        actions.do_assign(
            conversation,
            actor=request.user,
            unit=form.cleaned_data["unit"],
            person=form.cleaned_data["person"],
        )
        messages.success(request, _("Conversation assigned."))
    else:
        messages.error(request, _("Choose a team and a person from the lists."))
    return redirect("inbox:detail", pk=conversation.pk)


@action_required(WORK)
def fill_canned_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply box filled with a canned answer for this conversation (HTMX swaps it in)."""
    conversation = _worked(request, pk)
    form = CannedChoiceForm(request.GET)
    form.fields["answer"].queryset = CannedAnswer.objects.for_conversation(conversation)  # type: ignore[attr-defined]
    text = ""
    if form.is_valid():
        text = canned.fill(form.cleaned_data["answer"], conversation, request.user)
    return render(
        request, "inbox/_reply_text.html", {"reply_form": ReplyForm(initial={"text": text})}
    )


@action_required(WORK)
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the conversation to another team with a note."""
    conversation = _worked(request, pk)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        context = _transcript_context(request, conversation) | _work_forms(request, conversation)
        context["handover_form"] = form
        return render(request, "inbox/conversation_detail.html", context, status=422)
    actions.do_hand_over(conversation, actor=request.user, unit=form.cleaned_data["unit"],
                         note=form.cleaned_data["note"])  # fmt: skip
    messages.success(request, _("Conversation handed over."))
    if can(request.user, VIEW, Conversation.objects.get(pk=conversation.pk)):
        return redirect("inbox:detail", pk=conversation.pk)
    return redirect("inbox:list")


@action_required(WORK)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _worked(request, pk)
    actions.do_close(conversation, actor=request.user)
    messages.success(request, _("Conversation closed."))
    return redirect("inbox:list")


@action_required(EDIT_ARTICLES)
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.prefetch_related("versions").order_by("language", "slug")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbox/article_list.html", {"page": page})


@action_required(EDIT_ARTICLES)
def article_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Write a new article, or a new version of one."""
    article = get_object_or_404(Article, pk=pk) if pk is not None else None
    current = article.current_version() if article else None
    initial = {}
    if article and current:
        initial = {"slug": article.slug, "language": article.language, "title": current.title,
                   "body": current.body, "questions": current.questions,
                   "is_published": article.is_published}  # fmt: skip
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        duplicate = Article.objects.filter(
            slug=form.cleaned_data["slug"], language=form.cleaned_data["language"]
        ).exclude(pk=article.pk if article else None)
        if duplicate.exists():
            form.add_error("slug", _("Another article in this language has this identifier."))
        else:
            actions.do_save_article(**form.cleaned_data, actor=request.user, article=article)
            messages.success(request, _("Article saved."))
            return redirect("inbox:articles")
    status = 422 if request.method == "POST" else 200
    context = {
        "form": form,
        "article": article,
        "versions": article.versions.all() if article else [],
    }
    return render(request, "inbox/article_form.html", context, status=status)


@action_required(EDIT_ARTICLES)
def canned_list(request: HttpRequest) -> HttpResponse:
    answers = CannedAnswer.objects.select_related("org_unit").order_by("language", "title")
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbox/canned_list.html", {"page": page})


@action_required(EDIT_ARTICLES)
def canned_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    answer = get_object_or_404(CannedAnswer, pk=pk) if pk is not None else None
    form = CannedAnswerForm(request.POST or None, instance=answer)
    if request.method == "POST" and form.is_valid():
        actions.do_save_canned_answer(actor=request.user, answer=answer, **form.cleaned_data)
        messages.success(request, _("Canned answer saved."))
        return redirect("inbox:canned")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "answer": answer}
    return render(request, "inbox/canned_form.html", context, status=status)


@action_required(EDIT_ARTICLES)
def canned_delete(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(CannedAnswer, pk=pk)
    if request.method == "POST":
        actions.do_delete_canned_answer(answer, actor=request.user)
        messages.success(request, _("Canned answer deleted."))
        return redirect("inbox:canned")
    return render(request, "inbox/canned_delete.html", {"answer": answer})
