"""Brand reputation pages: the index, share of voice, one mention (with its replies), feeds
and brands. Views parse input and call actions; figures come from plain modules."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pulso.core.access import action_required, can, get_object_or_404_for, person
from pulso.feedback.privacy import comment_privacy
from pulso.inbox.models import Message
from pulso.lib.personal_data import mask_contact
from pulso.reputation import actions, charts
from pulso.reputation.forms import (
    BrandForm,
    FeedForm,
    MentionFilter,
    MentionFilterForm,
    ReplyForm,
)
from pulso.reputation.index import index_by, mention_rows
from pulso.reputation.models import Brand, Feed, Mention
from pulso.reputation.share import share_of_voice

VIEW = "reputation.view_mention"
SETTINGS = "reputation.change_settings"
REPLY = "inbox.work_conversation"
LATEST = 20


def _filtered(request: HttpRequest) -> tuple[MentionFilterForm, MentionFilter, QuerySet[Mention]]:
    form = MentionFilterForm(request.GET or None, request.user)
    chosen = form.mention_filter()
    mentions = chosen.apply(Mention.objects.visible_to(request.user))
    return form, chosen, mentions


@action_required(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    """The reputation index per period, per site or network and per unit, and recent mentions."""
    form, chosen, mentions = _filtered(request)
    rows = mention_rows(mentions)
    periods = index_by(rows, "period", chosen.by)
    latest = mentions.select_related("feedback", "feedback__org_unit").order_by(
        "-feedback__received_at"
    )[:LATEST]
    context = {
        "form": form,
        "periods": periods,
        "networks": index_by(rows, "network"),
        "units": index_by(rows, "unit"),
        "latest": latest,
        "total": len(rows),
    }
    if any(cell.index is not None for cell in periods):
        rows_out = [cell.as_row() for cell in periods]
        context["chart"] = charts.index_trend(rows_out, _("Reputation index"))
    return render(request, "reputation/overview.html", context)


@action_required(VIEW)
def share(request: HttpRequest) -> HttpResponse:
    """Share of voice against the competitors, in mentions and in positive mentions."""
    form, chosen, mentions = _filtered(request)
    totals, rows = share_of_voice(mentions, chosen.by)
    context = {"form": form, "totals": totals, "has_competitors": Brand.objects.filter(
        is_own=False).exists()}  # fmt: skip
    if rows:
        context["chart"] = charts.share_trend(rows, _("Share of voice"), "share")
        context["positive_chart"] = charts.share_trend(
            rows, _("Share of positive mentions"), "positive_share"
        )
    return render(request, "reputation/share.html", context)


@action_required(VIEW)
def mention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mention = get_object_or_404_for(
        Mention.objects.select_related("feedback", "feedback__org_unit", "feed"),
        request.user, VIEW, pk=pk,
    )  # fmt: skip
    record = mention.feedback
    privacy = comment_privacy(request.user)
    replies = []
    if mention.conversation_id:
        replies = list(
            mention.conversation.messages.filter(sender=Message.Sender.AGENT)  # type: ignore[union-attr]
            .select_related("author").order_by("created_at")
        )  # fmt: skip
    context = {
        "mention": mention,
        "record": record,
        "text": privacy.text(record.text, feedback_id=record.pk, unit_id=record.org_unit_id),
        "author": record.author
        if privacy.personal.in_unit(record.org_unit_id)
        else mask_contact(record.author),
        "brands": mention.brands.all(),
        "replies": replies,
        "may_reply": can(request.user, REPLY, mention),
        "reply_form": ReplyForm(),
    }
    return render(request, "reputation/mention_detail.html", context)


def _replied(request: HttpRequest, pk: int) -> Mention:
    return get_object_or_404_for(Mention.objects.all(), request.user, REPLY, pk=pk)


@action_required(REPLY)
@require_POST
def mention_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Reply": open (or reuse) the inbox conversation that answers the mention."""
    conversation = actions.do_open_reply(_replied(request, pk), actor=request.user)
    return redirect("inbox:detail", pk=conversation.pk)


@action_required(REPLY)
@require_POST
def mention_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the team's answer to the mention (in its inbox conversation)."""
    mention = _replied(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        actions.do_reply_to_mention(mention, person(request.user), form.cleaned_data["text"])
        messages.success(request, _("Reply stored. Publish it on the site as well."))
    else:
        messages.error(request, _("Write the reply first."))
    return redirect("reputation:mention", pk=mention.pk)


@action_required(SETTINGS)
def feed_list(request: HttpRequest) -> HttpResponse:
    """The feeds read every 30 minutes, with the outcome of their last read; add one."""
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feed = actions.do_save_feed(form.save(commit=False), actor=request.user)
        messages.success(request, _("Feed added: it is read within 30 minutes."))
        return redirect("reputation:feed", pk=feed.pk)
    feeds = Feed.objects.select_related("org_unit")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reputation/feed_list.html", {"form": form, "feeds": feeds}, status=status
    )


@action_required(SETTINGS)
def feed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    form = FeedForm(request.POST or None, instance=feed)
    if request.method == "POST" and form.is_valid():
        actions.do_save_feed(form.save(commit=False), actor=request.user)
        messages.success(request, _("Feed saved."))
        return redirect("reputation:feed", pk=feed.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "reputation/feed_edit.html", {"form": form, "feed": feed}, status=status)


@action_required(SETTINGS)
@require_POST
def feed_poll(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the feed now."""
    feed = get_object_or_404(Feed, pk=pk)
    new = actions.do_poll_feed(feed)
    feed.refresh_from_db()
    if feed.last_error:
        messages.error(request, feed.last_error)
    else:
        messages.success(request, _("Feed read: %(count)s new mentions.") % {"count": new})
    return redirect("reputation:feed", pk=feed.pk)


@action_required(SETTINGS)
@require_POST
def feed_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actions.do_delete_feed(get_object_or_404(Feed, pk=pk), actor=request.user)
    messages.success(request, _("Feed removed; the mentions it brought stay."))
    return redirect("reputation:feeds")


@action_required(SETTINGS)
def brand_list(request: HttpRequest) -> HttpResponse:
    """Our brand and the competitors, with the names mentions may call them by; add one."""
    form = BrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_save_brand(form.save(commit=False), actor=request.user)
        messages.success(request, _("Brand saved; mentions were matched again."))
        return redirect("reputation:brands")
    brands = Brand.objects.all()
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reputation/brand_list.html", {"form": form, "brands": brands}, status=status
    )


@action_required(SETTINGS)
def brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_object_or_404(Brand, pk=pk)
    form = BrandForm(request.POST or None, instance=brand)
    if request.method == "POST" and form.is_valid():
        actions.do_save_brand(form.save(commit=False), actor=request.user)
        messages.success(request, _("Brand saved; mentions were matched again."))
        return redirect("reputation:brands")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reputation/brand_edit.html", {"form": form, "brand": brand}, status=status
    )


@action_required(SETTINGS)
@require_POST
def brand_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actions.do_delete_brand(get_object_or_404(Brand, pk=pk), actor=request.user)
    messages.success(request, _("Brand removed."))
    return redirect("reputation:brands")
