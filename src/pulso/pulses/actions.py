"""Creating pulses, issuing their one-time invitations, and recording anonymous answers."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

from django.db import transaction

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.core.audit import record_event
from pulso.pulses.models import (
    Pulse,
    PulseAnswer,
    PulseInvitation,
    PulseItem,
    PulseResponse,
    token_hash,
)

MAX_INVITATIONS = 2_000


class InvalidToken(Exception):
    """The token is unknown, already used, or its pulse is closed."""


@transaction.atomic
def do_create_pulse(name: str, unit: OrgUnit, items: Sequence[str], actor: AnyUser | None) -> Pulse:
    pulse = Pulse.objects.create(name=name, org_unit=unit)
    PulseItem.objects.bulk_create(
        PulseItem(pulse=pulse, position=i, text=text) for i, text in enumerate(items)
    )
    record_event("pulses.created", pulse, actor, items=len(items))
    return pulse


@transaction.atomic
def do_issue_invitations(
    pulse: Pulse, unit: OrgUnit, tenure: str, count: int, actor: AnyUser | None
) -> list[str]:
    """``count`` one-time tokens for people of ``unit``; only their hashes are kept, so the
    tokens are shown once, to be handed out without recording who got which."""
    tokens = [secrets.token_urlsafe(24) for _ in range(min(count, MAX_INVITATIONS))]
    PulseInvitation.objects.bulk_create(
        PulseInvitation(pulse=pulse, unit=unit, tenure=tenure, token_hash=token_hash(token))
        for token in tokens
    )
    record_event("pulses.invited", pulse, actor, unit=unit.pk, tenure=tenure, count=len(tokens))
    return tokens


def open_invitation(token: str) -> PulseInvitation:
    """The unused invitation of an open pulse that ``token`` opens."""
    found = (
        PulseInvitation.objects.select_related("pulse")
        .filter(token_hash=token_hash(token), is_used=False, pulse__is_open=True)
        .first()
    )
    if found is None:
        raise InvalidToken
    return found


@transaction.atomic
def do_record_pulse_response(token: str, enps: int, scores: Mapping[int, int]) -> PulseResponse:
    """Consume the token and store the answer with the token's unit and band only: nothing
    ties the response to the invitation, and no time, address or browser is kept."""
    invitation = open_invitation(token)
    if not PulseInvitation.objects.filter(pk=invitation.pk, is_used=False).update(is_used=True):
        raise InvalidToken  # answered meanwhile in another tab
    items = set(invitation.pulse.items.values_list("pk", flat=True))
    if set(scores) != items:
        raise ValueError("Every statement of the pulse needs a score.")
    response = PulseResponse.objects.create(
        pulse=invitation.pulse, unit=invitation.unit, tenure=invitation.tenure, enps=enps
    )
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, item_id=item, score=score) for item, score in scores.items()
    )
    return response
