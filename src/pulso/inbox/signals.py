"""What a customer's words say before any classifier: a request for a person, or anger.

Matched on lower-cased, accent-folded text so that "quiero hablar con una persona" and
"QUIERO HABLAR CON UNA PERSONA" meet. Written by hand for Spanish and English.
"""

from __future__ import annotations

import re

from pulso.lib.search import fold_accents

_PERSON = [
    # Spanish
    r"\b(hablar|habla|hablo|pasame|pasarme|pasa|contactar|comunicar(me)?)\b.*\b(persona|humano|"
    r"agente|operador|operadora|alguien|asesor|asesora|empleado|empleada|gestor|gestora)\b",
    r"\b(una persona|un humano|un agente|un operador|una operadora|persona real|atencion al "
    r"cliente)\b",
    # English
    r"\b(talk|speak|chat)\b.*\b(person|human|agent|someone|representative|operator)\b",
    r"\b(real person|a human|an agent|customer service|representative)\b",
]
_PERSON_RE = re.compile("|".join(f"(?:{p})" for p in _PERSON))

# Words of an upset customer (one inflection each; matched as word prefixes).
_UPSET = (
    "fatal pesimo horrible terrible verguenza vergonzoso estafa fraude timo ladron harto harta "
    "indignad enfadad cabread furios inaceptable lamentable ridiculo desastre basura denunci "
    "mentira mentiros nunca mas incompetent asco "
    "awful angry furious ridiculous scam useless worst unacceptable disgusting fed up rubbish "
    "outrageous pathetic liars"
).split()
_UPSET_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _UPSET) + r")")


def _plain(text: str) -> str:
    return fold_accents(text.lower())


def wants_person(text: str) -> bool:
    """Does the customer ask to talk to a person?"""
    return bool(_PERSON_RE.search(_plain(text)))


def sounds_upset(text: str) -> bool:
    """Does the message read as angry (strong negative words, or shouting)?"""
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return shouting or bool(_UPSET_RE.search(_plain(text)))
