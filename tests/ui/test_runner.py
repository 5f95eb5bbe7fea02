"""The operation runner: fixed long-lived lanes, typed outcomes on the GUI thread, cancellation by
generation, and threads joined (their store connections closed) at shutdown."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.store import open_store
from tests.kiosk.test_store import files_open_on
from ui.bridge import GuiBridge
from ui.runner import OperationRunner

LANES = ("slow", "quick")


def lane_threads() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t.name.startswith("operations-"))


@pytest.fixture
def runner(qapp: Any) -> Iterator[OperationRunner]:
    runner = OperationRunner(GuiBridge(), LANES)
    yield runner
    runner.shutdown()


class Seen:
    """What reached the GUI side, and on which thread."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []
        self.off_gui_thread = 0

    def __call__(self, kind: str) -> Any:
        def record(value: Any = None) -> None:
            if threading.current_thread() is not threading.main_thread():
                self.off_gui_thread += 1
            self.items.append((kind, value))

        return record


def test_success_and_failure_arrive_typed_on_the_gui_thread(qtbot: Any, runner: OperationRunner) -> None:
    operation, seen = runner.operation("quick"), Seen()
    assert operation.run("name", lambda: threading.current_thread().name, seen("ok"), seen("failed"))
    assert operation.busy
    qtbot.waitUntil(lambda: len(seen.items) == 1)
    assert seen.items == [("ok", "operations-quick")] and not operation.busy
    error = ValueError("the database said no")

    def fail() -> None:
        raise error

    assert operation.run("name", fail, seen("ok"), seen("failed"))
    qtbot.waitUntil(lambda: len(seen.items) == 2)
    assert seen.items[1] == ("failed", error) and seen.off_gui_thread == 0


def test_one_job_at_a_time_and_a_late_answer_after_cancel_is_stale(qtbot: Any, runner: OperationRunner) -> None:
    operation, seen, release = runner.operation("slow"), Seen(), threading.Event()
    assert operation.run("held", lambda: release.wait(10), seen("ok"), seen("failed"), seen("stale"))
    assert not operation.run("second", lambda: "never", seen("ok"), seen("failed"))
    operation.cancel()  # the person left
    release.set()
    qtbot.waitUntil(lambda: not operation.busy)
    assert seen.items == [("stale", None)]


def test_a_slow_job_holds_only_its_own_lane(qtbot: Any, runner: OperationRunner) -> None:
    slow, quick, seen, release = runner.operation("slow"), runner.operation("quick"), Seen(), threading.Event()
    slow.run("waits for paper", lambda: release.wait(10), seen("slow"), seen("failed"))
    quick.run("scan", lambda: "member", seen("quick"), seen("failed"))
    qtbot.waitUntil(lambda: seen.items == [("quick", "member")])
    assert slow.busy
    release.set()
    qtbot.waitUntil(lambda: not slow.busy)


def test_many_operations_run_on_the_same_threads(qtbot: Any, runner: OperationRunner) -> None:
    before = lane_threads()
    assert before == ["operations-quick", "operations-slow"]
    operation, names = runner.operation("quick"), set()
    for _ in range(50):
        operation.run("name", lambda: threading.current_thread().ident, names.add, pytest.fail)
        qtbot.waitUntil(lambda: not operation.busy)
    assert len(names) == 1 and lane_threads() == before


def test_unknown_lane_is_refused(runner: OperationRunner) -> None:
    with pytest.raises(KeyError, match="no lane 'printing'"):
        runner.operation("printing")


def test_shutdown_joins_the_lanes_and_closes_their_store_connections(qtbot: Any, qapp: Any, tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    runner = OperationRunner(GuiBridge(), LANES)
    try:
        mine = files_open_on(tmp_path)
        operation = runner.operation("quick")
        operation.run("read", lambda: store.get_meta("k"), lambda _: None, pytest.fail)
        qtbot.waitUntil(lambda: not operation.busy)
        assert len(files_open_on(tmp_path)) > len(mine)  # the lane's own connection
        runner.shutdown()
        assert lane_threads() == []
        assert len(files_open_on(tmp_path)) <= len(mine) + 1  # SQLite may keep one descriptor for reuse
        ran = threading.Event()
        operation.run("too late", ran.set, pytest.fail, pytest.fail)
        assert not ran.is_set() and lane_threads() == []
    finally:
        runner.shutdown()
        store.close()
    assert files_open_on(tmp_path) == []


def test_at_shutdown_queued_jobs_do_not_start_and_answers_are_not_delivered(qtbot: Any, qapp: Any) -> None:
    runner = OperationRunner(GuiBridge(), LANES)
    started, release, second = threading.Event(), threading.Event(), threading.Event()

    def held() -> None:
        started.set()
        release.wait(10)

    seen = Seen()
    runner.operation("slow").run("printing", held, seen("first"), seen("failed"))
    runner.operation("slow").run("queued behind it", second.set, seen("second"), seen("failed"))
    assert started.wait(10)
    runner.shutdown(timeout_s=0.1)  # the job being printed outlives the deadline: it is left to end
    assert lane_threads() == ["operations-slow"]
    release.set()
    qtbot.waitUntil(lambda: lane_threads() == [])
    qapp.processEvents()
    assert not second.is_set() and seen.items == []
