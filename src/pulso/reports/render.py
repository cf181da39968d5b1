"""The report as an inline PNG chart (Vega-Lite through vl-convert), an HTML body and a PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape
from typing import Any

import vl_convert
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pulso.metrics import charts
from pulso.reports.content import WeeklyReport

CHART_WIDTH = 640
CHART_CID = "nps-trend"


def title(report: WeeklyReport) -> str:
    return _("Weekly report · %(unit)s · %(start)s – %(end)s") % {
        "unit": report.unit.name,
        "start": date_format(report.start, "SHORT_DATE_FORMAT"),
        "end": date_format(report.end, "SHORT_DATE_FORMAT"),
    }


def headings() -> dict[str, str]:
    return {
        "headline": _("Key figures of the week"),
        "trend": _("NPS trend, last 12 weeks"),
        "league": _("Stores"),
    }


# d3 locales of the chart's numbers and dates, so a Spanish chart reads "14,3" and "nov".
D3_LOCALES: dict[str, Any] = {"es": "es-ES", "en": "en-GB"}


def chart_png(report: WeeklyReport) -> bytes:
    spec = charts.nps_trend(report.trend, headings()["trend"])
    spec["width"] = CHART_WIDTH
    locale = D3_LOCALES.get((get_language() or "es")[:2], "es-ES")
    png = vl_convert.vegalite_to_png(spec, scale=2, format_locale=locale, time_format_locale=locale)
    return bytes(png)


def _table(header: list[str], rows: Sequence[tuple[str, ...]]) -> list[list[str]]:
    return [header, *[list(row) for row in rows]]


def headline_header() -> list[str]:
    return [_("Metric"), _("Value"), _("Margin of error"), _("Change vs previous week")]


def league_header() -> list[str]:
    return [_("Store"), _("NPS"), _("Responses"), _("Rank")]


def pdf(report: WeeklyReport, png: bytes) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=title(report))
    h = headings()
    story = [Paragraph(escape(title(report)), styles["Title"])]
    story += [Paragraph(escape(h["headline"]), styles["Heading2"])]
    story += [_styled(Table(_table(headline_header(), report.headline_rows())))]
    story += [Paragraph(escape(h["trend"]), styles["Heading2"])]
    story += [Image(io.BytesIO(png), width=17 * cm, height=17 * cm * 0.45, kind="proportional")]
    if report.league:
        story += [Spacer(1, 0.4 * cm), Paragraph(escape(h["league"]), styles["Heading2"])]
        story += [_styled(Table(_table(league_header(), report.league_rows())))]
    doc.build(story)
    return out.getvalue()


def _styled(table: Table) -> Table:
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def html(report: WeeklyReport) -> str:
    """The email body: the same tables, and the chart shown inline from its Content-ID."""
    h = headings()
    parts = [f"<h1>{escape(title(report))}</h1>", f"<h2>{escape(h['headline'])}</h2>"]
    parts.append(_html_table(headline_header(), report.headline_rows()))
    parts.append(f"<h2>{escape(h['trend'])}</h2>")
    parts.append(f'<img src="cid:{CHART_CID}" width="{CHART_WIDTH}" alt="{escape(h["trend"])}">')
    if report.league:
        parts.append(f"<h2>{escape(h['league'])}</h2>")
        parts.append(_html_table(league_header(), report.league_rows()))
    note = _("The same report is attached as a PDF.")
    parts.append(f"<p>{escape(note)}</p>")
    return "\n".join(parts)


def _html_table(header: list[str], rows: Sequence[tuple[str, ...]]) -> str:
    cells = "".join(f"<th>{escape(c)}</th>" for c in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def text(report: WeeklyReport) -> str:
    """The plain-text alternative of the email."""
    lines = [title(report), "", headings()["headline"]]
    lines += [" · ".join(c for c in row if c) for row in report.headline_rows()]
    return "\n".join(lines)
