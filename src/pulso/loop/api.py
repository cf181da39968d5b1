"""REST API routers of the loop app, mounted by pulso.api."""

from __future__ import annotations

from ninja import Router

routers: list[tuple[str, Router]] = []
