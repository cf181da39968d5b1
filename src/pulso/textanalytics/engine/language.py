"""Language identification with py3langid, restricted to languages customers plausibly write in."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from .tokens import WORD_MARKS, BatchTokens, IdTable

SUPPORTED = ("es", "en", "pt")
UNDETERMINED = "und"
# Galician, Catalan, Asturian etc. are left out by default: with them in, short Spanish comments
# ("muy bien todo") are often labelled gl/ca. A deployment that serves them can pass its own list.
DEFAULT_CANDIDATES = (
    "es en pt fr de it nl pl ro ru uk ar zh ja ko tr sv da no fi cs el he hi".split()
)
MIN_LETTERS = 3
SAMPLE_CHARS = 200  # py3langid walks bytes in Python (~1 us/byte): a prefix is enough
SHORT_LETTERS = 40
# Fast path: frequent function words that (mostly) belong to one language. Long comments with a
# clear majority are decided here, ~20x cheaper than py3langid; anything unclear goes to it.
_FUNCTION_WORDS = {
    "es": "el los las del una por con muy pero es y lo fue como para estaba esta mas habia",
    "en": "the and of to is was it i with my for this that not but were have they you",
    "pt": "o os do da em um uma nao mais muito ao voce e foi com para estava sao pelo",
    "fr": "le les et est pas une des du je il nous vous dans avec ce qui tres mais",
    "it": "il di che non per sono della con gli anche ho molto ma questo era",
    "de": "der die und das ist nicht ich sie es mit den ein eine zu auf sehr war",
}
_WORD_LANG: dict[str, list[str]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _w in _words.split():
        _WORD_LANG.setdefault(_w, []).append(_lang)
_VOTE_LANGUAGES = list(_FUNCTION_WORDS)
# The same table as bit masks (bit k: _VOTE_LANGUAGES[k]), for a batch's vote in numpy.
_WORD_BITS = {w: sum(1 << _VOTE_LANGUAGES.index(lang) for lang in v) for w, v in _WORD_LANG.items()}
VOTE_MIN_TOKENS = 25  # 25 tokens have >= 3 letters
VOTE_TOKENS = 200
_BITS_BY_ID = IdTable(
    lambda marks: [_WORD_BITS.get(m, 0) for m in marks], lambda v: np.array(v, np.int8)
)


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """ISO 639-1 code (or "und"), the model's confidence and whether Pulso analyses it."""

    code: str
    confidence: float
    supported: bool


_lock = threading.Lock()
_identifiers: dict[tuple[str, ...], LanguageIdentifier] = {}


def _identifier(candidates: tuple[str, ...]) -> LanguageIdentifier:
    with _lock:  # the model takes ~0.5 s to load: do it once per process
        ident = _identifiers.get(candidates)
        if ident is None:
            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            ident.set_languages(list(candidates))
            # py3langid keeps the full 142-language table (~28 MB) to allow a later reset;
            # each candidate set has its own identifier here, so only the subset is kept.
            if hasattr(ident, "_full_model"):
                ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
            _identifiers[candidates] = ident
        return ident


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def function_word_vote(tokens: list[str]) -> str | None:
    """A language when its function words clearly dominate (>= 5 hits, 3x the runner-up)."""
    votes = Counter(chain.from_iterable(map(_WORD_LANG.get, tokens, repeat(()))))  # all in C
    if not votes:
        return None
    # As most_common(2) without its heap: the first language with the most hits wins ties.
    best = max(votes, key=votes.__getitem__)
    hits = votes[best]
    runner_up = max((n for language, n in votes.items() if language != best), default=0)
    return best if hits >= 5 and hits >= 3 * runner_up else None


def function_word_votes(token_lists: Sequence[list[str]]) -> list[str | None]:
    """:func:`function_word_vote` of the first VOTE_TOKENS tokens of each list, for a batch at
    once: one dictionary pass over all the tokens, then per-language counts in numpy."""
    heads = [tokens[:VOTE_TOKENS] for tokens in token_lists]
    flat = list(map(_WORD_BITS.get, chain.from_iterable(heads), repeat(0)))
    lengths = np.fromiter(map(len, heads), dtype=np.int64, count=len(heads))
    return _votes(np.array(flat, dtype=np.int64), lengths)


def batch_votes(batch: BatchTokens) -> list[str | None]:
    """:func:`function_word_vote` of each document of the batch (its first VOTE_TOKENS
    words), None for one of fewer than VOTE_MIN_TOKENS words: numpy over the mark ids."""
    words = WORD_MARKS.gather(batch)
    bits = _BITS_BY_ID.gather(batch)
    words_before = np.concatenate([[0], np.cumsum(words)])
    mark_ends = np.cumsum(batch.marks_per_doc)
    first_word = words_before[mark_ends - batch.marks_per_doc]
    doc_of_mark = np.repeat(np.arange(len(mark_ends)), batch.marks_per_doc)
    rank = words_before[1:] - first_word[doc_of_mark]  # 1 for each document's first word
    heads = words & (rank <= VOTE_TOKENS)
    lengths = np.bincount(doc_of_mark[heads], minlength=len(mark_ends))
    votes = _votes(bits[heads], lengths)
    n_words = (words_before[mark_ends] - first_word).tolist()
    return [v if n >= VOTE_MIN_TOKENS else None for v, n in zip(votes, n_words, strict=True)]


def _votes(codes: np.ndarray, lengths: np.ndarray) -> list[str | None]:
    """The vote of each run of `lengths` function-word bit masks (0 for other words)."""
    bits = (codes[:, None] >> np.arange(len(_VOTE_LANGUAGES))) & 1
    totals = np.zeros((len(codes) + 1, len(_VOTE_LANGUAGES)), dtype=np.int64)
    np.cumsum(bits, axis=0, out=totals[1:])
    ends = np.cumsum(lengths)
    counts = totals[ends] - totals[ends - lengths]
    ranked = np.sort(counts, axis=1)
    best, runner_up = ranked[:, -1], ranked[:, -2]
    # A tie for the most hits leaves runner_up == best: no vote, as function_word_vote.
    clear = (best >= 5) & (best >= 3 * runner_up)
    winners = counts.argmax(axis=1)
    return [
        _VOTE_LANGUAGES[w] if ok else None
        for w, ok in zip(winners.tolist(), clear.tolist(), strict=True)
    ]


class LanguageDetector:
    """Detects the language of a comment; short ambiguous texts fall back to `default`."""

    def __init__(
        self,
        candidates: tuple[str, ...] | list[str] = DEFAULT_CANDIDATES,
        supported: tuple[str, ...] | list[str] = SUPPORTED,
        default: str = "es",
        min_confidence: float = 0.5,
    ) -> None:
        self.candidates = tuple(dict.fromkeys([*candidates, *supported]))
        self.supported = frozenset(supported)
        self.default = default
        self.min_confidence = min_confidence

    def load(self) -> None:
        """Load py3langid's model now (once per process: ~0.5 s and a ~100 MB transient),
        before a batch's documents are built rather than while they are held."""
        _identifier(self.candidates)

    def detect(self, text: str, tokens: list[str] | None = None) -> LanguageGuess:
        """Best guess; "und" for empty, emoji-only or too-short input.

        `tokens` (folded, see normalize.tokenize) enables the cheap function-word path.
        """
        if tokens is not None and len(tokens) >= VOTE_MIN_TOKENS:
            voted = function_word_vote(tokens[:VOTE_TOKENS])
            if voted is not None and voted in self.candidates:
                return LanguageGuess(voted, 1.0, voted in self.supported)
        return self._identify(text)

    def detect_many(
        self, texts: Sequence[str], token_lists: Sequence[list[str]]
    ) -> list[LanguageGuess]:
        """:meth:`detect` of each text with its tokens; the function-word votes of the batch
        are counted together."""
        long = [k for k, tokens in enumerate(token_lists) if len(tokens) >= VOTE_MIN_TOKENS]
        voted: list[str | None] = [None] * len(texts)
        votes = function_word_votes([token_lists[k] for k in long])
        for k, vote in zip(long, votes, strict=True):
            voted[k] = vote
        return self.detect_voted(texts, voted)

    def detect_voted(
        self, texts: Sequence[str], voted: Sequence[str | None]
    ) -> list[LanguageGuess]:
        """:meth:`detect` of each text given its function-word vote (see batch_votes); a
        voted language's guess is shared (guesses are immutable)."""
        shared: dict[str, LanguageGuess] = {}
        guesses = []
        for text, vote in zip(texts, voted, strict=True):
            if vote is not None and vote in self.candidates:
                guess = shared.get(vote)
                if guess is None:
                    guess = shared[vote] = LanguageGuess(vote, 1.0, vote in self.supported)
                guesses.append(guess)
            else:
                guesses.append(self._identify(text))
        return guesses

    def _identify(self, text: str) -> LanguageGuess:
        """py3langid's guess for text without a clear function-word vote."""
        sample = text[:SAMPLE_CHARS]
        letters = _letter_count(sample)
        if letters < MIN_LETTERS:
            return LanguageGuess(UNDETERMINED, 0.0, False)
        ranked = _identifier(self.candidates).rank(sample)
        code, confidence = ranked[0]
        if confidence < self.min_confidence and letters < SHORT_LETTERS:
            code, confidence = self._prefer_default(ranked, code, confidence)
        return LanguageGuess(code, float(confidence), code in self.supported)

    def _prefer_default(
        self, ranked: list[tuple[str, float]], code: str, confidence: float
    ) -> tuple[str, float]:
        """Short, unclear text ("Genial", "Perfecto"): the deployment's language is the prior."""
        scores = dict(ranked)
        default_score = scores.get(self.default, 0.0)
        if self.default in self.supported and default_score >= confidence / 3:
            return self.default, default_score
        return code, confidence
