"""Key phrases: short runs of content words (optionally joined by "de"/"of"), a few per comment."""

from __future__ import annotations

import re

from .normalize import Document, fold

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
_CONNECTORS = frozenset(["de", "del", "of", "da", "do"])
MAX_WORDS = 3
_SURFACE_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def _surface_forms(doc: Document) -> list[str]:
    """Tokens with their accents for display; folded tokens when the two do not align."""
    surface = [w for s in doc.sentences for w in _SURFACE_RE.findall(s.lower())]
    return surface if len(surface) == len(doc.tokens) else doc.tokens


def _runs(doc: Document, stop: frozenset[str]) -> list[list[int]]:
    """Maximal runs of content-word positions inside one clause (connectors allowed inside)."""
    runs: list[list[int]] = []
    run: list[int] = []
    previous_sentence = -1
    for i, (token, sentence) in enumerate(zip(doc.tokens, doc.token_sentence, strict=True)):
        content = len(token) > 2 and token.isalpha() and token not in stop
        connector = token in _CONNECTORS and bool(run) and len(run) < MAX_WORDS - 1
        if sentence == previous_sentence and (content or connector):
            run.append(i)
            continue
        runs.append(run)
        run = [i] if content else []
        previous_sentence = sentence
    runs.append(run)
    return [_trim(r, doc.tokens) for r in runs if r]


def _trim(run: list[int], tokens: list[str]) -> list[int]:
    while run and tokens[run[-1]] in _CONNECTORS:
        run = run[:-1]
    return run


def key_phrases_doc(doc: Document, language: str, limit: int = 3) -> list[str]:
    """Up to `limit` phrases, longer and repeated ones first, then by position."""
    stop = STOPWORDS.get(language, STOPWORDS["en"])
    surface = _surface_forms(doc)
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    position = 0
    for run in _runs(doc, stop):
        for k in range(0, len(run), MAX_WORDS):
            phrase = " ".join(surface[i] for i in run[k : k + MAX_WORDS])
            if phrase:
                counts[phrase] = counts.get(phrase, 0) + 1
                first.setdefault(phrase, position)
                position += 1
    ranked = sorted(counts, key=lambda p: (-min(p.count(" ") + 1, 2), -counts[p], first[p]))
    return ranked[:limit]


def key_phrases(text: str, language: str, limit: int = 3) -> list[str]:
    """Key phrases of a raw text (see key_phrases_doc)."""
    return key_phrases_doc(Document(text[:5000]), language, limit)
