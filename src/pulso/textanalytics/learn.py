"""Topics learned from examples: the words that set the analyst's examples apart.

The analyst marks comments as examples of a topic; the words much more frequent in them than in
recent comments at large become a suggested rule, which the analyst tests and edits like any
other. A rule, unlike a hidden classifier, shows why each comment matched.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from pulso.textanalytics.engine.keyphrases import STOPWORDS
from pulso.textanalytics.engine.normalize import stem, tokenize

MIN_EXAMPLES = 10
MIN_SHARE = 0.2  # a suggested word appears in at least a fifth of the examples


def _document_stems(
    texts: Sequence[str], language: str
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Document frequency of each stem, and the surface words seen for it."""
    stop = STOPWORDS.get(language, STOPWORDS["en"])
    frequency: Counter[str] = Counter()
    words: dict[str, Counter[str]] = {}
    for text in texts:
        seen = set()
        for token in tokenize(text):
            if len(token) < 3 or token in stop or token.isdigit():
                continue
            stemmed = stem(token, language)
            words.setdefault(stemmed, Counter())[token] += 1
            seen.add(stemmed)
        frequency.update(seen)
    return frequency, words


def characteristic_words(
    examples: Sequence[str], background: Sequence[str], language: str, limit: int = 6
) -> list[str]:
    """Words (one per stem) by smoothed log-ratio of example vs background frequency."""
    ex_freq, ex_words = _document_stems(examples, language)
    bg_freq, _ = _document_stems(background, language)
    n_ex, n_bg = max(len(examples), 1), max(len(background), 1)
    floor = max(2, math.ceil(MIN_SHARE * n_ex))
    scored = []
    for stemmed, count in ex_freq.items():
        if count < floor:
            continue
        ratio = math.log((count + 0.5) / (n_ex + 1)) - math.log(
            (bg_freq[stemmed] + 0.5) / (n_bg + 1)
        )
        if ratio > math.log(2):
            scored.append((ratio, count, ex_words[stemmed].most_common(1)[0][0]))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return [word for _ratio, _count, word in scored[:limit]]


def suggested_rule(words: Sequence[str]) -> str:
    return " OR ".join(words)
