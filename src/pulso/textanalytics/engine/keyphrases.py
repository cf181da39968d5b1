"""Key phrases: short runs of content words (optionally joined by "de"/"of"), a few per comment."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain, repeat

import numpy as np

from .normalize import Document, fold
from .tokens import BatchTokens, IdTable

# fmt: off
STOPWORDS: dict[str, frozenset[str]] = {
    "es": frozenset(fold(
        "a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bien cada "
        "como con contra cual cuando de del desde donde dos el ella ellas ellos en entre era "
        "eramos eran es esa esas ese eso esos esta estaba estaban estado estamos estan estar "
        "este esto estos estuve fue fueron fui ha habia habian han has hasta hay he hemos la "
        "las le les lo los mas me mi mis mismo mucho muchos muy nada ni no nos nosotros nuestra "
        "nuestro o os otra otro para pero poco por porque que quien se sea ser si sido siempre "
        "sin sobre solo son su sus tambien tan tanto te tenemos tener tengo tiene tienen todo "
        "todos tu tus un una uno unos vez y ya yo hace hacer hizo dia dias ademas entonces "
        "luego despues tras vamos fuimos estuvimos tuvimos gracias etc super bastante demasiado "
        "realmente verdad sido cosa cosas parte forma igual tipo veces ahi alli"
    ).split()),
    "en": frozenset(
        "a about above after again all also am an and any are as at be been before being "
        "below between both but by can could did do does doing down during each few for from "
        "further had has have having he her here hers him his how i if in into is it its "
        "itself just me more most my no nor not now of off on once only or other our ours out "
        "over own same she should so some such than that the their them then there these they "
        "this those through to too under until up very was we were what when where which while "
        "who whom why will with would you your yours really thing things get got one much many "
        "well even still ever lot dont didnt doesnt isnt wasnt don didn doesn isn wasn s t "
        "thanks thank again never always".split()
    ),
    "pt": frozenset(fold(
        "a ao aos as com como da das de do dos e ela ele eles em entre era essa esse esta este "
        "eu foi for ha isso ja lhe mais mas me meu minha muito na nao nas nem no nos o os ou "
        "para pela pelo por porque quando que se sem ser seu sua tambem tem um uma uns voce "
        "sao estava estou obrigado bem"
    ).split()),
}
# fmt: on

_CONNECTORS = frozenset(["de", "del", "of", "da", "do"])
MAX_WORDS = 3
_MARK_RE = re.compile(r"[^\W_]+|[,:()]")  # as Document.marks, without folding
# Token kinds: content word, connector, anything else. A run is a content word, optionally one
# connector, then more content words ("servicio de habitaciones"); a trailing connector is cut.
_CONTENT, _CONNECTOR, _OTHER = "C", "K", "."
_RUN_RE = re.compile("CK?C*")
_MULTI_RE = re.compile("CK?C+")  # runs that give at least one phrase of two or more words
_KINDS_LIMIT = 200_000


def _kind(token: str, stop: frozenset[str]) -> str:
    if len(token) > 2 and token.isalpha() and token not in stop:
        return _CONTENT
    return _CONNECTOR if token in _CONNECTORS else _OTHER


def _pack_letters(letters: list[str]) -> np.ndarray:
    return np.frombuffer("".join(letters).encode("ascii"), dtype=np.uint8).copy()


class _Kinds(dict[str, str]):
    """Token -> kind letter for one language; a miss computes it (called from C on lookup)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.stop = STOPWORDS.get(language, STOPWORDS["en"])
        self[_SEPARATOR] = _SEPARATOR

    def __missing__(self, token: str) -> str:
        kind = _kind(token, self.stop)
        if len(self) >= _KINDS_LIMIT:
            self.clear()  # bounded memory under adversarial vocabularies
            self[_SEPARATOR] = _SEPARATOR
        self[token] = kind
        return kind


_SEPARATOR = "|"  # between clauses, in the flags and the flat marks alike; its kind is itself
_SEPARATORS = (_SEPARATOR,)  # appended after each clause
_KINDS: dict[str, _Kinds] = {}


def _flat(doc: Document, language: str) -> tuple[str, list[str]]:
    """Kind letters of every mark, and the marks, clauses joined by a separator."""
    kinds = _KINDS.get(language)
    if kinds is None:
        kinds = _KINDS[language] = _Kinds(language)
    flat = list(chain.from_iterable(chain.from_iterable(zip(doc.marks, repeat(_SEPARATORS)))))
    return "".join(map(kinds.__getitem__, flat)), flat


def _candidates(
    flags: str, flat: list[str], pattern: re.Pattern[str], single: bool
) -> tuple[list[str], list[int]]:
    """Folded phrases (with repeats) and their starts in flat: the runs' chunks of up to
    MAX_WORDS words (only chunks of two or more words unless `single`)."""
    phrases: list[str] = []
    starts: list[int] = []
    join = " ".join
    for match in pattern.finditer(flags):
        start, end = match.span()
        end -= flags[end - 1] == _CONNECTOR
        size = end - start
        if size == 1:  # the most common run: one content word
            if single:
                phrases.append(flat[start])
                starts.append(start)
        elif size <= MAX_WORDS:  # one chunk of two or three words
            phrases.append(join(flat[start:end]))
            starts.append(start)
        else:
            for k in range(start, end, MAX_WORDS):
                stop = min(k + MAX_WORDS, end)
                if stop - k < 2 and not single:
                    continue
                phrases.append(join(flat[k:stop]))
                starts.append(k)
    return phrases, starts


def _surface(doc: Document, flags: str, start: int, phrase: str) -> str:
    """The phrase as written (lower case, with its accents), else its folded form."""
    clause = flags.count(_SEPARATOR, 0, start)
    sentence = doc.sentences[clause]
    if sentence.isascii():
        return phrase  # folding only lower-cased it
    marks = _MARK_RE.findall(sentence.lower())
    if len(marks) != len(doc.marks[clause]):
        return phrase
    offset = start - flags.rfind(_SEPARATOR, 0, start) - 1
    return " ".join(marks[offset : offset + phrase.count(" ") + 1])


_KINDS_BY_ID: dict[str, IdTable[str]] = {}


def key_phrases_many(
    docs: Sequence[Document], language: str, batch: BatchTokens, limit: int = 3
) -> list[list[str]]:
    """:func:`key_phrases_doc` of each document, the batch's marks already looked up: the
    kind letters of all the batch's marks come from one numpy gather."""
    kinds = _KINDS_BY_ID.get(language)
    if kinds is None:
        stop = STOPWORDS.get(language, STOPWORDS["en"])
        kinds = _KINDS_BY_ID[language] = IdTable(
            lambda marks: [_kind(m, stop) for m in marks], _pack_letters
        )
    codes = np.insert(kinds.gather(batch), np.cumsum(batch.clause_lengths), ord(_SEPARATOR))
    flags = codes.tobytes().decode("ascii")
    flat: list[str] = []  # extended clause by clause: faster than chaining them with separators
    for doc in docs:
        for marks in doc.marks:
            flat += marks
            flat.append(_SEPARATOR)
    ends = np.cumsum(batch.marks_per_doc + batch.clauses_per_doc).tolist()
    phrases: list[list[str]] = []
    start = 0
    for doc, end in zip(docs, ends, strict=True):
        phrases.append(_ranked(doc, flags[start:end], flat[start:end], limit))
        start = end
    return phrases


def key_phrases_doc(doc: Document, language: str, limit: int = 3) -> list[str]:
    """Up to `limit` phrases, longer and repeated ones first, then by position."""
    flags, flat = _flat(doc, language)
    return _ranked(doc, flags, flat, limit)


def _ranked(doc: Document, flags: str, flat: list[str], limit: int) -> list[str]:
    """The key phrases of a document from its marks' kind letters and its marks."""
    # Phrases of two or more words rank first: single words are only needed when too few.
    phrases, starts = _candidates(flags, flat, _MULTI_RE, single=False)
    counts = Counter(phrases)
    if len(counts) < limit:
        phrases, starts = _candidates(flags, flat, _RUN_RE, single=True)
        counts = Counter(phrases)
        # Counter keeps first-occurrence order: the position breaks ties between equal counts.
        ordered = sorted(
            (-1 - (" " in p), -n, order, p) for order, (p, n) in enumerate(counts.items())
        )
        ranked = [p for *_, p in ordered[:limit]]
    else:
        # Every phrase has two or more words: by count, ties in first-occurrence order (the
        # sort of most_common is stable), as the key above.
        ranked = [p for p, _ in counts.most_common()[:limit]]
    # each phrase as it first occurs
    return [_surface(doc, flags, starts[phrases.index(p)], p) for p in ranked]


def key_phrases(text: str, language: str, limit: int = 3) -> list[str]:
    """Key phrases of a raw text (see key_phrases_doc)."""
    return key_phrases_doc(Document(text[:5000]), language, limit)
