"""Scores from the labels survey tools export for scale answers ("Algo satisfecho", "Strongly
agree", "Muy fácil") when the export holds choice texts instead of numbers.

A label alone can be ambiguous: "Muy difícil" is the worst of "Muy difícil … Muy fácil" but the
second worst of "Extremadamente difícil … Extremadamente fácil". So a column's labels are read
together: the known scale, worst to best, with as many points as the question that holds all of
them (or most of them) gives each its score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pulso.core.files import normalise_header
from pulso.surveys.models import Question

NEUTRAL = "neutral"
# Labels read as the midpoint of any scale (normalised; "ni … ni …" is handled by pattern).
NEUTRAL_WORDS = {"neutral", "neutro", "indiferente", "regular", "neither", "niuno", "normal"}
NEUTRAL_PATTERN = re.compile(r"^(ni\w+ni\w+|neither\w+nor\w+)$")

# Known scales, worst to best, in folded form (see _fold). Each list has as many points as the
# question it can fill: CSAT 1–5, CES 1–7, or a rating scale of that size.
SCALES: list[list[str]] = [
    # satisfaction, 5 points
    ["muyinsatisfecho", "insatisfecho", NEUTRAL, "satisfecho", "muysatisfecho"],
    ["extremadamenteinsatisfecho", "algoinsatisfecho", NEUTRAL, "algosatisfecho",
     "extremadamentesatisfecho"],
    ["totalmenteinsatisfecho", "pocosatisfecho", NEUTRAL, "bastantesatisfecho",
     "totalmentesatisfecho"],
    ["nadasatisfecho", "pocosatisfecho", NEUTRAL, "satisfecho", "muysatisfecho"],
    ["verydissatisfied", "dissatisfied", NEUTRAL, "satisfied", "verysatisfied"],
    ["extremelydissatisfied", "somewhatdissatisfied", NEUTRAL, "somewhatsatisfied",
     "extremelysatisfied"],
    ["completelydissatisfied", "mostlydissatisfied", NEUTRAL, "mostlysatisfied",
     "completelysatisfied"],
    ["veryunsatisfied", "unsatisfied", NEUTRAL, "satisfied", "verysatisfied"],
    # quality, 5 points (rating questions)
    ["muymalo", "malo", NEUTRAL, "bueno", "muybueno"],
    ["pesimo", "malo", NEUTRAL, "bueno", "excelente"],
    ["terrible", "poor", "average", "good", "excellent"],
    ["poor", "fair", "good", "verygood", "excellent"],
    ["verypoor", "poor", NEUTRAL, "good", "verygood"],
    # ease, 5 and 7 points
    ["muydificil", "dificil", NEUTRAL, "facil", "muyfacil"],
    ["muydificil", "algodificil", NEUTRAL, "algofacil", "muyfacil"],
    ["extremadamentedificil", "algodificil", NEUTRAL, "algofacil", "extremadamentefacil"],
    ["verydifficult", "difficult", NEUTRAL, "easy", "veryeasy"],
    ["extremelydifficult", "somewhatdifficult", NEUTRAL, "somewhateasy", "extremelyeasy"],
    ["muydificil", "dificil", "algodificil", NEUTRAL, "algofacil", "facil", "muyfacil"],
    ["extremadamentedificil", "muydificil", "algodificil", NEUTRAL, "algofacil", "muyfacil",
     "extremadamentefacil"],
    ["extremadamentedificil", "bastantedificil", "algodificil", NEUTRAL, "algofacil",
     "bastantefacil", "extremadamentefacil"],
    ["verydifficult", "difficult", "somewhatdifficult", NEUTRAL, "somewhateasy", "easy",
     "veryeasy"],
    ["extremelydifficult", "verydifficult", "somewhatdifficult", NEUTRAL, "somewhateasy",
     "veryeasy", "extremelyeasy"],
    ["extremelydifficult", "moderatelydifficult", "slightlydifficult", NEUTRAL, "slightlyeasy",
     "moderatelyeasy", "extremelyeasy"],
    # agreement ("It was easy to…"), 5 and 7 points
    ["totalmenteendesacuerdo", "endesacuerdo", NEUTRAL, "deacuerdo", "totalmentedeacuerdo"],
    ["muyendesacuerdo", "endesacuerdo", NEUTRAL, "deacuerdo", "muydeacuerdo"],
    ["stronglydisagree", "disagree", NEUTRAL, "agree", "stronglyagree"],
    ["totalmenteendesacuerdo", "endesacuerdo", "algoendesacuerdo", NEUTRAL, "algodeacuerdo",
     "deacuerdo", "totalmentedeacuerdo"],
    ["totalmenteendesacuerdo", "endesacuerdo", "parcialmenteendesacuerdo", NEUTRAL,
     "parcialmentedeacuerdo", "deacuerdo", "totalmentedeacuerdo"],
    ["stronglydisagree", "disagree", "somewhatdisagree", NEUTRAL, "somewhatagree", "agree",
     "stronglyagree"],
]  # fmt: skip
SCALE_KINDS = ("csat", "ces", "rating")


def _fold(label: str) -> str:
    """Lower case, no accents, spaces or punctuation; feminine and "/a" forms as masculine."""
    text = re.sub(r"\s*(/\s*a|\(\s*a\s*\))(?=\W|$)", "", label.strip().lower())
    word = normalise_header(text)
    word = re.sub(r"satisfecha", "satisfecho", word)
    word = re.sub(r"(buen|mal)a$", r"\1o", word)
    if word in NEUTRAL_WORDS or NEUTRAL_PATTERN.match(word):
        return NEUTRAL
    return word


def label_scores(question: Question, values: Iterable[str]) -> dict[str, int]:
    """Folded label → score for the labels among ``values`` that a known scale of the
    question's size explains; the scale that explains most of them wins (first on ties)."""
    bounds = question.bounds()
    if question.kind not in SCALE_KINDS or bounds is None:
        return {}
    labels = {_fold(v) for v in values if v.strip() and not re.search(r"\d", v)}
    if not labels:
        return {}
    lowest, points = bounds[0], bounds[1] - bounds[0] + 1
    best: list[str] = []
    best_hits = 0
    for scale in SCALES:
        if len(scale) != points:
            continue
        hits = len(labels & set(scale))
        if hits > best_hits:
            best, best_hits = scale, hits
    return {label: lowest + best.index(label) for label in labels if label in best}


def score_of(label: str, scores: Mapping[str, int]) -> int | None:
    """The score ``label_scores`` gave this exported label, if any."""
    return scores.get(_fold(label))
