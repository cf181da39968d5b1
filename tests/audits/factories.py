"""A checklist with one standard of every kind (the yes/no one critical), and planned visits."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pulso.audits.actions import AnswerIn, do_plan_visit, do_record_visit
from pulso.audits.models import Checklist, Standard, Visit, VisitAnswer
from pulso.journeys.models import Touchpoint
from tests.factories import TouchpointFactory


def make_checklist(touchpoint: Touchpoint | None = None, name: str = "Tienda") -> Checklist:
    checklist = Checklist.objects.create(
        name=name, touchpoint=touchpoint or TouchpointFactory(name="Atención en tienda")
    )
    rows = [
        ("Saludo en menos de 30 segundos", Standard.Kind.YES_NO, 2, True, 5),
        ("Amabilidad del vendedor", Standard.Kind.SCALE, 1, False, 5),
        ("Escaparate limpio y con la campaña vigente", Standard.Kind.PHOTO, 1, False, 5),
        ("Observaciones", Standard.Kind.COMMENT, 1, False, 5),
    ]
    for position, (text, kind, weight, critical, scale_max) in enumerate(rows):
        Standard.objects.create(
            checklist=checklist, text=text, kind=kind, weight=weight, is_critical=critical,
            scale_max=scale_max, position=position,
        )  # fmt: skip
    return checklist


def plan(checklist: Checklist, unit: Any, auditor: Any = None, **fields: Any) -> Visit:
    fields.setdefault("planned_for", dt.date(2026, 11, 30))
    return do_plan_visit(checklist=checklist, unit=unit, auditor=auditor, **fields)


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG image, written by hand (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def recorded_photo(checklist: Checklist, unit: Any) -> VisitAnswer:
    """The photo answer of a visit recorded at ``unit`` (every standard met)."""
    visit = plan(checklist, unit)
    given = {}
    for standard in checklist.standards.all():
        photo = SimpleUploadedFile("foto.png", tiny_png(), content_type="image/png")
        given[standard.pk] = AnswerIn(
            passed=True,
            rating=standard.scale_max,
            photo=photo if standard.kind == Standard.Kind.PHOTO else None,
        )
    do_record_visit(visit, given, token=f"photo-{visit.pk}")
    return visit.answers.get(standard__kind=Standard.Kind.PHOTO)
