"""Checking an uploaded visit photo: an image format phones produce, within the size limit.

The format is read from the file's first bytes, never from its name or the browser's word.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# format → (extension, how its files start)
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": ("jpg", (b"\xff\xd8\xff",)),
    "webp": ("webp", ()),  # RIFF....WEBP, checked below
}
ACCEPT = "image/png,image/jpeg,image/webp"


def image_format(head: bytes) -> str | None:
    """``png``, ``jpeg`` or ``webp`` from a file's first 12 bytes; None for anything else."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for name, (_extension, starts) in SIGNATURES.items():
        if any(head.startswith(start) for start in starts):
            return name
    return None


def validate_photo(upload: UploadedFile) -> str:
    """The photo's extension; ValidationError when it is too large, empty or not an image."""
    size = upload.size or 0
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(max)s MB; take it again at a lower resolution.")
            % {"max": MAX_PHOTO_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    found = image_format(head) if size else None
    if found is None:
        raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="not_image")
    return SIGNATURES[found][0]
