"""The proactive messages' templates (email and SMS, in the customers' Spanish), and their
rendering: ``{nombre}``, ``{incidencia}``, ``{unidad}`` and ``{empresa}`` are filled in."""

from __future__ import annotations

from collections import defaultdict

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEMPLATES: dict[str, dict[str, str | Promise]] = {
    "aviso": {
        "label": _("Warning: we know about the problem"),
        "subject": "{empresa}: sabemos que hay un problema y lo estamos resolviendo",
        "body": (
            "Hola {nombre}:\n\nNos hemos dado cuenta de un problema en {unidad} ({incidencia}) que "
            "puede haberte afectado. Ya estamos trabajando para resolverlo y te avisaremos en "
            "cuanto esté solucionado.\n\nDisculpa las molestias.\nEl equipo de {empresa}"
        ),
        "sms": "{empresa}: sabemos que hay un problema en {unidad} ({incidencia}) y ya estamos "
        "resolviéndolo. Te avisaremos. Disculpa las molestias.",
    },
    "resuelto": {
        "label": _("Resolved: the problem is fixed"),
        "subject": "{empresa}: el problema está resuelto",
        "body": (
            "Hola {nombre}:\n\nEl problema en {unidad} ({incidencia}) que pudo afectarte ya está "
            "resuelto. Si todavía notas algo, responde a este mensaje y te ayudamos.\n\n"
            "Gracias por tu paciencia.\nEl equipo de {empresa}"
        ),
        "sms": "{empresa}: el problema en {unidad} ({incidencia}) ya está resuelto. Gracias por "
        "tu paciencia.",
    },
}


def template_choices() -> list[tuple[str, str]]:
    return [(key, str(t["label"])) for key, t in TEMPLATES.items()]


def render(text: str | Promise, values: dict[str, str]) -> str:
    """Fill the placeholders; an unknown one becomes empty, a broken template stays as it is."""
    text = str(text)
    try:
        return text.format_map(defaultdict(str, values))
    except (ValueError, IndexError, AttributeError):
        return text
