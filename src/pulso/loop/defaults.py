"""Rules and SLA policies shipped with Pulso (loaded by a data migration; idempotent)."""

from __future__ import annotations

from typing import Any

CHURN_KEYWORDS = [
    "darme de baja",
    "dar de baja",
    "me doy de baja",
    "cancelar el contrato",
    "cancelación del contrato",
    "cancelación",
    "cancel my contract",
    "cancel my subscription",
]

THANKS_ES = (
    "Hola {nombre}:\n\nGracias por recomendarnos tras tu experiencia en {punto_de_contacto}. "
    "Opiniones como la tuya nos ayudan a mejorar cada día.\n\nUn saludo,\nEl equipo de {empresa}"
)
THANKS_EN = (
    "Hello {nombre},\n\nThank you for recommending us after your experience at "
    "{punto_de_contacto}. Feedback like yours helps us improve every day.\n\n"
    "Best regards,\nThe {empresa} team"
)

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "name": "Riesgo de baja: caso de prioridad alta",
        "description": "Comentarios que mencionan una cancelación o darse de baja.",
        "position": 10,
        "conditions": {"keywords": CHURN_KEYWORDS},
        "action": "open_case",
        "case_priority": "high",
        "case_unit": "experience_unit",
    },
    {
        "name": "Detractor: abrir un caso",
        "description": "Cada detractor (NPS 0–6) abre un caso en la unidad donde el cliente "
        "vivió la experiencia (o la más cercana por encima con quien gestione casos).",
        "position": 20,
        "conditions": {"kind": ["response"], "nps_group": ["detractor"]},
        "action": "open_case",
        "case_priority": "normal",
        "case_unit": "experience_unit",
    },
    {
        "name": "Promotor: agradecimiento",
        "description": "Un mensaje de agradecimiento a cada promotor (NPS 9–10) que acepta "
        "ser contactado.",
        "position": 30,
        "conditions": {"kind": ["response"], "nps_group": ["promoter"]},
        "action": "thank_you",
        "subject_es": "Gracias por tu opinión, {nombre}",
        "body_es": THANKS_ES,
        "subject_en": "Thank you for your feedback, {nombre}",
        "body_en": THANKS_EN,
    },
]

# priority → (first contact hours, resolution hours, reminder hours before a deadline)
DEFAULT_SLAS = {
    "urgent": (4, 24, 1),
    "high": (24, 72, 4),
    "normal": (48, 168, 8),
    "low": (72, 336, 24),
}


def load_default_rules(rule_model: Any, sla_model: Any) -> None:
    """Create the shipped rules and SLA policies that do not exist yet (by name / priority)."""
    for fields in DEFAULT_RULES:
        rule_model.objects.get_or_create(
            name=fields["name"], defaults={**fields, "is_default": True}
        )
    for priority, (contact, resolution, reminder) in DEFAULT_SLAS.items():
        sla_model.objects.get_or_create(
            priority=priority,
            defaults={
                "first_contact_hours": contact,
                "resolution_hours": resolution,
                "reminder_hours": reminder,
            },
        )


# Messages a case owner sends the customer from the case page (placeholders as in rules).
CONTACT_TEMPLATES: dict[str, dict[str, str]] = {
    "disculpa": {
        "label": "Disculpa y solución",
        "subject": "Sobre tu experiencia con {empresa} (caso {caso})",
        "body": (
            "Hola {nombre}:\n\nSentimos mucho lo ocurrido en {punto_de_contacto}. Ya estamos "
            "trabajando para solucionarlo y te llamaremos para acordar cómo compensarte.\n\n"
            "Un saludo,\nEl equipo de {unidad}"
        ),
    },
    "llamada": {
        "label": "Petición de llamada",
        "subject": "¿Podemos llamarte? (caso {caso})",
        "body": (
            "Hola {nombre}:\n\nQueremos entender mejor lo que pasó en {punto_de_contacto}. "
            "¿Nos dices a qué hora te viene bien que te llamemos?\n\nUn saludo,\nEl equipo de "
            "{unidad}"
        ),
    },
    "resuelto": {
        "label": "Problema resuelto",
        "subject": "Tu caso {caso} está resuelto",
        "body": (
            "Hola {nombre}:\n\nTe confirmamos que hemos resuelto el problema que nos contaste. "
            "Gracias por ayudarnos a mejorar.\n\nUn saludo,\nEl equipo de {unidad}"
        ),
    },
}
