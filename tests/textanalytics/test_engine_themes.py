"""Emerging themes (clustering of uncovered negative comments) and growth detection."""

import random
from datetime import date, timedelta

from pulso.textanalytics.engine.themes import emerging_themes, growing_topics

CLUSTERS = {  # complaints about one issue share some of its words, in varying order
    "parking": ["parking", "plazas", "cerrado", "aparcar", "coche", "lleno"],
    "coupon": ["cupon", "descuento", "codigo", "caducado", "aplicaron", "error"],
    "music": ["musica", "alta", "ruido", "molesta", "volumen", "altavoces"],
}
SHARED = ["hoy", "tienda", "otra", "vez", "fatal", "siempre", "centro", "sabado"]


def planted(seed: int = 0) -> list[tuple[str, str, date]]:
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    items = []
    for name, vocabulary in CLUSTERS.items():
        for k in range(12):
            # coupon complaints happen only in the last 4 weeks: an emerging theme
            offset = rng.randrange(28, 56) if name == "coupon" else rng.randrange(0, 56)
            words = rng.sample(vocabulary, 3) + rng.sample(SHARED, 2)
            rng.shuffle(words)
            items.append((f"{name}-{k}", " ".join(words), start + timedelta(days=offset)))
    rng.shuffle(items)
    return items


def test_planted_clusters_are_recovered_and_labelled() -> None:
    items = planted()
    themes = emerging_themes(items, window_start=date(2025, 1, 29), window_days=28)
    assert len(themes) == 3
    for theme in themes:
        prefixes = {str(i).split("-")[0] for i in theme.member_ids}
        assert len(prefixes) == 1 and theme.count == 12
        assert set(theme.terms[:2]) <= set(CLUSTERS[prefixes.pop()])
        assert len(theme.examples) == 3
    coupon = next(t for t in themes if str(t.member_ids[0]).startswith("coupon"))
    assert coupon.recent == 12 and coupon.previous == 0 and coupon.growth == 12


def test_themes_are_deterministic_and_handle_tiny_input() -> None:
    items = planted()
    first = emerging_themes(items, date(2025, 1, 29))
    assert first == emerging_themes(items, date(2025, 1, 29))
    assert emerging_themes(items[:3], date(2025, 1, 29)) == []


def test_growth_detection_flags_only_the_spike() -> None:
    weekly = {
        "entrega-retraso": [10, 12, 9, 11, 10, 35],
        "precio": [10, 12, 9, 11, 10, 13],
        "seguro": [0, 0, 1, 0, 0, 2],
    }
    alerts = growing_topics(weekly)
    assert [a.slug for a in alerts] == ["entrega-retraso"]
    assert alerts[0].latest == 35 and alerts[0].p_value < 1e-6 and alerts[0].z_score > 5
