"""Ready-made question sets (NPS, CSAT, CES, eNPS) in Spanish and English.

Each question is a dict of :class:`~pulso.surveys.models.Question` fields without ``version``
and ``position``, so ``Question(version=v, position=i, **spec)`` builds it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

TEMPLATE_CHOICES = [
    ("nps", _("NPS: likelihood to recommend")),
    ("csat", _("CSAT: satisfaction")),
    ("ces", _("CES: customer effort")),
    ("enps", _("eNPS: employees")),
    ("blank", _("Blank survey")),
]

FOLLOW_UPS = {
    "nps": [
        ("detractor", "¿Qué deberíamos mejorar?", "What should we improve?"),
        ("passive", "¿Qué nos faltó para darte un 10?", "What kept us from a 10?"),
        ("promoter", "¿Qué es lo que más te gustó?", "What did you like most?"),
    ],
    "enps": [
        ("detractor", "¿Qué cambiarías para trabajar mejor?", "What would you change?"),
        ("passive", "¿Qué nos falta para ser un 10?", "What is missing for a 10?"),
        ("promoter", "¿Qué es lo que más valoras?", "What do you value most?"),
    ],
}

COMMENT = {
    "key": "comment",
    "kind": "text",
    "text_es": "¿Quieres contarnos algo más?",
    "text_en": "Is there anything else you would like to tell us?",
    "required": False,
}

FIRST_QUESTION: dict[str, dict[str, Any]] = {
    "nps": {
        "key": "nps",
        "kind": "nps",
        "text_es": "¿Con qué probabilidad nos recomendarías a un amigo o familiar?",
        "text_en": "How likely are you to recommend us to a friend or relative?",
    },
    "enps": {
        "key": "enps",
        "kind": "nps",
        "text_es": "¿Con qué probabilidad recomendarías nuestra empresa como lugar para trabajar?",
        "text_en": "How likely are you to recommend our company as a place to work?",
    },
    "csat": {
        "key": "csat",
        "kind": "csat",
        "text_es": "¿Cuál es tu grado de satisfacción con la atención recibida?",
        "text_en": "How satisfied are you with the service you received?",
    },
    "ces": {
        "key": "ces",
        "kind": "ces",
        "text_es": "¿Qué tan fácil te resultó resolver lo que necesitabas?",
        "text_en": "How easy was it to get what you needed?",
    },
}

TITLES = {
    "nps": ("Tu opinión nos importa", "Your opinion matters"),
    "enps": ("Encuesta de clima", "Employee survey"),
    "csat": ("¿Qué tal te atendimos?", "How did we do?"),
    "ces": ("¿Fue fácil?", "Was it easy?"),
    "blank": ("Encuesta", "Survey"),
}


def default_questions(kind: str) -> list[dict[str, Any]]:
    """The question set of a template: "nps", "csat", "ces", "enps" or "blank"."""
    if kind == "blank":
        return []
    if kind not in FIRST_QUESTION:
        raise ValueError(f"Unknown survey template: {kind!r}")
    first = FIRST_QUESTION[kind]
    questions: list[dict[str, Any]] = [{**first, "required": True}]
    for group, text_es, text_en in FOLLOW_UPS.get(kind, []):
        questions.append(
            {
                "key": f"{group}_comment",
                "kind": "text",
                "text_es": text_es,
                "text_en": text_en,
                "required": False,
                "show_if": {"question": first["key"], "groups": [group]},
            }
        )
    if kind in ("csat", "ces"):
        questions.append(dict(COMMENT))
    return questions


def default_texts(kind: str) -> dict[str, str]:
    """Title, introduction and thank-you texts of a template's first version."""
    title_es, title_en = TITLES.get(kind, TITLES["blank"])
    return {
        "title_es": title_es,
        "title_en": title_en,
        "intro_es": "Solo te llevará un minuto. ¡Gracias por ayudarnos a mejorar!",
        "intro_en": "It only takes a minute. Thank you for helping us improve!",
        "thanks_es": "¡Gracias por tu respuesta! Leemos todas las opiniones.",
        "thanks_en": "Thank you for your answer! We read every one.",
    }
