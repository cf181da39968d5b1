"""Work computed ahead in a forked child: items in order, the child's errors raised in the
caller, no database access from the child, the child stopped when the caller stops."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from pulso.core.readahead import ChildProcessFailed, ahead_in_child


def test_items_arrive_in_order_computed_by_another_process() -> None:
    def produce() -> Iterator[tuple[int, int]]:
        for n in range(50):
            yield n, os.getpid()

    received = list(ahead_in_child(produce))
    assert [n for n, _pid in received] == list(range(50))
    assert {pid for _n, pid in received} - {os.getpid()}  # not this process
    assert not multiprocessing.active_children()


def test_an_error_in_the_child_is_raised_in_the_caller_after_the_items_before_it() -> None:
    def produce() -> Iterator[int]:
        yield 1
        raise ValueError("cell 7 is unreadable")

    items = ahead_in_child(produce)
    assert next(items) == 1
    with pytest.raises(ValueError, match="cell 7 is unreadable") as raised:
        next(items)
    assert "In the child process" in "".join(raised.value.__notes__)


def test_a_child_that_dies_is_reported_with_its_exit_code() -> None:
    def produce() -> Iterator[int]:
        yield 1
        os._exit(3)

    with pytest.raises(ChildProcessFailed, match="exit code 3"):
        list(ahead_in_child(produce))


@pytest.mark.django_db
def test_the_child_may_not_query_the_database() -> None:
    def produce() -> Iterator[int]:
        yield get_user_model().objects.count()

    with pytest.raises(RuntimeError, match="may not query the database"):
        list(ahead_in_child(produce))
    assert get_user_model().objects.count() == 0  # the caller's connection still works


def test_stopping_early_stops_the_child() -> None:
    def produce() -> Iterator[bytes]:
        while True:
            yield b"x" * 100_000  # more than the pipe holds: the child waits to send

    items = ahead_in_child(produce)
    next(items)
    assert len(multiprocessing.active_children()) == 1
    items.close()
    assert not multiprocessing.active_children()
