"""Pausing Python's cyclic garbage collector around bulk work."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """No automatic cycle collection inside the block (restored as it was after it).

    Bulk work (a batch of comments, a chunk of imported rows) allocates many short-lived
    objects and few reference cycles, yet triggers collections that scan every object of the
    process again and again; callers that keep objects across iterations collect the young
    generations themselves (``gc.collect(1)``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
