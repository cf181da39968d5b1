from __future__ import annotations

from typing import Any

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Variable → field of the provider's discovery document.
FIELDS = {
    "PULSO_OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "PULSO_OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "PULSO_OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "PULSO_OIDC_JWKS_ENDPOINT": "jwks_uri",
    "PULSO_OIDC_ISSUER": "issuer",
}


class Command(BaseCommand):
    help = "Print the PULSO_OIDC_* endpoint variables read from an OpenID provider's discovery."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("issuer", help="e.g. https://sso.example.com/realms/acme")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["issuer"].rstrip("/") + "/.well-known/openid-configuration"
        try:
            answer = requests.get(url, timeout=10)
            answer.raise_for_status()
            document = answer.json()
        except (requests.RequestException, ValueError) as exc:
            raise CommandError(f"Could not read {url}: {exc}") from exc
        missing = [field for field in FIELDS.values() if not document.get(field)]
        if missing:
            raise CommandError(f"{url} lacks {', '.join(missing)}")
        for variable, field in FIELDS.items():
            self.stdout.write(f"{variable}={document[field]}")
        algorithms = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        self.stdout.write(
            f"PULSO_OIDC_SIGN_ALGO={'RS256' if 'RS256' in algorithms else algorithms[0]}"
        )
