"""Score definitions shared by every app: NPS groups and their thresholds, in one place."""

from __future__ import annotations

PROMOTER_MIN = 9  # NPS 9–10
PASSIVE_MIN = 7  # NPS 7–8
DETRACTOR_MAX = PASSIVE_MIN - 1  # NPS 0–6
NPS_GROUPS = ("promoter", "passive", "detractor")


def nps(scores: list[int]) -> float | None:
    """Net Promoter Score (−100…100) of 0–10 answers; None without any."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= PROMOTER_MIN)
    detractors = sum(1 for s in scores if s <= DETRACTOR_MAX)
    return 100.0 * (promoters - detractors) / len(scores)


def nps_group(score: int | None) -> str | None:
    """promoter (9–10), passive (7–8) or detractor (0–6); None without a score."""
    if score is None:
        return None
    if score >= PROMOTER_MIN:
        return "promoter"
    return "passive" if score >= PASSIVE_MIN else "detractor"
