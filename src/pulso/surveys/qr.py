"""QR codes of survey links (PNG, SVG) and a printable A4 counter poster (PDF).

Every QR encodes an absolute URL built on ``settings.PULSO_BASE_URL`` with ``?c=qr``, so
responses that arrive through it are recorded with the QR channel.
"""

from __future__ import annotations

import io
import textwrap
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse

from pulso.accounts.models import OrgUnit
from pulso.surveys.models import Branding, Survey

POSTER_INVITATION = (
    "Escanea el código con la cámara de tu móvil y cuéntanos qué tal te hemos atendido. "
    "Solo te llevará un minuto."
)


def survey_url(survey: Survey, unit: OrgUnit | None = None, channel: str = "qr") -> str:
    """The absolute public link of a survey (per org unit when given)."""
    if unit is None:
        path = reverse("public:open", args=[survey.public_token])
    else:
        path = reverse("public:unit", args=[survey.public_token, unit.code])
    query = f"?c={channel}" if channel else ""
    return f"{settings.PULSO_BASE_URL.rstrip('/')}{path}{query}"


def make_qr(url: str) -> segno.QRCode:
    # Level M survives a scuffed counter sticker and keeps the code small.
    return segno.make(url, error="m", micro=False)


def qr_png(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="svg", scale=scale, border=4, title=url)
    return buffer.getvalue()


def _text_lines(lines: list[str], x: float, y: float, size: float, weight: str = "normal") -> str:
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else size * 1.3:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="middle" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">'
        f"{spans}</text>"
    )


def poster_svg(survey: Survey, unit: OrgUnit | None = None) -> str:
    """An A4 (mm) poster: title, invitation, a 150 mm QR, the company name and the link."""
    branding = Branding.current()
    url = survey_url(survey, unit)
    version = survey.current_version
    title = version.title_es if version else survey.name
    qr = make_qr(url).svg_inline(border=2, omitsize=True, dark="#000")
    qr = qr.replace("<svg ", '<svg x="30" y="95" width="150" height="150" ', 1)
    place = f" · {unit.name}" if unit else ""
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297">',
        '<rect width="210" height="297" fill="#fff"/>',
        f'<rect width="210" height="14" fill="{escape(branding.brand_color)}"/>',
        _text_lines(textwrap.wrap(title, 28), 105, 40, 11, "bold"),
        _text_lines(textwrap.wrap(POSTER_INVITATION, 52), 105, 68, 6),
        qr,
        _text_lines([branding.name + place], 105, 262, 8, "bold"),
        _text_lines([url], 105, 275, 3.5),
        "</svg>",
    ]
    return "".join(parts)


def poster_pdf(survey: Survey, unit: OrgUnit | None = None) -> bytes:
    import vl_convert

    return bytes(vl_convert.svg_to_pdf(poster_svg(survey, unit)))
