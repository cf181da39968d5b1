"""Feeds polled from a loopback HTTP server: entries become mentions once, errors are kept."""

from __future__ import annotations

import pytest

from pulso.feedback.models import Feedback, ImportRun
from pulso.reputation.actions import do_poll_feed, do_poll_feeds
from pulso.reputation.models import Brand, Feed, Mention
from tests.reputation.conftest import FeedServer, rss

pytestmark = pytest.mark.django_db

DAY = "Mon, 02 Mar 2026 10:00:00 +0000"


def make_feed(url: str, **fields: object) -> Feed:
    return Feed.objects.create(url=url, source_name="Google", **fields)


def test_rss_entries_become_mentions_of_the_feeds_unit(feed_server: FeedServer, org) -> None:
    url = feed_server.publish("/g.rss", rss(
        ("r-1", "Muy bien", "El personal de la tienda fue &lt;b&gt;amable&lt;/b&gt;.", DAY),
        ("r-2", "Fatal", "Tardaron tres semanas en entregar.", DAY),
    ))  # fmt: skip
    feed = make_feed(url, org_unit=org.north_store, language="es")

    assert do_poll_feed(feed) == 2

    mentions = Mention.objects.select_related("feedback").order_by("feedback__external_id")
    assert [m.feedback.external_id for m in mentions] == ["r-1", "r-2"]
    first = mentions[0]
    assert first.feedback.source == Feedback.Source.REVIEW
    assert first.feedback.org_unit == org.north_store
    assert first.feedback.language == "es"
    assert first.feedback.text == "Muy bien\nEl personal de la tienda fue amable."
    assert first.feedback.received_at.isoformat().startswith("2026-03-02T10:00:00")
    assert first.url == "https://resenas.example/r-1"
    assert first.network == "Google" and first.feed == feed
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.last_new == 2 and feed.last_polled_at is not None


def test_a_feed_polled_again_stores_no_mention_twice(feed_server: FeedServer) -> None:
    url = feed_server.publish("/g.rss", rss(("r-1", "Bien", "Todo correcto.", DAY)))
    feed = make_feed(url)
    do_poll_feed(feed)
    feed_server.publish("/g.rss", rss(
        ("r-1", "Bien", "Todo correcto.", DAY), ("r-3", "Regular", "Cola larga.", DAY),
    ))  # fmt: skip

    assert do_poll_feed(feed) == 1
    assert do_poll_feed(feed) == 0
    assert Feedback.objects.filter(source="review").count() == 2
    assert Mention.objects.count() == 2


def test_atom_entries_without_an_id_are_identified_by_their_link(
    feed_server: FeedServer,
) -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Menciones</title><id>urn:m</id><updated>2026-03-02T10:00:00Z</updated>"
        '<entry><title>Post</title><link href="https://red.example/p/1"/>'
        "<updated>2026-03-02T10:00:00Z</updated><summary>Me encanta la tienda.</summary></entry>"
        "</feed>"
    )
    feed = make_feed(feed_server.publish("/a.xml", atom, kind="application/atom+xml"),
                     source=Feed.Source.SOCIAL)  # fmt: skip

    assert do_poll_feed(feed) == 1
    mention = Mention.objects.get()
    assert mention.feedback.external_id == "https://red.example/p/1"
    assert mention.feedback.source == Feedback.Source.SOCIAL


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("<rss><channel><item><title>sin cerrar", 200),
        ("esto no es un feed", 200),
        (b"\x00\xff\xfe basura", 200),
        ("", 500),
    ],
)
def test_a_broken_feed_is_reported_on_the_feed_and_others_still_run(
    feed_server: FeedServer, body: str | bytes, status: int
) -> None:
    broken = make_feed(feed_server.publish("/broken", body, status=status))
    good = make_feed(feed_server.publish("/good.rss", rss(("r-9", "Bien", "Rápidos.", DAY))))

    assert do_poll_feeds() == 1

    broken.refresh_from_db()
    good.refresh_from_db()
    assert broken.last_error and broken.last_new == 0 and broken.last_polled_at
    assert good.last_error == "" and good.last_new == 1


def test_an_unreachable_feed_is_reported(feed_server: FeedServer) -> None:
    feed = make_feed(feed_server.base + "/missing")
    assert do_poll_feed(feed) == 0
    feed.refresh_from_db()
    assert "404" in feed.last_error


def test_an_entry_without_text_is_refused_and_counted(feed_server: FeedServer) -> None:
    url = feed_server.publish("/g.rss", rss(("r-1", "", "", DAY), ("r-2", "Bien", "Ok.", DAY)))
    feed = make_feed(url)

    assert do_poll_feed(feed) == 1
    feed.refresh_from_db()
    assert feed.last_error.startswith("1 ")
    assert ImportRun.objects.get().rejected == 1


def test_mentions_from_feeds_are_matched_to_brands(feed_server: FeedServer) -> None:
    rival = Brand.objects.create(name="Electro Pérez", aliases="EP\nPérez Hogar")
    url = feed_server.publish("/g.rss", rss(
        ("r-1", "Mejor", "Mucho mejor que ELECTRO PEREZ, la verdad.", DAY),
        ("r-2", "Igual", "Como en perez hogarzona.", DAY),
    ))  # fmt: skip
    do_poll_feed(make_feed(url))

    named = {m.feedback.external_id: list(m.brands.all()) for m in Mention.objects.all()}
    assert named == {"r-1": [rival], "r-2": []}


def test_an_entry_with_an_odd_link_is_kept_without_its_address(feed_server: FeedServer) -> None:
    body = rss(("r-1", "Bien", "Todo correcto.", DAY)).replace(
        "https://resenas.example/r-1", "ftp://resenas.example/r 1"
    )
    feed = make_feed(feed_server.publish("/g.rss", body))

    assert do_poll_feed(feed) == 1
    mention = Mention.objects.get()
    assert (mention.url, mention.feedback.external_id) == ("", "r-1")
