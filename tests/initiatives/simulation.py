"""Simulated pilots with a known effect on NPS and unit-level noise, for checking the estimator."""

from __future__ import annotations

import numpy as np

from pulso.lib.did import Observation

PROMOTER, PASSIVE, DETRACTOR = 100.0, 0.0, -100.0


def simulate_pilot(
    seed: int,
    effect: float,
    treated_units: int = 10,
    control_units: int = 10,
    responses_per_period: float = 40.0,
    unit_shock: float = 0.05,
) -> list[Observation]:
    """Responses of a pilot whose true effect on NPS is ``effect`` points.

    Each store has its own promoter and detractor shares (level noise) and its own change
    between the periods (``unit_shock``, the noise that clustering by unit must absorb); every
    store follows a common trend; treated stores after the start gain ``effect / 200`` of
    promoters and lose as many detractors, so their expected NPS rises by exactly ``effect``.
    """
    rng = np.random.default_rng(seed)
    observations = []
    for unit in range(treated_units + control_units):
        treated = unit < treated_units
        promoters = 0.45 + rng.normal(0, 0.08)
        detractors = 0.25 + rng.normal(0, 0.05)
        for after in (False, True):
            p, d = promoters, detractors
            if after:
                shock = rng.normal(0, unit_shock)
                p, d = p + 0.02 + shock, d - 0.01 - shock / 2
                if treated:
                    p, d = p + effect / 200, d - effect / 200
            p, d = float(np.clip(p, 0.02, 0.95)), float(np.clip(d, 0.02, 0.95))
            shares = np.array([p, max(0.0, 1 - p - d), d])
            count = max(1, int(rng.poisson(responses_per_period)))
            scores = rng.choice([PROMOTER, PASSIVE, DETRACTOR], size=count, p=shares / shares.sum())
            observations += [Observation(unit, treated, after, float(s)) for s in scores]
    return observations
