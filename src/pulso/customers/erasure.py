"""Erasing a customer (GDPR right to erasure): their personal data removed everywhere, their
answers' scores kept so that every dashboard total stays the same.

Apps that hold texts about a customer register an eraser (``register_eraser`` from their
``AppConfig.ready``): it rewrites the customer's own rows, masking every personal detail in
them (:func:`pulso.lib.personal_data.mask`) besides their name, email and phone. Then a sweep
replaces any remaining occurrence of those three, in every text and JSON column of every table
(another customer's comment that names them, an audit entry, a queued message), so that nothing
is left whatever app wrote it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.functions import Cast

from pulso.lib.personal_data import mask

ERASED = "[borrado]"


@dataclass
class Erasure:
    """What is being erased: the customer's id and the strings that identify them."""

    customer_id: int
    secrets: list[str]
    # One of many erasures of a pass (retention): work done once for all of them, such as
    # merging a search index, is left to the end of the pass.
    in_pass: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    # model label → primary keys of the rows the sweep rewrote (for erasers that run after it)
    swept: dict[str, set[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        words = sorted({s for s in self.secrets if s and len(s) >= 3}, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
        )

    def redact(self, text: str) -> str:
        """``text`` without the customer's name, email and phone, and without personal details."""
        if not text:
            return text
        if self._pattern is not None:
            text = self._pattern.sub(ERASED, text)
        return mask(text)

    def mentions(self, text: str) -> bool:
        return bool(text) and self._pattern is not None and bool(self._pattern.search(text))

    def redact_json(self, value: Any, *, every_string: bool = False) -> Any:
        """A JSON value with its strings redacted (those mentioning the customer, or all)."""
        if isinstance(value, str):
            return self.redact(value) if every_string or self.mentions(value) else value
        if isinstance(value, list):
            return [self.redact_json(v, every_string=every_string) for v in value]
        if isinstance(value, dict):
            return {k: self.redact_json(v, every_string=every_string) for k, v in value.items()}
        return value

    def count(self, what: str, n: int) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n


Eraser = Callable[[Erasure], None]
ERASERS: list[Eraser] = []
AFTER_SWEEP: list[Eraser] = []


def register_eraser(eraser: Eraser, *, after_sweep: bool = False) -> None:
    """Run ``eraser`` on every erasure: before the sweep (rewrite the customer's own rows) or
    after it (rebuild what derives from rewritten rows, such as search documents)."""
    chosen = AFTER_SWEEP if after_sweep else ERASERS
    if eraser not in chosen:
        chosen.append(eraser)


def secrets_of(name: str, email: str, phone: str) -> list[str]:
    """The strings to remove: the name, the email, and the phone as stored and as people write
    it (without the country code, digits only)."""
    found = [name, email, phone]
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 6:
        found.append(digits)
        found.append(digits[-9:])  # a Spanish number written without +34
    return [s.strip() for s in found if s and s.strip()]


TEXT_FIELDS = (models.CharField, models.TextField)


def _text_columns() -> Iterable[tuple[type[models.Model], models.Field[Any, Any]]]:
    staff = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model is staff:
            continue  # staff accounts are people of the company, not customers
        for column in model._meta.concrete_fields:
            if isinstance(column, (*TEXT_FIELDS, models.JSONField)) and not column.choices:
                yield model, column


def _found(model: type[models.Model], column: models.Field[Any, Any], erasure: Erasure) -> Any:
    """Rows whose ``column`` mentions the customer (JSON searched as text, with the escaped
    form too, as SQLite stores non-ASCII characters)."""
    name = column.attname
    queryset = model._base_manager.all()
    if isinstance(column, models.JSONField):
        queryset = queryset.annotate(_as_text=Cast(name, models.TextField()))
        name = "_as_text"
    condition = models.Q(pk__in=[])
    for secret in erasure.secrets:
        for form in {secret, json.dumps(secret)[1:-1]}:
            condition |= models.Q(**{f"{name}__icontains": form})
    return queryset.filter(condition).values_list("pk", column.attname)


def sweep(erasure: Erasure) -> None:
    """Replace what identifies the customer in every text and JSON column of every table."""
    for model, column in _text_columns():
        manager = model._base_manager
        for pk, value in _found(model, column, erasure):
            if isinstance(column, models.JSONField):
                redacted = erasure.redact_json(value)
            else:
                redacted = erasure.redact(value)
                if column.unique:
                    redacted = f"{redacted} {pk}"
                redacted = redacted[: column.max_length or None]
            if redacted != value:
                manager.filter(pk=pk).update(**{column.attname: redacted})
                erasure.count(model._meta.label_lower, 1)
                erasure.swept.setdefault(model._meta.label_lower, set()).add(pk)


ZIP_MAGIC = b"PK\x03\x04"  # spreadsheets (.xlsx) are zip files: they cannot be searched as text


def forget_files(erasure: Erasure) -> None:
    """Delete the files Pulso keeps under its media folder (uploads waiting for review) that
    mention the customer, or that cannot be searched."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    needles = [s.lower().encode() for s in erasure.secrets]
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(ZIP_MAGIC) or any(n in data.lower() for n in needles):
            path.unlink()
            erasure.count("files", 1)
