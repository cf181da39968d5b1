"""Vendor Redoc for ``/api/redoc`` from the copy django-ninja ships, patched for Pulso's
Content-Security-Policy (docs/deployment.md).

django-ninja's ``redoc.standalone.js`` breaks a strict policy in two places, each patched here
with a literal replacement that must match exactly once (so a new Redoc fails loudly):

- the perfect-scrollbar CSS is injected as a ``<style>`` while the bundle loads, before
  ``Redoc.init`` hands it the nonce: it takes the nonce of the ``<script>`` being run instead;
- the side menu shows Redocly's logo from ``cdn.redoc.ly``: it is left out (no CDN).

Usage: ``python scripts/vendor_redoc.py`` (from the repository root, in the project's venv).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

VERSION = "2.5.2"
# Found without importing ninja (which wants Django's settings).
NINJA = importlib.util.find_spec("ninja")
assert NINJA is not None and NINJA.origin is not None, "django-ninja is not installed"
SOURCE = Path(NINJA.origin).parent / "static" / "ninja" / "redoc.standalone.js"
TARGET = Path("src/pulso/core/static/pulso/vendor") / f"redoc-{VERSION}.standalone.js"

PATCHES = [
    (
        'e.exports=function(e){var t=n.nc;t&&e.setAttribute("nonce",t)}',
        "e.exports=function(e){var t=n.nc||document.currentScript&&document.currentScript.nonce;"
        't&&e.setAttribute("nonce",t)}',
    ),
    (
        'e?n.createElement("img",{alt:"redocly logo",onError:()=>t(!1),'
        'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"}):null',
        "null",
    ),
]


def patched(text: str) -> str:
    if f'"{VERSION}"' not in text:
        raise SystemExit(f"{SOURCE} is not Redoc {VERSION}: update VERSION and the patches")
    for old, new in PATCHES:
        if text.count(old) != 1:
            raise SystemExit(f"Patch target not found exactly once in {SOURCE}: {old[:60]}…")
        text = text.replace(old, new)
    return text


def main() -> None:
    TARGET.write_text(patched(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"{TARGET} ({TARGET.stat().st_size:,} bytes)\n")


if __name__ == "__main__":
    main()
