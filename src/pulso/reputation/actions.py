"""State changes of brand reputation: mentions recorded (from any ingest path and from feeds),
feeds polled, brands saved, and replies to public reviews through the inbox."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.core.batches import BatchResult
from pulso.feedback.actions import do_ingest_feedback
from pulso.feedback.ingest import pydantic_errors
from pulso.feedback.models import Feedback
from pulso.inbox import actions as inbox
from pulso.inbox.models import Conversation, Message
from pulso.reputation import feeds
from pulso.reputation.matching import CompiledBrands, compile_brands, named_brands
from pulso.reputation.models import MENTION_SOURCES, Brand, Feed, Mention

logger = logging.getLogger(__name__)
CHUNK = 2_000
DETAIL_FIELDS = ("url", "author_handle", "reach")


class MentionDetails(BaseModel):
    """What a mention item may carry beyond a feedback item."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: Annotated[str, Field(max_length=500, pattern=r"^(https?://\S+)?$")] = ""
    author_handle: Annotated[str, Field(max_length=200)] = ""
    reach: Annotated[int, Field(ge=0, le=10**12)] | None = None


def _compiled_brands() -> CompiledBrands:
    return compile_brands([(b.pk, b.names()) for b in Brand.objects.all()])


def _link_brands(texts: dict[int, str], compiled: CompiledBrands) -> None:
    """Replace the brands named by each mention in ``texts`` (feedback id → text)."""
    through = Mention.brands.through
    through.objects.filter(mention_id__in=list(texts)).delete()
    links = [
        through(mention_id=pk, brand_id=brand_id)
        for pk, text in texts.items()
        for brand_id in named_brands(text, compiled)
    ]
    through.objects.bulk_create(links, batch_size=CHUNK)


@transaction.atomic
def do_record_mentions(
    feedback_ids: Iterable[int],
    *,
    details: dict[int, dict[str, Any]] | None = None,
    feed: Feed | None = None,
) -> int:
    """Give the review and social records among ``feedback_ids`` their mention (idempotent),
    with ``details`` by feedback id, and the brands their text names; returns how many are new."""
    details = details or {}
    ids = sorted(set(feedback_ids))
    compiled = _compiled_brands()
    created = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        records = Feedback.objects.filter(pk__in=chunk, source__in=MENTION_SOURCES)
        texts = dict(records.values_list("pk", "text"))
        networks = dict(records.values_list("pk", "source_name"))
        known = set(Mention.objects.filter(pk__in=list(texts)).values_list("pk", flat=True))
        new = [
            Mention(feedback_id=pk, network=networks[pk], feed=feed, **details.get(pk, {}))
            for pk in texts
            if pk not in known
        ]
        Mention.objects.bulk_create(new, batch_size=CHUNK)
        for pk in known & set(details):
            Mention.objects.filter(pk=pk).update(**details[pk])
        _link_brands(texts, compiled)
        created += len(new)
    return created


def _split(raw: Sequence[Any], result: BatchResult) -> tuple[list[dict], list[dict], list[int]]:
    """Feedback items and mention details of the valid-looking entries, with their indexes."""
    items: list[dict] = []
    details: list[dict] = []
    indexes: list[int] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            result.reject(index, {"item": _("An item must be an object.")})
            continue
        item = {k: v for k, v in entry.items() if k not in DETAIL_FIELDS}
        try:
            detail = MentionDetails.model_validate(
                {k: v for k, v in entry.items() if k in DETAIL_FIELDS}
            )
        except ValidationError as exc:
            result.reject(index, pydantic_errors(exc))
            continue
        if item.get("source") not in MENTION_SOURCES:
            result.reject(index, {"source": _("A mention is a review or a social post.")})
            continue
        if not item.get("external_id") and detail.url:
            item["external_id"] = feeds.external_id(detail.url)
        if not item.get("external_id"):
            message = _("A mention needs an external id or an address, so it is stored once.")
            result.reject(index, {"external_id": message})
            continue
        items.append(item)
        details.append(detail.model_dump(exclude_none=True))
        indexes.append(index)
    return items, details, indexes


def _stored_ids(items: Sequence[dict]) -> dict[tuple[str, str], int]:
    """Feedback ids by (source, external id) of the stored ``items``."""
    found: dict[tuple[str, str], int] = {}
    keys = sorted({str(item["external_id"]).strip() for item in items})
    for start in range(0, len(keys), CHUNK):
        rows = Feedback.objects.filter(
            source__in=MENTION_SOURCES, external_id__in=keys[start : start + CHUNK]
        ).values_list("source", "external_id", "pk")
        found.update({(source, ext): pk for source, ext, pk in rows})
    return found


@transaction.atomic
def do_ingest_mentions(
    raw: Sequence[Any],
    *,
    actor: AnyUser | None = None,
    origin: str = "api",
    file_name: str = "",
    feed: Feed | None = None,
) -> BatchResult:
    """Store a batch of mentions: feedback items (through the feedback batch) with their
    address, handle and reach; each invalid one is reported by its index in ``raw``."""
    result = BatchResult()
    items, details, indexes = _split(raw, result)
    stored = do_ingest_feedback(items, actor=actor, origin=origin, file_name=file_name)
    result.created, result.updated = stored.created, stored.updated
    refused = set()
    for reject in stored.rejected:
        refused.add(reject["index"])
        result.reject(indexes[reject["index"]], reject["errors"])
    accepted = [i for i in range(len(items)) if i not in refused]
    ids = _stored_ids([items[i] for i in accepted])
    by_feedback = {}
    for i in accepted:
        pk = ids.get((str(items[i]["source"]), str(items[i]["external_id"]).strip()))
        if pk is not None:
            by_feedback[pk] = details[i]
    do_record_mentions(by_feedback, details=by_feedback, feed=feed)
    return result


def _feed_items(feed: Feed, entries: Iterable[Any]) -> list[dict[str, Any]]:
    """The raw mentions of a feed's entries that are not stored yet (one per external id)."""
    items: dict[str, dict[str, Any]] = {}
    for entry in entries:
        item = feeds.entry_item(entry)
        if item is None:
            continue
        item.update(source=feed.source, source_name=feed.source_name, language=feed.language)
        if feed.org_unit_id:
            item["org_unit"] = feed.org_unit_id
        items.setdefault(item["external_id"], item)
    known = set(
        Feedback.objects.filter(source=feed.source, external_id__in=list(items)).values_list(
            "external_id", flat=True
        )
    )
    return [item for key, item in items.items() if key not in known]


def do_poll_feed(feed: Feed, *, now: dt.datetime | None = None) -> int:
    """Read a feed and store its new entries as mentions; the outcome (or the reason it could
    not be read) is kept on the feed. Returns how many mentions are new."""
    now = now or timezone.now()
    error, new = "", 0
    try:
        entries, error = feeds.parse(feeds.fetch(feed.url))
    except feeds.FeedError as exc:
        error = str(exc)
    else:
        items = _feed_items(feed, entries)
        if items:
            result = do_ingest_mentions(items, origin="api", file_name=feed.url, feed=feed)
            new = result.created
            if result.rejected:
                first = next(iter(result.rejected[0]["errors"].values()))
                refused = _("%(count)s entries refused, e.g.: %(reason)s") % {
                    "count": len(result.rejected),
                    "reason": first,
                }
                error = f"{refused} {error}".strip()
    Feed.objects.filter(pk=feed.pk).update(
        last_polled_at=now, last_error=error[:2000], last_new=new
    )
    return new


def do_poll_feeds(now: dt.datetime | None = None) -> int:
    """Poll every active feed, one after another; returns the new mentions. A feed that fails
    in an unforeseen way is marked and logged, and the others are still read."""
    now = now or timezone.now()
    new = 0
    for feed in Feed.objects.filter(is_active=True):
        try:
            new += do_poll_feed(feed, now=now)
        except Exception:
            logger.exception("Reading the feed %s failed", feed.pk)
            error = _("Unexpected error while reading the feed; the server log has the details.")
            Feed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error=error, last_new=0)
    return new


@transaction.atomic
def do_save_feed(feed: Feed, *, actor: AnyUser | None) -> Feed:
    created = feed.pk is None
    feed.save()
    record_event("reputation.feed_created" if created else "reputation.feed_changed", feed, actor)
    return feed


@transaction.atomic
def do_delete_feed(feed: Feed, *, actor: AnyUser | None) -> None:
    """Remove a feed; the mentions it brought stay."""
    record_event("reputation.feed_deleted", feed, actor, url=feed.url)
    feed.delete()


def do_relink_brands() -> None:
    """Match every mention against the brands again (after a brand or alias changed)."""
    compiled = _compiled_brands()
    ids = list(Mention.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        texts = dict(Feedback.objects.filter(pk__in=chunk).values_list("pk", "text"))
        _link_brands(texts, compiled)


@transaction.atomic
def do_save_brand(brand: Brand, *, actor: AnyUser | None) -> Brand:
    """Save a brand and match every mention against the brands again."""
    created = brand.pk is None
    brand.save()
    verb = "reputation.brand_created" if created else "reputation.brand_changed"
    record_event(verb, brand, actor, aliases=brand.names()[1:])
    do_relink_brands()
    return brand


@transaction.atomic
def do_delete_brand(brand: Brand, *, actor: AnyUser | None) -> None:
    record_event("reputation.brand_deleted", brand, actor)
    brand.delete()


def _conversation_subject(mention: Mention) -> str:
    record = mention.feedback
    rating = ""
    if record.rating is not None:
        rating = f" ({float(record.rating):g}/{record.rating_scale_max})"
    site = mention.network or record.get_source_display()
    return f"{site}{rating}: {record.text}"[:200]


@transaction.atomic
def do_open_reply(mention: Mention, *, actor: AnyUser | None) -> Conversation:
    """The inbox conversation that answers the mention: the one already opened, or a new one
    for the mention's unit, its subject carrying the review."""
    mention = Mention.objects.select_for_update().select_related("feedback").get(pk=mention.pk)
    if mention.conversation_id is not None:
        return mention.conversation  # type: ignore[return-value]
    record = mention.feedback
    # Mail waits for a person and, without an address, sends nothing: the reply is published
    # on the site by hand.
    conversation = inbox.do_start_conversation(
        Conversation.Channel.EMAIL,
        language=record.language[:2] or "es",
        name=mention.author_handle or record.author,
        subject=_conversation_subject(mention),
        org_unit=record.org_unit,
    )
    mention.conversation = conversation
    mention.save(update_fields=["conversation"])
    record_event("reputation.reply_opened", mention, actor, conversation=conversation.pk)
    return conversation


@transaction.atomic
def do_reply_to_mention(mention: Mention, agent: User, text: str) -> Message:
    """Store the team's public answer to a review, in its inbox conversation."""
    conversation = do_open_reply(mention, actor=agent)
    return inbox.do_reply(conversation, agent, text)
