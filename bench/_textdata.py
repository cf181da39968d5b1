"""Loaders for the evaluation-only corpora in ../shared/data (never copied into the repo)."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))  # run as a plain script, without installing the package


GENERATED_PARTS = [
    "El pedido llegó con tres días de retraso",
    "la instalación fue rápida y limpia",
    "el técnico muy amable y profesional",
    "me cobraron dos veces el mismo recibo",
    "nadie contesta al teléfono",
    "la app no funciona desde la última actualización",
    "la dependienta nos atendió de maravilla",
    "el precio es algo caro para la calidad",
    "la caja llegó rota y el producto rayado",
    "quiero darme de baja y no me dejan",
    "la garantía cubrió la reparación sin problemas",
    "la tienda estaba sucia y desordenada",
]
"""Sentences the throughput and identity benches join into generated comments."""


def data_dir() -> Path:
    """$PULSO_SHARED_DATA, else ../shared/data beside the repository."""
    override = os.environ.get("PULSO_SHARED_DATA")
    return Path(override) if override else REPO.parent / "shared" / "data"


def available(folder: str) -> bool:
    return (data_dir() / folder).is_dir()


def _csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def hotel_reviews() -> list[dict[str, str]]:
    """es_hotel_reviews: id, title, text, stars (1-5), date_raw."""
    return _csv(data_dir() / "es_hotel_reviews" / "reviews.csv")


def tweets() -> list[dict[str, str]]:
    """es_tweets_polarity: id, split, country, label (N/NEU/P), text."""
    return _csv(data_dir() / "es_tweets_polarity" / "tweets.tsv", delimiter="\t")


def review_sentences() -> list[dict[str, str]]:
    """en_review_sentences: source, label (positive/negative), text."""
    return _csv(data_dir() / "en_review_sentences" / "uci_sentiment_labelled_sentences.csv")


def restaurant_sentences() -> list[dict[str, Any]]:
    """es_restaurant_aspects: id, split, text, opinions[{target, category, polarity}]."""
    path = data_dir() / "es_restaurant_aspects" / "sentences.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def star_label(stars: int) -> str:
    return "negative" if stars <= 2 else "neutral" if stars == 3 else "positive"
