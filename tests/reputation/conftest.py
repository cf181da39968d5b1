"""A feed server on the loopback interface: tests publish a body at a path, then poll it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class FeedServer:
    base: str
    pages: dict[str, tuple[int, bytes, str]] = field(default_factory=dict)

    def publish(
        self, path: str, body: str | bytes, status: int = 200, kind: str = "application/rss+xml"
    ) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (status, data, kind)
        return self.base + path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    pages: dict[str, tuple[int, bytes, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            status, body, kind = pages.get(self.path, (404, b"not found", "text/plain"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FeedServer(f"http://127.0.0.1:{server.server_port}", pages)
    finally:
        server.shutdown()
        server.server_close()


def rss(*items: tuple[str, str, str, str]) -> str:
    """An RSS 2.0 feed of (guid, title, description, pubDate) items."""
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://resenas.example/{guid}</link>"
        f"<description>{text}</description><author>ana@example.com (Ana)</author>"
        f"<pubDate>{date}</pubDate></item>"
        for guid, title, text, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Reseñas</title><link>https://resenas.example/</link>{entries}</channel></rss>"
    )
