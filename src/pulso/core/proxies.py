"""Running behind reverse proxies (nginx, a load balancer): whose address is the client's.

Without proxies, ``REMOTE_ADDR`` is the client. Behind ``PULSO_PROXY_COUNT`` proxies that each
append the address they received from to ``X-Forwarded-For``, it is the proxy's, and every
respondent would share one per-IP rate limit; werkzeug's ``ProxyFix`` then restores the
address the outermost proxy saw (entries a client wrote into the header itself are ignored).
"""

from __future__ import annotations

from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix


def behind_proxies(application: Any, hops: int) -> Any:
    """``application`` trusting ``hops`` proxies' X-Forwarded-For (unchanged when 0)."""
    if hops <= 0:
        return application
    return ProxyFix(application, x_for=hops, x_proto=0)  # HTTPS: SECURE_PROXY_SSL_HEADER
