"""How the assistant's default handoff threshold is chosen: cross-validation on the train split.

Trains ``pulso.inbox.intents.IntentClassifier`` on 3 of 4 stratified folds of BANKING77's
train split (../shared/data/en_banking77/train.csv) and scores the fourth, four times; the
out-of-fold confidences give, per threshold, the handoff rate and the accuracy of the answers.
The threshold printed last is the lowest whose answers are at least 97 % right. The test split
is never read here (``bench/assistant.py`` scores it).

Usage: python bench/assistant_threshold.py  (data from ../shared/data or $PULSO_SHARED_DATA).
The last printed line is one JSON object.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
from _textdata import available, data_dir
from assistant import FOLDER, split
from sklearn.model_selection import StratifiedKFold

from pulso.inbox.intents import IntentClassifier

TARGET = 0.97
FOLDS = 4


def out_of_fold(texts: list[str], intents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(correct, confidence) of every train question, from a model that did not see it."""
    correct, confidence = np.zeros(len(texts), bool), np.zeros(len(texts))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(texts, intents)
    for fold, (train, held) in enumerate(folds):
        model = IntentClassifier().fit([texts[i] for i in train], list(intents[train]))
        guesses = model.guess([texts[i] for i in held])
        correct[held] = np.array([g.intent for g in guesses]) == intents[held]
        confidence[held] = [g.confidence for g in guesses]
        print(f"fold {fold}: top-1 {correct[held].mean():.4f}", flush=True)
    return correct, confidence


def main() -> None:
    if not available(FOLDER):
        print(f"{data_dir() / FOLDER} is missing: nothing to measure.")
        sys.exit(0)
    texts, intents = split("train")
    cpu = time.process_time()
    correct, confidence = out_of_fold(texts, intents)
    chosen = None
    for threshold in np.round(np.arange(0.50, 0.95, 0.01), 2):
        answered = confidence >= threshold
        accuracy = float(correct[answered].mean())
        print(f"  {threshold:.2f}: handoff {1 - answered.mean():.4f}, answered {accuracy:.4f}")
        if chosen is None and accuracy >= TARGET:
            chosen = float(threshold)
    print(f"{FOLDS}-fold top-1 {correct.mean():.4f}; {time.process_time() - cpu:.0f} s CPU")
    print(json.dumps({"oof_top1": round(float(correct.mean()), 4), "threshold": chosen}))


if __name__ == "__main__":
    main()
