"""Demo sector reference values, clearly illustrative: the source is a made-up name."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from pulso.benchmarks.models import ReferenceValue

SOURCE = "Referencia sectorial de ejemplo"
NOTE = "Cifra ilustrativa de la demo, no publicada por nadie."
SECTOR = "Distribución de electrodomésticos"
# (metric, interaction type, channel, label, value, base n or None)
REFERENCES: list[tuple[str, str, str, str, float, int | None]] = [
    ("nps", "", "", "", 32.0, 2400),
    ("nps", "purchase", "store", "Compra en tienda", 41.0, 900),
    ("nps", "purchase", "web", "Compra online", 28.5, 650),
    ("nps", "delivery", "home", "Entrega a domicilio", 22.0, 410),
    ("nps", "incident", "call_centre", "Avería comunicada por teléfono", 5.0, 300),
    ("nps", "incident", "chat", "Avería comunicada por chat", 12.0, None),
    ("csat", "", "", "", 78.0, 2400),
    ("ces", "incident", "", "Gestión de incidencias", 61.5, None),
]


def build(rng: random.Random, progress: Any) -> None:
    tick = progress("Sector references", len(REFERENCES))
    published = dt.date(2026, 3, 31)
    for metric, kind, channel, label, value, base in REFERENCES:
        ReferenceValue.objects.get_or_create(
            metric=metric,
            sector=SECTOR,
            interaction_type=kind,
            channel=channel,
            label=label,
            source=SOURCE,
            published_on=published,
            defaults={"value": value, "base_n": base, "notes": NOTE},
        )
        tick(1)
