"""Message templates written by analysts: placeholders such as ``{nombre}``, checked at save."""

from __future__ import annotations

from string import Formatter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDERS = {
    "nombre": gettext_lazy("customer's name"),
    "punto_de_contacto": gettext_lazy("touchpoint"),
    "recorrido": gettext_lazy("journey"),
    "unidad": gettext_lazy("org unit"),
    "empresa": gettext_lazy("company name"),
    "puntuacion": gettext_lazy("score given"),
    "fecha": gettext_lazy("date of the feedback"),
    "caso": gettext_lazy("case number"),
    "enlace": gettext_lazy("link (recovery survey)"),
}


def placeholders_in(template: str) -> list[str]:
    """Names used in ``template``; ValueError when the braces are malformed."""
    return [name for _text, name, _spec, _conv in Formatter().parse(template) if name is not None]


def validate_template(template: str) -> None:
    """Refuse unknown placeholders, positional ``{}``, formats and unbalanced braces."""
    if not template:
        return
    try:
        names = placeholders_in(template)
    except ValueError:
        raise ValidationError(
            _("Unbalanced braces: write placeholders as {nombre}, and a literal brace as {{."),
            code="braces",
        ) from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        raise ValidationError(
            _("Unknown placeholder(s): %(unknown)s. Available: %(allowed)s.")
            % {"unknown": ", ".join("{" + n + "}" for n in unknown), "allowed": allowed},
            code="placeholder",
        )


def render(template: str, values: dict[str, Any]) -> str:
    """Fill a validated template; a missing value becomes an empty string."""
    filled = {name: values.get(name, "") for name in PLACEHOLDERS}
    try:
        return template.format_map(filled)
    except (ValueError, KeyError, IndexError, AttributeError):
        return template  # never lose a message because of a template edited outside the forms
