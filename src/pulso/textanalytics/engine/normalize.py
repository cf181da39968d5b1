"""Text clean-up shared by every analyser: HTML, mojibake, accents, tokens, stems, sentences."""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from itertools import accumulate, chain, count, filterfalse, repeat
from typing import Any

import snowballstemmer

MAX_CHARS = 20_000
"""Longer texts are analysed on a truncated copy (the caller keeps the original)."""

_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]{0,2000}>", re.I | re.S)
# Tokens plus the punctuation that bounds a negation's scope (see features.py). ASCII text (the
# vast majority once folded) takes a C path instead of the regex: bytes.translate + split.
_MARK_RE = re.compile(r"[^\W_]+|[,:()]")
PUNCTUATION = frozenset(",:()")
_ASCII_MARKS = bytes(c if chr(c).isalnum() or chr(c) in PUNCTUATION else 32 for c in range(256))
_ASCII_SENTENCES = bytes(  # as _ASCII_MARKS, with every sentence terminator as "."
    ord(".") if chr(i) in ".!?;\n" else c for i, c in enumerate(_ASCII_MARKS)
)
# Folded tokens that may start a contrast clause (see _CONTRAST_RE); ";" ends a sentence.
_CONTRAST_TOKENS = frozenset(
    "pero aunque embargo obstante mientras cambio pesar pese but although however though "
    "whereas while yet porem".split()
)
# A sentence can have two clauses only if its marks include one of these: every cut of _cuts
# and a concession's comma need one (most sentences have none).
_SPLIT_TOKENS = _CONTRAST_TOKENS | {",", "y", "and"}
_SENTENCE_RE = re.compile(r"[^.!?;\n]+(?:[.!?;\n]+|$)")
_CONTRASTS = (
    r"pero|aunque|sin embargo|no obstante|mientras que|mientras|en cambio|a pesar de|pese a|"
    r"but|although|however|though|whereas|while|yet|porém"
)
_SUBJECTS = r"el|la|los|las|lo|su|sus|mi|mis|the|their|my|our|your|its"
# Clauses joined by a contrast usually carry opposite opinions ("buena comida pero lenta"), and
# so may two that each name their subject ("la comida rica, el servicio lento", "... y el
# servicio lento"). Three patterns, each run only when the sentence's tokens allow a match.
_CONTRAST_RE = re.compile(rf",?\s+(?=(?:{_CONTRASTS})\b)", re.I)
# The same matches on lower-cased text, ~2x faster: a case-sensitive pattern that starts with
# a character set lets the regex engine skip to the next comma or space in C. Valid when
# lower-casing keeps every position and no letter that re.I equates with an ASCII one (ı, ſ).
_CONTRAST_LOWER_RE = re.compile(rf"[,\s](?:(?<=,)\s+|(?<!,)\s*)(?=(?:{_CONTRASTS})\b)")
# (one regex search: iterating over a str to test each character costs ~4x more)
_IGNORECASE_TWINS_RE = re.compile("[ıſẛﬅ]")
_COMMA_SUBJECT_RE = re.compile(rf",\s+(?=(?:(?:y|and)\s+)?(?:{_SUBJECTS})\s)", re.I)
_AND_SUBJECT_RE = re.compile(rf" (?=(?:y|and) (?:{_SUBJECTS}) )", re.I)
# A clause that opens with a concession ends at its first comma ("Aunque tardó, ...").
_CONCESSION_RE = re.compile(
    r"^((?:aunque|si bien|a pesar de|pese a|mientras|although|though|while|whereas)\b[^,]*),"
    r"\s*(.+)$",
    re.I,
)


def _cuts(sentence: str, found: list[str]) -> list[tuple[int, int, bool]]:
    """(start, end, is a contrast) of each place where a new clause may start, in order."""
    cuts = (
        [(m.start(), m.end(), True) for m in _contrasts(sentence)]
        if not _CONTRAST_TOKENS.isdisjoint(found)
        else []
    )
    # Most sentences have no subject cut: one search says so without building an iterator.
    if "," in found:
        match = _COMMA_SUBJECT_RE.search(sentence)
        if match is not None:
            cuts += [
                (m.start(), m.end(), False)
                for m in _COMMA_SUBJECT_RE.finditer(sentence, match.start())
            ]
    if "y" in found or "and" in found:
        match = _AND_SUBJECT_RE.search(sentence)
        if match is not None:
            cuts += [
                (m.start(), m.end(), False)
                for m in _AND_SUBJECT_RE.finditer(sentence, match.start())
            ]
    if len(cuts) > 1:
        cuts.sort()
    return cuts


def _contrasts(sentence: str) -> Iterator[re.Match[str]]:
    """``_CONTRAST_RE.finditer(sentence)``, on the lower-cased sentence where that is exact."""
    lowered = sentence.lower()
    if len(lowered) == len(sentence) and (
        lowered.isascii() or _IGNORECASE_TWINS_RE.search(lowered) is None
    ):
        return _CONTRAST_LOWER_RE.finditer(lowered)
    return _CONTRAST_RE.finditer(sentence)


def _clauses(sentence: str, found: list[str] | None = None) -> list[str]:
    """A sentence's clauses: split before a contrast, before a new subject (unless the clause
    so far is a single word: "No, la habitación..."), or at a concession's comma. `found` are
    the sentence's marks (see :func:`marks`), computed when not given."""
    cuts = _cuts(sentence, marks(fold(sentence)) if found is None else found)
    if cuts:
        return _split_at(sentence, cuts)
    # most sentences: at most a concession's comma splits them
    clause = sentence.strip()
    concession = _CONCESSION_RE.match(clause)
    if concession:
        return [part for part in concession.groups() if part.strip()]
    return [clause] if clause else []


def _split_at(sentence: str, cuts: list[tuple[int, int, bool]]) -> list[str]:
    """:func:`_clauses` of a sentence with these (non-empty) cuts."""
    pieces: list[str] = []
    start = 0
    for cut, end, contrast in cuts:
        if cut <= start:
            continue
        if not contrast and " " not in sentence[start:cut].strip():
            continue
        pieces.append(sentence[start:cut])
        start = end
    pieces.append(sentence[start:])
    parts: list[str] = []
    for piece in pieces:
        clause = piece.strip()
        if not clause:
            continue
        concession = _CONCESSION_RE.match(clause)
        if concession:
            parts.extend(part for part in concession.groups() if part.strip())
        else:
            parts.append(clause)
    return parts


_STEMMER_NAMES = {"es": "spanish", "en": "english", "pt": "portuguese"}


def _mojibake_tables() -> tuple[str, str]:
    """Characters that UTF-8 lead / continuation bytes become when misread as cp1252."""

    def as_cp1252(byte: int) -> str:
        try:
            return bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            return bytes([byte]).decode("latin-1")

    leads = "".join(as_cp1252(b) for b in range(0xC2, 0xF5))
    conts = "".join(as_cp1252(b) for b in range(0x80, 0xC0))
    return leads, conts


_LEADS, _CONTS = _mojibake_tables()
_MOJIBAKE_RE = re.compile(f"[{re.escape(_LEADS)}][{re.escape(_CONTS)}]{{1,3}}")


def _as_byte(char: str) -> int:
    try:
        return char.encode("cp1252")[0]
    except UnicodeEncodeError:
        return ord(char)  # bytes cp1252 leaves undefined (0x81, 0x8D, 0x9D...) came as latin-1


def _repair_match(match: re.Match[str]) -> str:
    chunk = match.group(0)
    try:
        return bytes(_as_byte(c) for c in chunk).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        return chunk


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as cp1252/latin-1 ("instalaciÃ³n" -> "instalación")."""
    if "Ã" not in text and "Â" not in text and "â€" not in text:
        return text  # cheap exit: nearly all comments are clean
    return _MOJIBAKE_RE.sub(_repair_match, text)


def strip_html(text: str) -> str:
    """Drop tags, scripts and comments; unescape entities."""
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def clean_text(text: str | bytes | None, max_chars: int = MAX_CHARS) -> str:
    """Return a safe, truncated, repaired copy of any input (None and bytes accepted)."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = str(text)
    text = text[: max_chars * 2]  # bound the work of the regexes below
    text = fix_mojibake(strip_html(text))
    text = " ".join(text.split())  # collapse whitespace (str.split: C speed, same as \s+)
    return text[:max_chars]


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and base != chr(code) and base.isascii():
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case and remove accents (ñ -> n too: customers often type without them)."""
    text = text.lower()
    if text.isascii():
        return text
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if len(ascii_text) * 10 >= len(text) * 9:
        return ascii_text  # Latin script: the C path is ~5x faster than translate()
    return text.translate(_FOLD)  # other scripts: keep their letters


def marks(folded: str) -> list[str]:
    """Word tokens (letters and digits) and the punctuation in PUNCTUATION of folded text."""
    if not folded.isascii():
        return _MARK_RE.findall(folded)
    spaced = folded.encode("ascii").translate(_ASCII_MARKS).decode("ascii")
    for mark in PUNCTUATION:
        if mark in spaced:
            spaced = spaced.replace(mark, f" {mark} ")
    return spaced.split()


def tokenize(text: str) -> list[str]:
    """Folded word tokens: letters and digits ("don't" -> "don", "t")."""
    found = marks(fold(text))
    return _words(found) if _has_punct(found) else found


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    name = _STEMMER_NAMES.get(language)
    return snowballstemmer.stemmer(name) if name else None


_STEM_CACHE: dict[str, dict[str, str]] = {}
_STEM_CACHE_LIMIT = 200_000


class TokenMemo(dict[str, Any]):
    """Bounded memo of a function of a token: a miss calls it (from C, on lookup); emptied
    when it holds ``limit`` tokens, so memory stays bounded whatever the vocabulary."""

    def __init__(self, compute: Callable[[str], Any], limit: int = _STEM_CACHE_LIMIT) -> None:
        super().__init__()
        self.compute, self.limit = compute, limit

    def __missing__(self, token: str) -> Any:
        value = self.compute(token)
        if len(self) >= self.limit:
            self.clear()
        self[token] = value
        return value


def stem(token: str, language: str) -> str:
    """Snowball stem of a folded token, memoised (the stemmer is pure Python and slow)."""
    cache = _STEM_CACHE.setdefault(language, {})
    hit = cache.get(token)
    if hit is not None:
        return hit
    stemmer = _stemmer(language)
    result = stemmer.stemWord(token) if stemmer else token
    if len(cache) >= _STEM_CACHE_LIMIT:
        cache.clear()  # bounded memory under adversarial vocabularies
    cache[token] = result
    return result


def stem_many(tokens: list[str], language: str) -> list[str]:
    """:func:`stem` of each token; the ones not memoised yet are stemmed in one call."""
    cache = _STEM_CACHE.setdefault(language, {})
    missing = [t for t in dict.fromkeys(tokens) if t not in cache]
    if missing:
        stemmer = _stemmer(language)
        if len(cache) + len(missing) > _STEM_CACHE_LIMIT:
            cache.clear()  # bounded memory under adversarial vocabularies
        cache.update(zip(missing, stemmer.stemWords(missing) if stemmer else missing, strict=True))
    return list(map(cache.__getitem__, tokens))


def stems(tokens: list[str], language: str) -> list[str]:
    """Stem every token (see :func:`stem`)."""
    get = _STEM_CACHE.setdefault(language, {}).get
    return [get(t) or stem(t, language) for t in tokens]


def split_sentences(text: str) -> list[str]:
    """Sentences, then contrast clauses ("..., pero ..."), stripped and non-empty."""
    parts: list[str] = []
    for sentence in _SENTENCE_RE.findall(text):
        parts.extend(_clauses(sentence))
    return parts


class Document:
    """A cleaned comment split into clauses, tokenised once for every stage.

    `tokens` are the folded word tokens of all clauses, `token_sentence` maps each to its
    clause, and `marks` holds per clause the folded tokens with the punctuation that bounds
    negation (",", ":", "(", ")") for the sentiment features.
    """

    __slots__ = (
        "text",
        "sentences",
        "_tokens",
        "marks",
        "_token_sentence",
        "_clause_ends",
        "_stems",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: list[str] = []
        self.marks: list[list[str]] = []
        sentences = _SENTENCE_RE.findall(text)
        pieces = _ascii_sentence_marks(fold(text), len(sentences))
        if pieces is None:
            pieces = [marks(fold(sentence)) for sentence in sentences]
        split: list[str] = []  # clauses of split sentences, tokenised together below
        slots: list[int] = []  # where their marks go in self.marks
        # Most sentences cannot split (see _SPLIT_TOKENS): one C call each says which.
        for sentence, found, whole in zip(
            sentences, pieces, map(_SPLIT_TOKENS.isdisjoint, pieces), strict=True
        ):
            clauses = () if whole else _clauses(sentence, found)
            if len(clauses) < 2:
                clause = sentence.strip()
                if clause:
                    self.sentences.append(clause)
                    self.marks.append(found)
                continue
            slots.extend(range(len(self.marks), len(self.marks) + len(clauses)))
            self.sentences += clauses
            self.marks += [found] * len(clauses)  # placeholders, replaced below
            split += clauses
        if split:
            for slot, found in zip(slots, _clause_marks(split), strict=True):
                self.marks[slot] = found
        self._tokens: list[str] | None = None
        self._token_sentence: list[int] | None = None
        self._clause_ends: list[int] | None = None  # words in clauses 0..k, for clauses_of
        self._stems: dict[str, list[str]] = {}

    @property
    def tokens(self) -> list[str]:
        """The marks that are words (see :meth:`words`)."""
        return self.words()

    def words(self) -> list[str]:
        """`tokens`, computed on first use (topics need them only to verify a phrase): the
        marks that are words, in one pass over the clauses' marks (filtered in C)."""
        if self._tokens is None:
            marks = chain.from_iterable(self.marks)
            self._tokens = list(filterfalse(PUNCTUATION.__contains__, marks))
        return self._tokens

    def text_of(self, clauses: Iterable[int] | None = None) -> str:
        """The whole text, or the given clauses (``sentences`` indexes) joined by spaces."""
        return self.text if clauses is None else " ".join(self.sentences[i] for i in clauses)

    @property
    def token_sentence(self) -> list[int]:
        """The clause index of each of `tokens` (computed on first use)."""
        if self._token_sentence is None:
            self._token_sentence = list(
                chain.from_iterable(map(repeat, count(), map(_token_count, self.marks)))
            )
        return self._token_sentence

    def clauses_of(self, positions: Iterable[int]) -> list[int]:
        """The clause indexes of the tokens at these positions (``token_sentence``'s values),
        sorted and unique; a few positions are found by bisection without building it."""
        ends = self._clause_ends
        if ends is None:
            ends = self._clause_ends = list(accumulate(map(_token_count, self.marks)))
        return clauses_at(ends, positions)

    def stems(self, language: str) -> list[str]:
        """Snowball stems of `tokens` (computed once per language)."""
        cached = self._stems.get(language)
        if cached is None:
            cached = self._stems[language] = stems(self.tokens, language)
        return cached


def clauses_at(ends: list[int], positions: Iterable[int]) -> list[int]:
    """The clause indexes of these word positions, sorted and unique, given the words in
    clauses 0..k of each clause k (see :meth:`Document.clauses_of`)."""
    return sorted(set(map(partial(bisect_right, ends), positions)))


def _ascii_sentence_marks(folded: str, n_sentences: int) -> list[list[str]] | None:
    """Marks of each sentence of an ASCII folded text in one pass (C string methods), or None
    when the pieces do not line up one-to-one with `split_sentences`' sentences (folding can
    add or drop terminators, e.g. "…" -> "...")."""
    if not folded.isascii():
        return None
    spaced = folded.encode("ascii").translate(_ASCII_SENTENCES).decode("ascii")
    for mark in PUNCTUATION:
        if mark in spaced:
            spaced = spaced.replace(mark, f" {mark} ")
    pieces = [piece.split() for piece in spaced.split(".") if piece]
    return pieces if len(pieces) == n_sentences else None


# As _ASCII_MARKS, but a line break stays one: it separates the clauses of _clause_marks.
_ASCII_CLAUSES = bytes(10 if i == 10 else c for i, c in enumerate(_ASCII_MARKS))


def _clause_marks(clauses: list[str]) -> list[list[str]]:
    """``[marks(fold(clause)) for clause in clauses]``, with the clauses folded and tokenised
    together (joined by line breaks) when each takes fold's Latin path; else one by one.

    Folding and tokenising are per character except fold's choice of path, which is made per
    clause here as fold makes it; a line break (never inside a clause of a cleaned text) keeps
    lower-casing and NFKD apart on either side."""
    joined = "\n".join(clauses).lower()
    if joined.count("\n") != len(clauses) - 1:
        return [marks(fold(clause)) for clause in clauses]  # a clause holds a line break
    if not joined.isascii():
        folded = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode("ascii")
        kept = list(map(len, folded.split("\n")))
        lengths = list(map(len, joined.split("\n")))
        # Accents only (the usual case): every clause keeps its length, so fold's check holds.
        if kept != lengths and (
            len(kept) != len(clauses)
            or any(a * 10 < t * 9 for a, t in zip(kept, lengths, strict=True))
        ):
            return [marks(fold(clause)) for clause in clauses]  # another script: fold's path
        joined = folded
    spaced = joined.encode("ascii").translate(_ASCII_CLAUSES).decode("ascii")
    for mark in PUNCTUATION:
        if mark in spaced:
            spaced = spaced.replace(mark, f" {mark} ")
    return [piece.split() for piece in spaced.split("\n")]


def _words(found: list[str]) -> list[str]:
    """The marks that are words (filtered in C)."""
    return list(filterfalse(PUNCTUATION.__contains__, found))


def _token_count(found: list[str]) -> int:
    """How many of these marks are words."""
    if PUNCTUATION.isdisjoint(found):
        return len(found)
    return len(found) - sum(map(found.count, PUNCTUATION))


def _has_punct(found: list[str]) -> bool:
    return not PUNCTUATION.isdisjoint(found)
