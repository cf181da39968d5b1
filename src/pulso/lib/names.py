"""People named in a comment: "la atención de María fue excelente" names María.

Names are found as whole words, whatever the case and accents ("maria", "MARÍA"). When two
people share a first name, the first name alone names neither of them: only the first name
followed by a surname does ("María López"). A name found only inside a longer name that was
also found ("Ana" within "Ana Belén") counts for the longer one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from pulso.lib.search import fold_accents

Span = tuple[int, int]


@dataclass(frozen=True)
class Person:
    key: Hashable
    first_name: str
    last_name: str = ""


def fold(text: str) -> str:
    return fold_accents(text.casefold())


def _spans(folded_text: str, name: str) -> list[Span]:
    words = fold(name).split()
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, folded_text)]


def _candidate_spans(folded_text: str, people: Iterable[Person]) -> dict[Hashable, list[Span]]:
    """Where each person is named: by first name when no one else has it, else by full name."""
    by_first: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        if person.first_name.strip():
            by_first[" ".join(fold(person.first_name).split())].append(person)
    found: dict[Hashable, list[Span]] = {}
    for group in by_first.values():
        for person in group:
            name = person.first_name
            if len(group) > 1:
                if not person.last_name.strip():
                    continue
                name = f"{person.first_name} {person.last_name}"
            spans = _spans(folded_text, name)
            if spans:
                found[person.key] = spans
    return found


def _inside(span: Span, other: Span) -> bool:
    return other[0] <= span[0] and span[1] <= other[1] and span != other


def named_people(text: str, people: Iterable[Person]) -> list[Hashable]:
    """The keys of the people ``text`` names unambiguously, in the order given."""
    people = list(people)
    found = _candidate_spans(fold(text), people)
    every = [span for spans in found.values() for span in spans]
    kept = {
        key
        for key, spans in found.items()
        if any(not any(_inside(span, other) for other in every) for span in spans)
    }
    return [person.key for person in people if person.key in kept]
