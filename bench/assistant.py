"""Intent accuracy of the virtual assistant's classifier on BANKING77, and its handoff.

Trains ``pulso.inbox.intents.IntentClassifier`` (the one the assistant uses) on the train split
of ../shared/data/en_banking77 and scores the test split: top-1 accuracy; then, with the
product's default handoff threshold (``DEFAULT_HANDOFF_THRESHOLD``), the share of questions
handed to a person and the accuracy of the answers the assistant gives. A plain word TF-IDF +
logistic regression, scored the same way at the handoff rate it needs for the same share of
answers, is printed beside it.

Usage: python bench/assistant.py  (data from ../shared/data or $PULSO_SHARED_DATA).
The last printed line is one JSON object.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from _textdata import available, data_dir
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from pulso.inbox.intents import DEFAULT_HANDOFF_THRESHOLD, IntentClassifier

FOLDER = "en_banking77"


def split(name: str) -> tuple[list[str], np.ndarray]:
    path: Path = data_dir() / FOLDER / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], np.array([r["category"] for r in rows])


def answered_accuracy(
    correct: np.ndarray, confidence: np.ndarray, threshold: float
) -> tuple[float, float]:
    """(handoff rate, accuracy of the answers given) when below ``threshold`` hands off."""
    answered = confidence >= threshold
    return 1 - float(answered.mean()), float(correct[answered].mean())


def baseline(train: tuple[list[str], np.ndarray], test: tuple[list[str], np.ndarray],
             handoff_rate: float) -> dict[str, float]:  # fmt: skip
    """Word TF-IDF + logistic regression, handing off its least sure ``handoff_rate``."""
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(train[0]), train[1])
    proba = model.predict_proba(vectorizer.transform(test[0]))
    correct = model.classes_[proba.argmax(axis=1)] == test[1]
    confidence = proba.max(axis=1)
    threshold = float(np.quantile(confidence, handoff_rate))
    rate, accuracy = answered_accuracy(correct, confidence, threshold)
    return {"top1": float(correct.mean()), "handoff_rate": rate, "answered_acc": accuracy}


def main() -> None:
    if not available(FOLDER):
        print(f"{data_dir() / FOLDER} is missing: nothing to measure.")
        sys.exit(0)
    train, test = split("train"), split("test")
    wall, cpu = time.perf_counter(), time.process_time()
    classifier = IntentClassifier().fit(train[0], list(train[1]))
    fit_wall, fit_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    guesses = classifier.guess(test[0])
    guess_wall, guess_cpu = time.perf_counter() - wall, time.process_time() - cpu
    correct = np.array([g.intent for g in guesses]) == test[1]
    confidence = np.array([g.confidence for g in guesses])
    rate, accuracy = answered_accuracy(correct, confidence, DEFAULT_HANDOFF_THRESHOLD)
    print(f"train {len(train[0])} questions, {len(set(train[1]))} intents; test {len(test[0])}")
    print(f"fit: {fit_cpu:.1f} s CPU ({fit_wall:.1f} s wall); "
          f"classify: {guess_cpu:.2f} s CPU ({guess_wall:.2f} s wall)")  # fmt: skip
    print(f"Pulso: top-1 {correct.mean():.4f}; threshold {DEFAULT_HANDOFF_THRESHOLD}: "
          f"handoff {rate:.4f}, answered accuracy {accuracy:.4f}")  # fmt: skip
    for threshold in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        r, a = answered_accuracy(correct, confidence, threshold)
        print(f"  threshold {threshold:.2f}: handoff {r:.4f}, answered accuracy {a:.4f}")
    plain = baseline(train, test, rate)
    print(f"plain TF-IDF + LR: top-1 {plain['top1']:.4f}; at handoff {plain['handoff_rate']:.4f} "
          f"answered accuracy {plain['answered_acc']:.4f}")  # fmt: skip
    print(json.dumps({
        "banking77_top1": round(float(correct.mean()), 4),
        "banking77_handoff_rate": round(rate, 4),
        "banking77_answered_acc": round(accuracy, 4),
        "baseline_top1": round(plain["top1"], 4),
        "baseline_answered_acc_same_handoff": round(plain["answered_acc"], 4),
        "fit_cpu_s": round(fit_cpu, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
