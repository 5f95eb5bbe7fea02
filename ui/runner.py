"""The one way view models run slow work (network, Argon2, the printer) off the GUI thread.

:class:`OperationRunner` owns a fixed set of long-lived worker threads, one per named *lane*, each
taking its jobs in order. Lanes keep one slow job from holding another screen's action: an order
waiting for paper holds the ordering lane only, never a volunteer's scan or a technician's test
print. Outcomes, :class:`Succeeded` or :class:`Failed`, come back on the GUI thread through the
one bridge. The threads live as long as the application and are joined at shutdown; a thread's
store connection is closed as the thread ends (:class:`kiosk.store.Store`).

A view model holds an :class:`Operation` per line of work: one job at a time (the ``busy`` its
screens show) and a generation, so that the answer for a person who has left is not shown to the
next one.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

from ui.bridge import GuiBridge
from ui.qt import Property, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Succeeded(Generic[T]):
    value: T


@dataclass(frozen=True)
class Failed:
    error: Exception


Outcome: TypeAlias = Succeeded[T] | Failed


@dataclass(frozen=True)
class _Job:
    name: str
    work: Callable[[], Any]
    deliver: Callable[[Outcome[Any]], None]  # on the GUI thread


class OperationRunner:
    """Long-lived worker threads, one per lane, started here and joined by :meth:`shutdown`."""

    def __init__(self, bridge: GuiBridge, lanes: Iterable[str]) -> None:
        self._bridge = bridge
        self._closed = False
        self._jobs: dict[str, queue.SimpleQueue[_Job | None]] = {lane: queue.SimpleQueue() for lane in lanes}
        self._threads = [threading.Thread(target=self._serve, args=(jobs,), name=f"operations-{lane}", daemon=True)
                         for lane, jobs in self._jobs.items()]
        for thread in self._threads:
            thread.start()

    def operation(self, lane: str) -> Operation:
        if lane not in self._jobs:
            raise KeyError(f"no lane {lane!r}; the lanes are {sorted(self._jobs)}")
        return Operation(self, lane)

    def submit(self, lane: str, name: str, work: Callable[[], T], deliver: Callable[[Outcome[T]], None]) -> None:
        """Queue ``work`` on ``lane``; ``deliver`` gets its outcome on the GUI thread."""
        if self._closed:
            log.warning("operation %s asked for after shutdown: not run", name)
            return
        self._jobs[lane].put(_Job(name, work, deliver))

    def _serve(self, jobs: queue.SimpleQueue[_Job | None]) -> None:
        while (job := jobs.get()) is not None:
            if self._closed:
                continue  # shutting down: what has not started does not start
            try:
                outcome: Outcome[Any] = Succeeded(job.work())
            except Exception as exc:  # a failure is delivered to the screen, never swallowed
                log.exception("operation %s failed", job.name)
                outcome = Failed(exc)
            self._bridge.post(partial(self._deliver, job, outcome))

    def _deliver(self, job: _Job, outcome: Outcome[Any]) -> None:
        if not self._closed:  # after shutdown the screens it was for are gone
            job.deliver(outcome)

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Let the jobs running finish (within ``timeout_s``), drop those queued, join the threads."""
        self._closed = True
        for jobs in self._jobs.values():
            jobs.put(None)
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("%s still busy after %.0f s; it ends with the process", thread.name, timeout_s)


class Operation:
    """One view model's line of work on a lane: one job at a time, and a generation for cancelling."""

    def __init__(self, runner: OperationRunner, lane: str) -> None:
        self._runner = runner
        self._lane = lane
        self._busy = False
        self._generation = 0

    @property
    def busy(self) -> bool:
        return self._busy

    def run(self, name: str, work: Callable[[], T], on_success: Callable[[T], object],
            on_failure: Callable[[Exception], object], on_stale: Callable[[], object] | None = None) -> bool:
        """Start ``work`` on a worker thread unless a job of this operation is running (then False).

        When it ends, on the GUI thread, ``on_success(value)`` or ``on_failure(error)`` runs, or, if
        :meth:`cancel` was called meanwhile, ``on_stale()`` instead of either.
        """
        if self._busy:
            return False
        self._busy = True
        generation = self._generation

        def deliver(outcome: Outcome[T]) -> None:
            self._busy = False
            if generation != self._generation:
                if on_stale is not None:
                    on_stale()
            elif isinstance(outcome, Succeeded):
                on_success(outcome.value)
            else:
                on_failure(outcome.error)

        self._runner.submit(self._lane, name, work, deliver)
        return True

    def cancel(self) -> None:
        """The person left: whatever is running now ends in ``on_stale``, its answer not shown."""
        self._generation += 1


def status_properties(changed: Signal) -> tuple[Property, Property]:
    """The ``problem`` (a stable code, "" for none) and ``busy`` Qt properties of a view model that
    keeps ``self._problem`` and ``self._operation``; declare them in its class body:
    ``problem, busy = status_properties(changed)``."""
    problem = Property(str, lambda self: self._problem, notify=changed)
    busy = Property(bool, lambda self: self._operation.busy, notify=changed)
    return problem, busy


class _Flow(Protocol):
    @property
    def step(self) -> Enum: ...


class FlowStatus:
    """For a view model (a QObject with a ``changed`` signal) whose flow moves on worker threads: the
    step the screens follow and the problem with the last action change only here, on the GUI
    thread, together with the notification."""

    changed: Any
    _flow: _Flow
    _step: str
    _problem: str

    def _emit(self) -> None:
        self._step = str(self._flow.step.value)
        self.changed.emit()

    def _now(self, problem: Enum | None) -> bool:
        """Show ``problem`` (None: the last action went through); True if there was none."""
        self._problem = str(problem.value) if problem else ""
        self._emit()
        return problem is None
