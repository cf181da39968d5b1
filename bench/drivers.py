"""Benchmark: key-driver analysis of 1,000,000 responses with 10 drivers and 200 replicates.

    .venv/bin/python bench/drivers.py [--responses N] [--replicates B] [--repeat R]

The responses are synthesised in numpy in the shape the driver page reads from the database
(one row per response: its NPS answer; its touchpoint's satisfaction in that touchpoint's
column, NaN in the others; rated attributes, some unanswered; topics as 0/1), from known
weights. The same ``pulso.drivers.analysis.analyse`` the page calls then runs on one core
(BLAS threads set to 1 before numpy loads). Prints the ranking with intervals and the
time; the last line is JSON ``{"kda_1m_s": …}`` (best wall time of the repeats; CPU time too).
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pulso.drivers.analysis import (  # noqa: E402
    ATTRIBUTE,
    TOPIC,
    TOUCHPOINT,
    Driver,
    DriverMatrix,
    analyse,
)

TOUCHPOINTS = 4  # each response rates the one touchpoint it is about
ATTRIBUTES = 3  # rated in the same response, 15 % left unanswered
TOPICS = 3  # mentioned in the comment or not
# Effect on the latent 0–10 score of a one-point (0–1 scale) change, or of a mention.
EFFECTS = [4.0, 2.5, 1.5, 3.0, 3.5, 1.0, 2.0, -2.5, -1.0, 0.5]


def synthesise(n: int, seed: int = 20261202) -> DriverMatrix:
    rng = np.random.default_rng(seed)
    p = TOUCHPOINTS + ATTRIBUTES + TOPICS
    # One common "overall experience" factor correlates every score with the others.
    common = rng.standard_normal(n)
    scores = 0.6 * common[:, None] + 0.8 * rng.standard_normal((n, TOUCHPOINTS + ATTRIBUTES))
    scores = np.clip(np.round(3 + scores * 1.1), 1, 5)  # 1–5 answers
    scores = (scores - 1) / 4
    topics = (rng.random((n, TOPICS)) < [0.2, 0.1, 0.05]) * 1.0
    topics[:, 0] = np.where(common < -0.5, rng.random(n) < 0.4, topics[:, 0])  # complaints
    x = np.column_stack([scores, topics])
    latent = 1.5 + (x * EFFECTS[:p]).sum(axis=1) + rng.standard_normal(n) * 1.5
    y = np.clip(np.round(latent), 0, 10)
    at = rng.integers(0, TOUCHPOINTS, n)
    x[:, :TOUCHPOINTS] = np.where(np.arange(TOUCHPOINTS) == at[:, None], x[:, :TOUCHPOINTS], np.nan)
    skipped = rng.random((n, ATTRIBUTES)) < 0.15
    x[:, TOUCHPOINTS : TOUCHPOINTS + ATTRIBUTES][skipped] = np.nan
    drivers = [
        *(
            Driver(f"{TOUCHPOINT}:{i}", TOUCHPOINT, f"Punto de contacto {i}")
            for i in range(TOUCHPOINTS)
        ),
        *(Driver(f"{ATTRIBUTE}:a{i}", ATTRIBUTE, f"Atributo {i}") for i in range(ATTRIBUTES)),
        *(Driver(f"{TOPIC}:t{i}", TOPIC, f"Tema {i}") for i in range(TOPICS)),
    ]
    return DriverMatrix(drivers=drivers, x=x, y=y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    matrix = synthesise(args.responses)
    took = time.perf_counter() - started
    print(f"synthesised {matrix.n:,} responses × {len(matrix.drivers)} drivers in {took:.2f}s")
    walls, cpus = [], []
    result = None
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = analyse(matrix, low_base=30, replicates=args.replicates)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    r2 = f"R² {result.r2:.3f} [{result.r2_low:.3f}, {result.r2_high:.3f}]"
    print(f"{r2}, {result.replicates} replicates")
    for r in result.ranked():
        impact = f", impact {r.impact.delta:+.1f} NPS" if r.impact else ""
        share, low, high = r.percent
        print(
            f"  {r.driver.label:<20} {share:5.1f} % [{low:5.1f}, {high:5.1f}]  n={r.base}{impact}"
        )
    print("analysis: wall", ", ".join(f"{w:.2f}" for w in walls), "s;", end=" ")
    print("CPU", ", ".join(f"{c:.2f}" for c in cpus), "s")
    figures = {
        "kda_1m_s": round(min(walls), 3),
        "kda_1m_cpu_s": round(min(cpus), 3),
        "responses": matrix.n,
        "drivers": len(matrix.drivers),
        "replicates": args.replicates,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
