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
