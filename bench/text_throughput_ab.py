"""Two versions of the text pipeline timed in one process, chunk by chunk, alternated:
noise from other work on the machine then hits both alike (separate runs of
text_throughput.py vary by ±20 % on a shared machine).

Usage: python bench/text_throughput_ab.py SRC_A SRC_B [REPS]
(SRC_* are `src` folders, e.g. a `git archive` copy of main's and this checkout's). Each
version analyses the bench's 4,000 reviews in chunks of 250 with the same trained model,
REPS times (default 6); per chunk the fastest CPU time is kept, and their sums are compared.
The last printed line is one JSON object.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # pin BLAS to one thread before numpy loads

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from text_throughput import N_MEASURE, corpus  # noqa: E402

CHUNK = 250


def _load(src: str, blob: bytes | None) -> tuple[Any, bytes]:
    """An Analyzer of the pulso package under `src` (and the model blob it uses)."""
    for name in [m for m in sys.modules if m == "pulso" or m.startswith("pulso.")]:
        del sys.modules[name]  # the other version's objects keep their own modules
    sys.path.insert(0, src)
    try:
        pipeline = importlib.import_module("pulso.textanalytics.engine.pipeline")
        sentiment = importlib.import_module("pulso.textanalytics.engine.sentiment")
    finally:
        sys.path.remove(src)
    if not pipeline.__file__.startswith(src):
        sys.exit(f"pulso was imported from {pipeline.__file__}, not from {src}")
    if blob is None:
        train_x, train_y, _, _ = corpus()
        blob = sentiment.SentimentModel.train(
            train_x, train_y, "es", validation_fraction=0
        ).to_bytes()
    model = sentiment.SentimentModel.from_bytes(blob)
    return pipeline.Analyzer(models={"es": model}), blob


def main() -> None:
    src_a, src_b = (os.path.abspath(p) for p in sys.argv[1:3])
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    sys.path[:] = [p for p in sys.path if not p.endswith("/src")]  # _textdata adds one
    first, blob = _load(src_a, None)  # the model is trained once, by version A
    second, _ = _load(src_b, blob)
    _, _, pool, _ = corpus()
    measure = (pool * (N_MEASURE // max(len(pool), 1) + 1))[:N_MEASURE]
    chunks = [measure[k : k + CHUNK] for k in range(0, len(measure), CHUNK)]
    for analyzer in (first, second):
        analyzer.analyze_many(chunks[0])  # warm caches
    best = {"a": [float("inf")] * len(chunks), "b": [float("inf")] * len(chunks)}
    for rep in range(reps):
        for k, chunk in enumerate(chunks):
            order = [("a", first), ("b", second)]
            for name, analyzer in order if (rep + k) % 2 else order[::-1]:
                cpu0 = time.process_time()
                analyzer.analyze_many(chunk)
                best[name][k] = min(best[name][k], time.process_time() - cpu0)
    cpu_a, cpu_b = sum(best["a"]), sum(best["b"])
    print(
        f"A {src_a}: {len(measure) / cpu_a:.0f}/s/core; B {src_b}: {len(measure) / cpu_b:.0f}"
        f"/s/core; B/A {cpu_a / cpu_b:.3f}"
    )
    print(
        json.dumps(
            {
                "a_per_s": round(len(measure) / cpu_a, 1),
                "b_per_s": round(len(measure) / cpu_b, 1),
                "speedup": round(cpu_a / cpu_b, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
