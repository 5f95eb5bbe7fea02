"""Technician mode as QML sees it: entry (PIN, card, lockout), the session, the first-start wizard,
settings, health and maintenance actions. The rules live in :mod:`kiosk.technician` and
:mod:`kiosk.flows.technician`; this model runs the slow parts (Argon2, network, printer) on worker
threads and hands stable problem codes to the screens.
"""

from __future__ import annotations

import logging
import math
import shutil
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.printing import make_printer
from drivers.probe import network_addresses, self_test_facts, self_test_qr
from drivers.scanning import issue_of
from kiosk import __version__
from kiosk.cloud_client import CloudClient, CloudError, CloudRejected
from kiosk.config import ConfigError, LoadedConfig, write_local
from kiosk.devices import DeviceMissing, PrinterErrorKind
from kiosk.flows.technician import (
    USB_ROOTS,
    KeyProblem,
    Wizard,
    WizardStep,
    apply_live,
    config_error_problems,
    current_values,
    export_logs,
    is_live,
    needs_setup,
    plan_changes,
    remote_changes,
    tail_lines,
    usb_mounts,
)
from kiosk.operations import print_and_wait, reprint_cut_off
from kiosk.receipt import Receipt, self_test_receipt
from kiosk.store import Store
from kiosk.store.orders import LocalOrder
from kiosk.store.print_jobs import JobState
from kiosk.sync import SyncStatus
from kiosk.technician import (
    AuthError,
    AuthErrorKind,
    PinRejected,
    Technician,
    TechnicianSession,
    is_card_payload,
    pin_problem,
)
from kiosk.tokens import EnrolmentQr, parse_scanned
from ui.qt import Property, QEvent, QObject, QTimer, Signal, Slot
from ui.runner import Operation, status_properties
from ui.services import Services, printer_state_code
from ui.session import USER_INPUT_EVENTS

log = logging.getLogger(__name__)

# systemd (Restart=always) starts the app again after any exit; these say why it exited.
RESTART_EXIT_CODE = 75
MAINTENANCE_EXIT_CODE = 10

META_REMOTE_KEYS = "technician.remote_keys"
_LOG_KEEP = 200


class RecentLog(logging.Handler):
    """WARNING and above, kept in memory for the health screen (also when no log file is written)."""

    def __init__(self, keep: int = _LOG_KEEP) -> None:
        super().__init__(logging.WARNING)
        self.lines: deque[str] = deque(maxlen=keep)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%m-%d %H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record).splitlines()[0])
        except Exception:
            self.handleError(record)


@dataclass
class TechnicianPorts:
    """What technician mode acts on, handed in by the application object."""

    technician: Technician
    loaded: LoadedConfig
    store: Store
    services: Services
    apply: Callable[[dict[str, Any]], None]  # tell the rest of the app that these live values changed
    exit_app: Callable[[int], None]
    usb_roots: Iterable[Path] = USB_ROOTS
    cut_off_receipt: Callable[[LocalOrder], Receipt] | None = None  # builds the 补打 of an untold order


class TechnicianModel(QObject):
    changed = Signal()
    configChanged = Signal()  # settings values or the remotely managed keys changed
    healthChanged = Signal()
    entered = Signal(str)  # the screen to show after login / PIN set
    entryRequested = Signal(str)  # a technician card was scanned outside technician mode
    sessionEnded = Signal()
    problem, busy = status_properties(changed)

    def __init__(self, ports: TechnicianPorts, operation: Operation, *, start_wizard: bool = False) -> None:
        super().__init__()
        self._p = self.ports = ports
        self._start_wizard = start_wizard
        self._tech = ports.technician
        self._config = ports.loaded.config
        self._operation = operation  # Argon2, network, printer
        self._session: TechnicianSession | None = None
        self._card: str | None = None
        self._problem = ""
        self._notice = ""
        self._attempts_left = self._tech.lockout().attempts_left
        self._locked_until: float | None = None
        self._wizard = Wizard(needs_pin=self._tech.needs_setup)
        self._field_problems: dict[str, str] = {}
        self._pending: dict[str, Any] = {}  # saved values that take effect after a restart
        self._refused_version: int | None = None
        self._last_scan = ""
        self._health: list[dict[str, Any]] = []
        self._errors: list[str] = []
        self._log_lines: list[str] = []
        self.recent_log = RecentLog()
        self._watch = QTimer(self)
        self._watch.setInterval(1000)
        self._watch.timeout.connect(self._tick)
        self._refresh_lock()

    # -- resident-session reset / shutdown --------------------------------------------------------

    def clear(self) -> None:
        """Home or idle timeout: leave technician mode and forget what was typed."""
        if self._session is not None:
            self._tech.logout(self._session)
            self._session = None
        self._card = None
        self._problem = self._notice = ""
        self._field_problems = {}
        self._last_scan = ""
        self._refresh_lock()
        self.changed.emit()

    # -- state -------------------------------------------------------------------------------------

    @Property(int, notify=changed)
    def longPressMs(self) -> int:
        return int(self._config.technician.long_press_s * 1000)

    @Property(bool, notify=changed)
    def active(self) -> bool:
        return self._session is not None

    @Property(bool, notify=changed)
    def setupNeeded(self) -> bool:
        return self.needs_setup()

    @Property(bool, constant=True)
    def setupAtStart(self) -> bool:
        """Open the wizard (or the PIN, then the wizard) as soon as the kiosk starts."""
        return self._start_wizard and self.needs_setup()

    def needs_setup(self) -> bool:
        client = self._p.services.client
        return needs_setup(self._config, not self._tech.needs_setup, client is not None and client.enrolled)

    @Property(str, notify=changed)
    def notice(self) -> str:
        """What the last action did ("saved", "saved_restart", "printed", …); see TechNotice.qml."""
        return self._notice

    @Property(int, notify=changed)
    def attemptsLeft(self) -> int:
        return self._attempts_left

    @Property(int, notify=changed)
    def lockedSeconds(self) -> int:
        if self._locked_until is None:
            return 0
        return max(0, math.ceil(self._locked_until - time.time()))

    @Property(bool, notify=changed)
    def cardRead(self) -> bool:
        return self._card is not None

    @Property(str, notify=changed)
    def wizardStep(self) -> str:
        return self._wizard.step.value

    @Property(dict, notify=configChanged)
    def values(self) -> dict[str, Any]:
        return {**current_values(self._config), **self._pending}

    @Property(list, notify=configChanged)
    def remoteKeys(self) -> list[str]:
        return sorted(self._remote_keys())

    @Property(dict, notify=changed)
    def fieldProblems(self) -> dict[str, str]:
        """Dotted key → "code" or "code|what is allowed" for the settings screen."""
        return dict(self._field_problems)

    @Property(str, notify=changed)
    def lastScan(self) -> str:
        return self._last_scan

    @Property(list, notify=healthChanged)
    def health(self) -> list[dict[str, Any]]:
        return self._health

    @Property(list, notify=healthChanged)
    def recentErrors(self) -> list[str]:
        return self._errors

    @Property(list, notify=healthChanged)
    def logLines(self) -> list[str]:
        return self._log_lines

    # -- plumbing ----------------------------------------------------------------------------------

    def _say(self, problem: str = "", notice: str = "") -> None:
        self._problem, self._notice = problem, notice
        self.changed.emit()

    def _run(self, name: str, work: Callable[[], Callable[[], None]]) -> None:
        """Run ``work`` on a worker thread; the callable it returns runs on the GUI thread."""
        if self._operation.run(f"tech-{name}", work, self._finish, lambda _error: self._finish(self._failed)):
            self._say()

    def _failed(self) -> None:
        self._say("action_failed")

    def _finish(self, finish: Callable[[], None]) -> None:
        finish()
        self.changed.emit()

    def _guard(self) -> bool:
        """Every technician action first checks the session; an expired one leaves technician mode."""
        if self._session is None:
            return False
        try:
            self._tech.check(self._session)
        except AuthError:
            self._expire()
            return False
        return True

    def _expire(self) -> None:
        self._session = None
        self._watch.stop()
        self._say("session_expired")
        self.sessionEnded.emit()

    def _tick(self) -> None:
        if self._session is not None and not self._session.active:
            self._guard()
        if self._locked_until is not None:
            if time.time() >= self._locked_until:
                self._refresh_lock()
                if self._problem == "locked":
                    self._problem = ""
            self.changed.emit()
        if self._session is None and self._locked_until is None:
            self._watch.stop()

    def _refresh_lock(self) -> None:
        state = self._tech.lockout()
        self._attempts_left = state.attempts_left
        self._locked_until = state.locked_until
        if self._locked_until is not None:
            self._watch.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A tap anywhere while in technician mode is technician activity.
        if self._session is not None and event.type() in USER_INPUT_EVENTS:
            self._guard()
        return False

    # -- entry -------------------------------------------------------------------------------------

    @Slot(result=str)
    def entryScreen(self) -> str:
        """Where the long press (or a card) leads: the wizard on a kiosk without a PIN, else the PIN."""
        return "TechWizardScreen" if self._tech.needs_setup else "TechPinScreen"

    def card_scanned(self, text: str) -> None:
        """A technician card shown on any scanning screen: remember it and ask for the PIN."""
        self._card = text
        self._say()
        if self._session is None:
            self.entryRequested.emit(self.entryScreen())

    def scanned(self, text: str) -> None:
        """Scans on the technician screens: a card, an enrolment QR, or a test scan."""
        if is_card_payload(text):
            if self._session is None:
                self._card = text
                self._say()
            return
        if self._session is None:
            return
        self._last_scan = text
        scanned = parse_scanned(text)
        if isinstance(scanned, EnrolmentQr):
            self.enrol(scanned.base_url, scanned.code)
            return
        self.changed.emit()

    @Slot(str)
    def login(self, pin: str) -> None:
        card = self._card

        def work() -> Callable[[], None]:
            try:
                session = self._tech.login(pin, card)
            except AuthError as exc:
                error = exc
                return lambda: self._login_failed(error)
            return lambda: self._logged_in(session)

        self._run("login", work)

    def _login_failed(self, exc: AuthError) -> None:
        if exc.lockout is not None:
            self._attempts_left = exc.lockout.attempts_left
            self._locked_until = exc.lockout.locked_until
            if self._locked_until is not None:
                self._watch.start()
        if exc.kind in (AuthErrorKind.UNKNOWN_CARD, AuthErrorKind.REVOKED_CARD, AuthErrorKind.NOT_A_CARD):
            self._card = None
        self._say(exc.kind.value)

    def _logged_in(self, session: TechnicianSession) -> None:
        self._session = session
        self._card = None
        self._refresh_lock()
        self._watch.start()
        self._wizard = Wizard(needs_pin=False)
        self._say()
        self.entered.emit("TechWizardScreen" if self.needs_setup() else "TechMenuScreen")

    @Slot()
    def dismiss(self) -> None:
        """A new technician screen starts without the previous screen's message."""
        self._field_problems = {}
        self._say()

    @Slot()
    def logout(self) -> None:
        self.clear()

    # -- first-start wizard ------------------------------------------------------------------------

    @Slot(str, str)
    def setInitialPin(self, pin: str, again: str) -> None:
        if self._pin_refused(pin, again):
            return

        def work() -> Callable[[], None]:
            try:
                session = self._tech.set_initial_pin(pin)
            except (AuthError, PinRejected) as exc:
                code = f"pin_{exc.problem.value}" if isinstance(exc, PinRejected) else exc.kind.value
                return lambda: self._say(code)
            return lambda: self._pin_set(session)

        self._run("set-pin", work)

    def _pin_refused(self, pin: str, again: str) -> bool:
        """Say why a new PIN (typed twice) cannot be taken; False if it can."""
        problem = pin_problem(pin)
        if problem is not None:
            self._say(f"pin_{problem.value}")
        elif pin != again:
            self._say("pin_mismatch")
        return problem is not None or pin != again

    def _pin_set(self, session: TechnicianSession) -> None:
        self._session = session
        self._watch.start()
        self._wizard.next()
        self._say()

    @Slot(result=bool)
    def wizardBack(self) -> bool:
        moved = self._wizard.back()
        self._say()
        return moved

    @Slot(str, str, str)
    def saveStation(self, station_id: str, name: str, role: str) -> None:
        if self.save({"station.id": station_id, "station.name": name, "station.role": role}):
            self._wizard.next()
            self._say()

    @Slot(str, str)
    def enrol(self, url: str, code: str) -> None:
        """Enrol with the cloud at ``url`` using a one-time code, or the whole SKE1:… text as ``code``."""
        if not self._guard():
            return
        scanned = parse_scanned(code.strip())
        if isinstance(scanned, EnrolmentQr):
            url, code = scanned.base_url, scanned.code
        url, code = url.strip().rstrip("/"), code.strip()
        plan = plan_changes(self._config, {"cloud.url": url}, self._remote_keys())
        if not url or plan.problems:
            self._say("enrol_no_url")
            return
        if not code:
            self._say("enrol_no_code")
            return
        cfg = self._config.cloud
        store = self._p.store

        def work() -> Callable[[], None]:
            client = CloudClient(url, connect_timeout=cfg.connect_timeout_s, read_timeout=cfg.read_timeout_s,
                                 store=store)
            try:
                enrolment = client.enrol(code, socket.gethostname())
            except CloudRejected as exc:
                refused = exc.code
                return lambda: self._say(f"enrol_refused|{refused}")
            except CloudError:
                return lambda: self._say("enrol_unreachable")
            finally:
                client.close()
            return lambda: self._enrolled(url, enrolment.station_id)

        self._run("enrol", work)

    def _enrolled(self, url: str, station_id: str) -> None:
        self._p.store.audit(self._actor(), "technician.enrolled", f"cloud {url}, station {station_id}")
        if self._write({"cloud.url": url, "station.id": station_id}):
            if self._wizard.step is WizardStep.CLOUD:
                self._wizard.next()
            self._say(notice="enrolled")

    # -- settings ----------------------------------------------------------------------------------

    def _actor(self) -> str:
        return self._session.actor if self._session is not None else "technician"

    def _remote_keys(self) -> set[str]:
        stored = self._p.store.get_meta(META_REMOTE_KEYS)
        return set(stored.split(",")) if stored else set()

    @Slot("QVariantMap", result=bool)
    def save(self, edits: dict[str, Any]) -> bool:
        """Check, write atomically, apply what can be applied now; problems are shown per key."""
        if not self._guard():
            return False
        plan = plan_changes(self._config, edits, self._remote_keys())
        if plan.problems:
            self._show_problems(plan.problems)
            return False
        if not plan.values:
            self._field_problems = {}
            self._say(notice="unchanged")
            return True
        if not self._write(plan.values):
            return False
        self._say(notice="saved_restart" if plan.restart_needed else "saved")
        return True

    def _write(self, values: dict[str, Any]) -> bool:
        plan = plan_changes(self._config, values)
        if plan.problems:
            self._show_problems(plan.problems)
            return False
        try:
            write_local(self._p.loaded.local_file, plan.nested())
        except ConfigError as exc:
            self._show_problems(config_error_problems(exc, plan.values))
            return False
        except OSError as exc:
            log.error("cannot write %s: %s", self._p.loaded.local_file, exc)
            self._say("write_failed")
            return False
        detail = ", ".join(f"{k}={v!r}" for k, v in plan.values.items())
        self._p.store.audit(self._actor(), "technician.config_changed", detail)
        self._apply(plan.values)
        self._field_problems = {}
        return True

    def _apply(self, values: dict[str, Any]) -> None:
        live = {k: v for k, v in values.items() if is_live(k)}
        self._pending.update({k: v for k, v in values.items() if not is_live(k)})
        apply_live(self._config, live)
        if any(k.startswith("printer.") for k in live):
            self._replace_printer()
        self._p.apply(live)
        self.configChanged.emit()

    def _replace_printer(self) -> None:
        queue = self._p.services.print_queue
        try:
            printer = make_printer(self._config.printer, self._config.data_path())
        except DeviceMissing as missing:
            log.error("new printer settings: %s", missing)
            self._say("printer_missing")
            return
        queue.replace_printer(printer)
        self._p.services.printer = printer

    def _show_problems(self, problems: list[KeyProblem]) -> None:
        self._field_problems = {p.key: p.problem.value + (f"|{p.detail}" if p.detail else "") for p in problems}
        self._say("invalid_settings")

    def remote_config(self, values: dict[str, Any], version: int) -> bool:
        """Values the cloud manages: checked like the technician's, written, applied, shown read-only.
        False if refused or not written: the cloud offers the same version again at the next heartbeat."""
        wanted = remote_changes(values)
        ignored = sorted(set(values) - set(wanted))
        if ignored:
            log.warning("remote config %d: keys the kiosk does not take: %s", version, ignored)
        plan = plan_changes(self._config, wanted)
        if plan.problems:
            log.error("remote config %d refused: %s", version, [(p.key, p.detail) for p in plan.problems])
            if version != self._refused_version:  # offered again every heartbeat: audited once
                self._p.store.audit("cloud", "config.remote_refused", f"version {version}")
                self._refused_version = version
            return False
        if plan.values:
            try:
                write_local(self._p.loaded.local_file, plan.nested())
            except (ConfigError, OSError) as exc:
                log.error("remote config %d not written: %s", version, exc)
                return False
            self._apply(plan.values)
        self._p.store.set_meta(META_REMOTE_KEYS, ",".join(sorted(wanted)))
        self.configChanged.emit()
        detail = ", ".join(f"{k}={v!r}" for k, v in plan.values.items()) or "no change"
        self._p.store.audit("cloud", "config.remote_applied", f"version {version}: {detail}")
        if plan.restart_needed:
            log.warning("remote config %d: some values take effect after a restart", version)
        self.changed.emit()
        return True

    @Slot(str, str)
    def changePin(self, pin: str, again: str) -> None:
        if not self._guard() or self._pin_refused(pin, again):
            return
        session = self._session
        assert session is not None

        def work() -> Callable[[], None]:
            self._tech.change_pin(session, pin)
            return lambda: self._say(notice="pin_changed")

        self._run("change-pin", work)

    # -- health ------------------------------------------------------------------------------------

    @Slot()
    def refreshHealth(self) -> None:
        """Ask the printer now (off the GUI thread), then gather the rest."""
        queue = self._p.services.print_queue

        def work() -> Callable[[], None]:
            queue.check_ready(wait_s=2.0)
            return self._gather_health

        self._run("health", work)

    def _gather_health(self) -> None:
        services = self._p.services
        rows: list[dict[str, Any]] = []

        def row(name: str, level: str, value: Any = "", problem: str = "", extra: Any = "") -> None:
            rows.append({"name": name, "level": level, "value": value, "problem": problem, "extra": extra})

        sync = services.sync
        if sync is None:
            row("cloud", "bad", "", "cloud_not_set")
        else:
            state = sync.state
            level = {SyncStatus.ONLINE: "ok", SyncStatus.DEGRADED: "warn"}.get(state.status, "bad")
            issue = f"cloud_{state.issue.value}" if state.issue.value else ""
            last = time.strftime("%Y-%m-%d %H:%M", time.localtime(state.last_sync_at)) if state.last_sync_at else ""
            row("cloud", level, state.status.value, issue, last)
            stuck = state.outbox_depth > 0 and state.oldest_age_s > 600
            row("outbox", "warn" if stuck else "ok", state.outbox_depth, "outbox_stuck" if stuck else "",
                round(state.oldest_age_s / 60))
            row("rejected", "warn" if state.rejected else "ok", state.rejected,
                "outbox_rejected" if state.rejected else "")
            cut_off = len(sync.orders.untold())
            row("cut_off", "warn" if cut_off else "ok", cut_off, "orders_cut_off" if cut_off else "")
            off = abs(state.clock_offset_s) > 60
            row("clock", "warn" if off else "ok", round(state.clock_offset_s, 1), "clock_off" if off else "")
        code = printer_state_code(services.print_queue.status())
        printer_level = "ok" if code == "ok" else "warn" if code == "near_end" else "bad"
        row("printer", printer_level, code, "" if code == "ok" else f"printer_{code}")
        scanner = services.scanner.status()
        scan_issue = issue_of(scanner)
        scan_problem = (f"scanner_{scan_issue.value}" if scan_issue
                        else "" if scanner.available else "scanner_unavailable")
        row("scanner", "ok" if scanner.available and not scan_issue else "warn" if scanner.available else "bad",
            self._config.scanner.kind, scan_problem)
        client = services.client
        row("identity", "ok", self._config.station.id, "", client.device_id if client is not None else "")
        addresses = network_addresses()
        row("network", "ok" if addresses else "bad", ", ".join(addresses), "" if addresses else "no_network")
        row("version", "ok", __version__)
        row("uptime", "ok", round((time.time() - services.started_at) / 3600, 1))
        free_mb = shutil.disk_usage(services.data_dir).free // 2**20
        row("disk", "ok" if free_mb >= 500 else "warn" if free_mb >= 50 else "bad", free_mb,
            "" if free_mb >= 500 else "disk_low")
        row("database", "ok", round(self._p.store.path.stat().st_size / 2**20, 1))
        self._health = rows
        self._errors = self._recent_errors()
        self.healthChanged.emit()

    def _recent_errors(self) -> list[str]:
        out = []
        for job in self._p.services.print_queue.recent_jobs(20):
            if job.state is JobState.FAILED:
                at = time.strftime("%m-%d %H:%M", time.localtime(job.updated_at))
                out.append(f"{at} print #{job.id} {job.kind} {job.ref}: {job.reason} {job.detail}".strip())
        sync = self._p.services.sync
        for item in sync.rejected(10) if sync is not None else []:
            at = time.strftime("%m-%d %H:%M", time.localtime(item.created_at))
            out.append(f"{at} outbox #{item.id} {item.kind} refused: {item.error_code} {item.last_error}".strip())
        out.extend(reversed(list(self.recent_log.lines)[-20:]))
        return out

    @Slot()
    def loadLogs(self) -> None:
        path = self._config.data_path() / "logs" / "kiosk.log"
        self._log_lines = tail_lines(path) if path.exists() else list(self.recent_log.lines)
        self.healthChanged.emit()

    # -- actions -----------------------------------------------------------------------------------

    @Slot()
    def syncNow(self) -> None:
        if not self._guard():
            return
        sync = self._p.services.sync
        if sync is None:
            self._say("cloud_not_set")
            return
        sync.sync_now()
        self._p.store.audit(self._actor(), "technician.sync_now")
        self._say(notice="sync_started")

    @Slot()
    def reprintLast(self) -> None:
        if not self._guard():
            return
        queue = self._p.services.print_queue
        sync = self._p.services.sync
        if sync is not None and self._p.cut_off_receipt is not None:
            # An order whose resident never got its code comes first: that is the receipt they lack.
            job_id = reprint_cut_off(sync.orders, queue, self._p.cut_off_receipt)
            if job_id is not None:
                self._p.store.audit(self._actor(), "technician.reprint", f"cut-off order, job {job_id}")
                self._gather_health()
                self._say(notice="reprint_queued")
                return
        last = next((j for j in queue.recent_jobs(20) if j.kind not in ("self_test", "diagnostic")
                     and j.state in (JobState.PRINTED, JobState.FAILED)), None)
        if last is None:
            self._say("nothing_to_reprint")
            return
        queue.reprint(last.id)
        self._p.store.audit(self._actor(), "technician.reprint", f"job {last.id} ({last.kind} {last.ref})")
        self._say(notice="reprint_queued")

    def _print(self, kind: str, extra: dict[str, str]) -> None:
        if not self._guard():
            return
        services, config = self._p.services, self._config

        def work() -> Callable[[], None]:
            status = services.print_queue.check_ready()
            facts = {**self_test_facts(config, status, services.scanner.status()), **extra}
            failed = print_and_wait(services.print_queue, self_test_receipt(facts, self_test_qr(config)), kind, "")
            return lambda: self._printed(failed)

        self._run(kind, work)

    def _printed(self, failed: PrinterErrorKind | None) -> None:
        if failed is None:
            self._say(notice="printed")
        else:
            self._say(f"printer_{'error' if failed is PrinterErrorKind.HARDWARE else failed.value}")

    @Slot()
    def testPrint(self) -> None:
        self._print("self_test", {})

    @Slot()
    def printDiagnostic(self) -> None:
        sync = self._p.services.sync
        state = sync.state if sync is not None else None
        extra = {"cloud": state.status.value + (f" ({state.issue.value})" if state.issue.value else "")
                 if state else "not set",
                 "outbox": f"{state.outbox_depth} queued, {state.rejected} refused" if state else "-"}
        self._print("diagnostic", extra)

    @Slot()
    def exportLogs(self) -> None:
        if not self._guard():
            return
        mounts = usb_mounts(self._p.usb_roots)
        if not mounts:
            self._say("no_usb")
            return
        log_dir, station = self._config.data_path() / "logs", self._config.station.id

        def work() -> Callable[[], None]:
            try:
                out = export_logs(log_dir, mounts[0], station)
            except OSError as exc:
                log.error("log export to %s failed: %s", mounts[0], exc)
                return lambda: self._say("export_failed")
            self._p.store.audit(self._actor(), "technician.logs_exported", str(out))
            return lambda: self._say(notice="exported")

        self._run("export", work)

    @Slot()
    def restartApp(self) -> None:
        if self._guard():
            self._p.store.audit(self._actor(), "technician.restart")
            self._p.exit_app(RESTART_EXIT_CODE)

    @Slot()
    def quitToDesktop(self) -> None:
        if self._guard():
            self._p.store.audit(self._actor(), "technician.exit")
            self._p.exit_app(MAINTENANCE_EXIT_CODE)
