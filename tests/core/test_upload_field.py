"""Every upload form refuses a file over its size limit with the same clear message."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pulso.core.forms import UploadField


class _OneMegabyte(forms.Form):
    file = UploadField(max_mb=1)


def _form(size: int) -> _OneMegabyte:
    upload = SimpleUploadedFile("datos.csv", b"x" * size, content_type="text/csv")
    return _OneMegabyte(data={}, files={"file": upload})


def test_a_file_at_the_limit_is_accepted() -> None:
    assert _form(1024 * 1024).is_valid()


def test_a_file_over_the_limit_is_refused_with_the_limit_in_spanish() -> None:
    with translation.override("es"):
        form = _form(1024 * 1024 + 1)
        assert not form.is_valid()
        assert form.errors["file"] == [
            "El archivo ocupa más de 1 MB: divídelo en archivos más pequeños."
        ]
