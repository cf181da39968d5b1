"""Which brands a mention names: whole words, whatever the case and accents.

"Pizzería Roma" is named by "pizzeria roma", "PIZZERÍA  ROMA" or "…en pizzería roma." but not
by "pizzeriaromana": a name matches only between non-word characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pulso.lib.names import fold

BrandNames = Sequence[tuple[int, Sequence[str]]]  # (brand id, its names)
CompiledBrands = list[tuple[int, re.Pattern[str]]]


def _pattern(name: str) -> str | None:
    words = fold(name).split()
    if not words:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"


def compile_brands(brands: BrandNames) -> CompiledBrands:
    """One regular expression per brand, matching any of its names."""
    compiled: CompiledBrands = []
    for brand_id, names in brands:
        patterns = [p for p in (_pattern(name) for name in names) if p]
        if patterns:
            compiled.append((brand_id, re.compile("|".join(patterns))))
    return compiled


def named_brands(text: str, compiled: Iterable[tuple[int, re.Pattern[str]]]) -> set[int]:
    """The ids of the brands ``text`` names."""
    folded = fold(text)
    return {brand_id for brand_id, pattern in compiled if pattern.search(folded)}
