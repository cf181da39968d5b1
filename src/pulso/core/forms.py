"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.fields import InvalidJSONInput
from django.http import QueryDict
from django.utils.translation import gettext as _

from pulso.core.text import clean_text


def clean_submitted(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """A copy of submitted form data whose texts are cleaned (see :func:`clean_text`)."""
    if isinstance(data, QueryDict):
        cleaned = QueryDict(mutable=True, encoding=data.encoding)
        for key, values in data.lists():
            cleaned.setlist(clean_text(key), [_clean(v) for v in values])
        return cleaned
    return {clean_text(key) if isinstance(key, str) else key: _clean(v) for key, v in data.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(item) for item in value)
    return value


class CleanTextMixin(forms.BaseForm):
    """Submitted text loses NUL and the other XML-illegal control characters before any field
    sees it: text pasted from other programs carries them, PostgreSQL refuses NUL and XLSX
    exports refuse the others. Put it first among a form's bases."""

    def full_clean(self) -> None:
        if self.is_bound:
            self.data = clean_submitted(self.data)
        super().full_clean()


class JSONField(forms.JSONField):
    """Django's JSON form field, which also refuses (instead of crashing on) what ``json``
    rejects with a plain ValueError, such as a number of more than 4,300 digits."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return super().bound_data(data, initial)
        except ValueError:
            return InvalidJSONInput(data)


class UploadField(forms.FileField):
    """A file field that refuses a file over ``max_mb`` megabytes, saying how much is allowed."""

    def __init__(self, *, max_mb: int, **kwargs: Any) -> None:
        self.max_mb = max_mb
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and upload.size > self.max_mb * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: split it into smaller files.")
                % {"size": self.max_mb},
                code="too_large",
            )
        return upload
