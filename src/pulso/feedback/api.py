"""REST API routers of the feedback app, mounted by pulso.api."""

from __future__ import annotations

from ninja import Router

routers: list[tuple[str, Router]] = []
