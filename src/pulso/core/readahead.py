"""Work done one step ahead on a second core: while the caller handles one item, a forked
child process computes the next ones (a history import reads and checks the next chunk of
a file while the current one is written).

The child shares what the caller had loaded when it was forked (plans, questions), so only
the items travel, pickled through a pipe; the pipe's small buffer keeps the child at most
about one item ahead, so memory stays bounded. The child may not use the database: it holds
copies of the caller's connections, and a query through one would break the caller's
session, so any query raises there.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")
_ITEM, _ERROR, _DONE = "item", "error", "done"


class ChildProcessFailed(RuntimeError):
    """The child process ended without sending its result or its error (killed, out of
    memory, crashed)."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(f"the child process stopped unexpectedly (exit code {exit_code})")
        self.exit_code = exit_code


def can_fork() -> bool:
    """Whether this platform can fork a child that shares the caller's loaded state."""
    return "fork" in multiprocessing.get_all_start_methods()


def ahead_in_child(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The items of ``produce()``, computed in a forked child process while the caller works
    on those received before. An exception raised in the child is raised here, with the
    child's traceback as a note; a child that dies raises :class:`ChildProcessFailed`.
    Closing the returned generator early stops the child."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(produce, sender), daemon=True)
    child.start()
    sender.close()  # the child holds the only sending end: its death ends the pipe
    try:
        yield from _received(receiver, child)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _received(receiver: Connection, child: Any) -> Iterator[Any]:
    while True:
        try:
            kind, payload = receiver.recv()
        except EOFError:
            child.join()
            raise ChildProcessFailed(child.exitcode) from None
        if kind == _DONE:
            return
        if kind == _ERROR:
            raise payload
        yield payload


def _run_child(produce: Callable[[], Iterator[Any]], sender: Connection) -> None:
    # A web server's worker may have its own SIGTERM handler: the child must stop on it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for connection in connections.all(initialized_only=True):
        connection.execute_wrappers.append(_no_queries)
    try:
        for item in produce():
            sender.send((_ITEM, item))
        sender.send((_DONE, None))
    except BaseException as exc:  # noqa: BLE001 - every failure is the caller's to raise
        try:
            sender.send((_ERROR, _transferable(exc)))
        except OSError:
            pass  # the caller stopped listening (it closed the generator)
    finally:
        sender.close()


def _no_queries(*_args: Any) -> None:
    raise RuntimeError("a child process working ahead may not query the database")


def _transferable(exc: BaseException) -> BaseException:
    """``exc`` with the child's traceback as a note, or, when it cannot be pickled and read
    back, a RuntimeError saying what it was."""
    exc.add_note("In the child process:\n" + "".join(traceback.format_tb(exc.__traceback__)))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception that does not survive the pipe
        replacement = RuntimeError(f"{type(exc).__name__}: {exc}")
        for note in getattr(exc, "__notes__", []):
            replacement.add_note(note)
        return replacement
    return exc
