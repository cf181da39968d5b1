"""Reputation pages: the index with its chart, filters and empty states, share of voice, a
mention with its replies, feeds and brands; store managers see their units only."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pulso.inbox.models import Conversation
from pulso.reputation.models import Brand, Feed, Mention
from tests.reputation.conftest import FeedServer, rss
from tests.reputation.factories import make_mention

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def recent(days: int = 3) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def spec_rows(html: str, element_id: str) -> list[dict]:
    start = html.index(f'id="{element_id}"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(body)["datasets"]["table"]


def test_the_index_page_shows_a_chart_and_tables(org, personas) -> None:
    make_mention("Genial", org_unit=org.north_store, rating=Decimal(5), received_at=recent())
    make_mention("Mal", org_unit=org.south_store, rating=Decimal(1), received_at=recent())

    response = client_for(personas.analyst).get(reverse("reputation:overview"))

    html = response.content.decode()
    assert response.status_code == 200
    rows = spec_rows(html, "index-spec")
    assert [(r["n"], r["index"]) for r in rows] == [(2, 50.0)]
    assert "Tienda Bilbao" in html and "Tienda Sevilla" in html
    assert "<script>" not in html.replace('<script id="index-spec"', "")  # no inline code


def test_a_store_manager_sees_only_their_units_mentions(org, personas) -> None:
    own = make_mention(
        "De Bilbao", org_unit=org.north_store, rating=Decimal(5), received_at=recent()
    )
    other = make_mention("De Sevilla", org_unit=org.south_store, received_at=recent())
    client = client_for(personas.store_manager)

    html = client.get(reverse("reputation:overview")).content.decode()

    assert "De Bilbao" in html and "De Sevilla" not in html
    assert client.get(reverse("reputation:mention", args=[own.pk])).status_code == 200
    assert client.get(reverse("reputation:mention", args=[other.pk])).status_code == 404


def test_filters_by_site_and_unit_and_bad_filters_are_form_errors(org, personas) -> None:
    make_mention("Google Bilbao", org_unit=org.north_store, received_at=recent())
    make_mention("X Sevilla", network="X", org_unit=org.south_store, received_at=recent())
    client = client_for(personas.analyst)

    by_site = client.get(reverse("reputation:overview"), {"network": "X"}).content.decode()
    by_unit = client.get(reverse("reputation:overview"), {"unit": "bilbao"}).content.decode()
    bad = client.get(reverse("reputation:overview"), {"start": "2026-13-45", "unit": "nope",
                                                       "by": "year"})  # fmt: skip

    assert "X Sevilla" in by_site and "Google Bilbao" not in by_site
    assert "Google Bilbao" in by_unit and "X Sevilla" not in by_unit
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()


def test_empty_states(personas) -> None:
    client = client_for(personas.analyst)
    overview = client.get(reverse("reputation:overview")).content.decode()
    share = client.get(reverse("reputation:share")).content.decode()
    assert "empty-state" in overview and "index-spec" not in overview
    assert "empty-state" in share and "share-spec" not in share


def test_share_of_voice_page(org, personas) -> None:
    Brand.objects.create(name="Rival")
    make_mention("Rival es peor", org_unit=org.north_store, received_at=recent())
    make_mention("Muy bien", org_unit=org.north_store, received_at=recent())
    from pulso.reputation.actions import do_relink_brands

    do_relink_brands()

    html = client_for(personas.analyst).get(reverse("reputation:share")).content.decode()

    rows = spec_rows(html, "share-spec")
    expected = [(gettext("Our brand"), 0.5), ("Rival", 0.5)]
    assert sorted((r["brand"], r["share"]) for r in rows) == expected


def test_respond_opens_the_inbox_conversation_and_the_reply_shows_on_the_mention(
    org, personas
) -> None:
    mention = make_mention("Tardaron", org_unit=org.north_store, received_at=recent())
    client = client_for(personas.store_manager)

    first = client.post(reverse("reputation:mention_respond", args=[mention.pk]))
    second = client.post(reverse("reputation:mention_respond", args=[mention.pk]))
    client.post(reverse("reputation:mention_reply", args=[mention.pk]), {"text": "Lo sentimos."})
    empty = client.post(reverse("reputation:mention_reply", args=[mention.pk]), {"text": ""})

    conversation = Conversation.objects.get()
    assert first.url == second.url == reverse("inbox:detail", args=[conversation.pk])
    assert empty.status_code == 302
    page = client.get(reverse("reputation:mention", args=[mention.pk])).content.decode()
    assert "Lo sentimos." in page
    assert Mention.objects.get().conversation == conversation


def test_a_viewer_may_read_a_mention_but_not_reply(org, personas) -> None:
    mention = make_mention("Sevilla", org_unit=org.south_store, received_at=recent())
    client = client_for(personas.viewer)
    page = client.get(reverse("reputation:mention", args=[mention.pk])).content.decode()
    refused = client.post(reverse("reputation:mention_respond", args=[mention.pk]))
    assert "mention_respond" not in page and reverse("reputation:mention_reply", args=[
        mention.pk]) not in page  # fmt: skip
    assert refused.status_code == 403
    assert not Conversation.objects.exists()


def test_feeds_are_added_read_now_and_refused_when_invalid(
    org, personas, feed_server: FeedServer
) -> None:
    url = feed_server.publish(
        "/g.rss", rss(("r-1", "Bien", "Rápidos.", "Mon, 02 Mar 2026 10:00:00 +0000"))
    )
    client = client_for(personas.admin)

    bad = client.post(reverse("reputation:feeds"), {"url": "no es una url", "source": "review"})
    added = client.post(reverse("reputation:feeds"), {"url": url, "source": "review",
        "source_name": "Google", "org_unit": org.north_store.pk, "is_active": "on"})  # fmt: skip
    feed = Feed.objects.get()
    client.post(reverse("reputation:feed_poll", args=[feed.pk]))

    assert bad.status_code == 422
    assert added.status_code == 302
    assert Mention.objects.get().feed == feed
    listing = client.get(reverse("reputation:feeds")).content.decode()
    assert "1 mención nueva" in listing or "1 new mention" in listing
    client.post(reverse("reputation:feed_delete", args=[feed.pk]))
    assert not Feed.objects.exists() and Mention.objects.count() == 1


def test_brands_page_saves_aliases_and_matches_mentions_again(org, personas) -> None:
    mention = make_mention("Como en Casa Pepe, nada", received_at=recent())
    client = client_for(personas.analyst)

    client.post(reverse("reputation:brands"), {"name": "Pepe SL", "aliases": "Casa Pepe"})
    twice = client.post(reverse("reputation:brands"), {"name": "Nosotros", "is_own": "on"})
    refused = client.post(reverse("reputation:brands"), {"name": "Otra", "is_own": "on"})

    assert [b.name for b in mention.brands.all()] == ["Pepe SL"]
    assert twice.status_code == 302 and refused.status_code == 422
    assert Brand.objects.count() == 2


def test_settings_pages_are_for_company_wide_editors(personas) -> None:
    for user in (personas.store_manager, personas.viewer, personas.agent):
        assert client_for(user).get(reverse("reputation:feeds")).status_code == 403
        assert client_for(user).get(reverse("reputation:brands")).status_code == 403
