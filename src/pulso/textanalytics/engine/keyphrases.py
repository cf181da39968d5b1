"""Key phrases: short runs of content words (optionally joined by "de"/"of"), a few per comment."""

from __future__ import annotations

import re

from .normalize import fold

_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W_]+)?|\d+|[^\w\s]")

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


def _candidates(text: str, stop: frozenset[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    run: list[str] = []
    for word in _WORD_RE.findall(text.lower()):
        folded = fold(word)
        if folded.isalpha() and len(folded) > 2 and folded not in stop:
            run.append(word)
            continue
        if folded in _CONNECTORS and run and len(run) < MAX_WORDS - 1:
            run.append(word)  # "servicio de habitaciones": tentatively keep the connector
            continue
        while run and fold(run[-1]) in _CONNECTORS:
            run.pop()
        if run:
            runs.append(run)
        run = []
    while run and fold(run[-1]) in _CONNECTORS:
        run.pop()
    if run:
        runs.append(run)
    return [r[i : i + MAX_WORDS] for r in runs for i in range(0, len(r), MAX_WORDS)]


def key_phrases(text: str, language: str, limit: int = 3) -> list[str]:
    """Up to `limit` phrases, longer and repeated ones first, then by position."""
    stop = STOPWORDS.get(language, STOPWORDS["en"])
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for position, run in enumerate(_candidates(text[:5000], stop)):
        phrase = " ".join(run)
        counts[phrase] = counts.get(phrase, 0) + 1
        first.setdefault(phrase, position)
    ranked = sorted(counts, key=lambda p: (-min(p.count(" ") + 1, 2), -counts[p], first[p]))
    return ranked[:limit]
