"""Reading RSS and Atom feeds of reviews and posts into raw feedback items.

Fetching and parsing never raise anything but :class:`FeedError`, whose message is stored on
the feed: a feed that is down, too large or malformed is reported, never a crash. Parsing is
feedparser's (RSS 0.9x/1.0/2.0 and Atom, with its HTML sanitising and date handling).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import urllib.error
import urllib.request
from typing import Any

import feedparser
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 20
MAX_BYTES = 5 * 1024 * 1024
MAX_EXTERNAL_ID = 150


class FeedError(Exception):
    """The feed could not be read; the message says why (stored on the feed)."""


def fetch(url: str) -> bytes:
    """The feed's body (at most ``MAX_BYTES``); raises FeedError."""
    request = urllib.request.Request(url, headers={"User-Agent": "Pulso feed reader"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body: bytes = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FeedError(_("The feed could not be read: %(reason)s") % {"reason": exc}) from None
    if len(body) > MAX_BYTES:
        raise FeedError(_("The feed is larger than 5 MB."))
    return body


def parse(body: bytes) -> tuple[list[Any], str]:
    """The feed's entries, and a warning when it is malformed but some entries could be read;
    raises FeedError when the body is no readable feed."""
    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # feedparser's own failures must not stop the other feeds
        raise FeedError(_("The feed could not be parsed: %(reason)s") % {"reason": exc}) from None
    reason = parsed.get("bozo_exception") or _("not RSS or Atom")
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FeedError(_("Not a readable RSS or Atom feed: %(reason)s") % {"reason": reason})
    warning = ""
    if parsed.bozo:
        warning = _("The feed is malformed (%(reason)s); the entries that could be read were.") % {
            "reason": reason
        }
    return list(parsed.entries), warning


def external_id(value: str) -> str:
    """The entry's id or link as an external id; a longer one is replaced by its digest."""
    if len(value) <= MAX_EXTERNAL_ID:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _plain(value: str) -> str:
    return " ".join(html.unescape(strip_tags(value or "")).split())


def _moment(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC).isoformat()


def entry_text(entry: Any) -> str:
    """The title and the summary (or content), as plain text."""
    title = _plain(entry.get("title", ""))
    body = _plain(entry.get("summary", ""))
    if not body and entry.get("content"):
        body = _plain(entry["content"][0].get("value", ""))
    if title and body and not body.startswith(title):
        return f"{title}\n{body}"
    return body or title


def _web_address(link: str) -> str:
    """The entry's link when it is a web address that fits (else none: the entry is kept)."""
    link = link.strip()
    fits = len(link) <= 500 and not any(char.isspace() for char in link)
    return link if fits and link.startswith(("http://", "https://")) else ""


def entry_item(entry: Any) -> dict[str, Any] | None:
    """The raw mention of one entry (without the feed's own fields); None without any id."""
    key = entry.get("id") or entry.get("link") or ""
    if not key.strip():
        return None
    item: dict[str, Any] = {
        "external_id": external_id(key.strip()),
        "text": entry_text(entry),
        "author": _plain(entry.get("author", ""))[:200],
        "url": _web_address(entry.get("link") or ""),
    }
    moment = _moment(entry)
    if moment:
        item["received_at"] = moment
    return item
