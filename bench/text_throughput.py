"""Throughput of the whole text pipeline on one core: language, sentiment (trained model),
topics with the default taxonomy (with per-topic sentiment) and key phrases.

Usage: python bench/text_throughput.py. The last printed line is one JSON object.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # pin BLAS to one thread before numpy loads

import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

from _textdata import GENERATED_PARTS, available, hotel_reviews, star_label  # noqa: E402

from pulso.textanalytics.engine.pipeline import Analyzer  # noqa: E402
from pulso.textanalytics.engine.sentiment import SentimentModel  # noqa: E402

BATCH = 500
N_TRAIN = 8000
N_MEASURE = 4000


def corpus() -> tuple[list[str], list[str], list[str], str]:
    """(train texts, train labels, texts to analyse, description)."""
    if available("es_hotel_reviews"):
        rows = hotel_reviews()
        random.Random(0).shuffle(rows)
        texts = [f"{r['title']}. {r['text']}" for r in rows]
        labels = [star_label(int(r["stars"])) for r in rows]
        return texts[:N_TRAIN], labels[:N_TRAIN], texts[N_TRAIN:], "es_hotel_reviews"
    rng = random.Random(0)
    texts = [". ".join(rng.sample(GENERATED_PARTS, 7)) + "." for _ in range(N_TRAIN)]
    labels = [rng.choice(["negative", "neutral", "positive"]) for _ in texts]
    return texts, labels, texts[: N_MEASURE // 2], "generated (shared data not found)"


def _train(texts: list[str], labels: list[str]) -> bytes:
    return SentimentModel.train(texts, labels, "es", validation_fraction=0).to_bytes()


def main() -> None:
    train_x, train_y, pool, source = corpus()
    measure = (pool * (N_MEASURE // max(len(pool), 1) + 1))[:N_MEASURE]
    print(f"corpus: {source}; median length {statistics.median(map(len, measure)):.0f} chars")
    # Train in a child process, as Pulso's worker does: this process then measures serving only.
    with ProcessPoolExecutor(max_workers=1) as pool_:
        blob = pool_.submit(_train, train_x, train_y).result()
    t0 = time.perf_counter()
    model = SentimentModel.from_bytes(blob)
    load_s = time.perf_counter() - t0
    analyzer = Analyzer(models={"es": model})
    analyzer.analyze_many(measure[:BATCH])  # warm caches (language model, stems) as in a worker
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for start in range(0, len(measure), BATCH):
        analyzer.analyze_many(measure[start : start + BATCH])
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Per core = per CPU-second of this single-threaded process, so that other load on the
    # machine does not count against it; wall-clock is printed too.
    rate = len(measure) / cpu
    print(
        f"model {len(blob) / 1e6:.1f} MB, load {load_s * 1000:.1f} ms; {len(measure)} comments: "
        f"{cpu:.2f} CPU-s ({rate:.0f}/s/core), {wall:.2f} wall-s ({len(measure) / wall:.0f}/s); "
        f"peak RSS {peak_mb:.0f} MB (serving process)"
    )
    print(
        json.dumps(
            {
                "comments_per_s_per_core": round(rate, 1),
                "load_s": round(load_s, 4),
                "peak_mb": round(peak_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
