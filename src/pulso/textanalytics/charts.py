"""Vega-Lite specs (built with Altair) of the text analytics pages; colour-blind-safe colours."""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.translation import gettext as _

# Blue/grey/orange rather than green/red: readable with the common colour-vision deficiencies.
SENTIMENT_COLOURS = {"negative": "#e8762b", "neutral": "#bab0ac", "positive": "#3a6ea5"}


def _sentiment_scale() -> alt.Scale:
    return alt.Scale(
        domain=[_("Negative"), _("Neutral"), _("Positive")],
        range=list(SENTIMENT_COLOURS.values()),
    )


def topic_sentiment(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: mentions per topic, split by the sentiment of the mention."""
    labels = {"negative": _("Negative"), "neutral": _("Neutral"), "positive": _("Positive")}
    data = [
        {"topic": r["topic"], "sentiment": labels.get(r["sentiment"], r["sentiment"]), "n": r["n"]}
        for r in rows
    ]
    chart = (
        alt.Chart(alt.Data(values=data), title=_("Mentions by topic and sentiment"))
        .mark_bar()
        .encode(
            y=alt.Y("topic:N", title=_("Topic"), sort="-x"),
            x=alt.X("sum(n):Q", title=_("Mentions")),
            color=alt.Color("sentiment:N", title=_("Sentiment"), scale=_sentiment_scale()),
            order=alt.Order("sentiment:N"),
            tooltip=[
                alt.Tooltip("topic:N", title=_("Topic")),
                alt.Tooltip("sentiment:N", title=_("Sentiment")),
                alt.Tooltip("n:Q", title=_("Mentions")),
            ],
        )
        .properties(width="container")
    )
    return chart.to_dict()


def topic_trend(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Weekly mentions of the main topics (lines, tableau10 palette)."""
    chart = (
        alt.Chart(alt.Data(values=rows), title=_("Mentions per week"))
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title=_("Week")),
            y=alt.Y("n:Q", title=_("Mentions")),
            color=alt.Color("topic:N", title=_("Topic"), scale=alt.Scale(scheme="tableau10")),
            tooltip=[
                alt.Tooltip("topic:N", title=_("Topic")),
                alt.Tooltip("week:T", title=_("Week")),
                alt.Tooltip("n:Q", title=_("Mentions")),
            ],
        )
        .properties(width="container", height=260)
    )
    return chart.to_dict()


def weekly_counts(trend: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """Bars of a theme's comments per seven-day window."""
    chart = (
        alt.Chart(alt.Data(values=trend), title=title)
        .mark_bar(color="#3a6ea5")
        .encode(
            x=alt.X("week:O", title=_("Week starting")),
            y=alt.Y("count:Q", title=_("Comments")),
            tooltip=[alt.Tooltip("week:O", title=_("Week")), alt.Tooltip("count:Q")],
        )
        .properties(width="container", height=180)
    )
    return chart.to_dict()
