from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds each person's email, names and groups (a claim many providers send) to the tokens."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = settings.PEOPLE.get(request.user.username, {})
        return {key: value for key, value in person.items() if key != "password"}
