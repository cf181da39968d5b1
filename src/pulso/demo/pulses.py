"""Demo step: the autumn employee pulse of every store, answered anonymously.

Each store invites its staff (4 to 14 people, in three tenure bands) and about four in five
answer through their one-time links; small stores and bands stay hidden on the results page.
"""

from __future__ import annotations

import random
from typing import Any

from pulso.accounts.models import OrgUnit
from pulso.pulses import actions
from pulso.pulses.models import DEFAULT_ITEMS, Pulse, Tenure

NAME = "Pulso de empleados · otoño"


def build(rng: random.Random, progress: Any) -> None:
    if Pulse.objects.filter(name=NAME).exists():
        return
    company = OrgUnit.objects.get(code="electrohogar")
    pulse = actions.do_create_pulse(NAME, company, DEFAULT_ITEMS, None)
    items = list(pulse.items.values_list("pk", flat=True))
    stores = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.STORE).order_by("pk"))
    tick = progress("Employee pulse", len(stores))
    for store in stores:
        mood = rng.gauss(0, 1.2)  # some stores are happier places to work than others
        for tenure in rng.choices(Tenure.values, [0.3, 0.4, 0.3], k=rng.randint(4, 14)):
            [token] = actions.do_issue_invitations(pulse, store, tenure, 1, None)
            if rng.random() < 0.8:
                enps = _score(rng, 7.2 + mood, 0, 10)
                scores = {item: _score(rng, 3.6 + mood / 3, 1, 5) for item in items}
                actions.do_record_pulse_response(token, enps, scores)
        tick(1)


def _score(rng: random.Random, centre: float, low: int, high: int) -> int:
    return int(min(max(round(rng.gauss(centre, 1.5)), low), high))
