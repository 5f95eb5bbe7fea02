"""Technician access: Argon2id PIN hashing, PIN rules, the persisted lockout, sessions, cards, the CLI."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from kiosk.config import TechnicianConfig
from kiosk.store import DB_NAME, Store, open_store
from kiosk.store.technician import TechnicianStore
from kiosk.technician import (
    CARD_PREFIX,
    AuthError,
    AuthErrorKind,
    LockoutPolicy,
    PinProblem,
    PinRejected,
    Technician,
    TechnicianSession,
    is_card_payload,
    make_hasher,
    pin_problem,
    set_pin_interactive,
)

PIN = "246813"
OTHER_PIN = "975310"


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store, _ = open_store(tmp_path)
    yield store
    store.close()


@pytest.fixture
def wall() -> Clock:
    return Clock(1_800_000_000.0)


@pytest.fixture
def mono() -> Clock:
    return Clock(1000.0)


def make_tech(store: Store, wall: Clock, mono: Clock, timeout_s: int = 300) -> Technician:
    return Technician(
        store, TechnicianConfig(session_timeout_s=timeout_s), wall_clock=wall, session_clock=mono
    )


@pytest.fixture
def tech(store: Store, wall: Clock, mono: Clock) -> Technician:
    return make_tech(store, wall, mono)


def actions(store: Store) -> list[tuple[str, str]]:
    return [(r["actor"], r["action"]) for r in reversed(store.audit_entries())]


def login_error(tech: Technician, pin: str, card: str | None = None) -> AuthError:
    with pytest.raises(AuthError) as info:
        tech.login(pin, card)
    return info.value


# --- hashing -----------------------------------------------------------------------------------------


def test_hash_is_argon2id_with_the_chosen_parameters_and_above_owasp_minimum() -> None:
    encoded = make_hasher().hash(PIN)
    match = re.fullmatch(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+", encoded)
    assert match, encoded
    memory_kib, time_cost, lanes = (int(g) for g in match.groups())
    assert (memory_kib, time_cost, lanes) == (65536, 3, 1)
    assert memory_kib >= 19 * 1024 and time_cost >= 2 and lanes >= 1  # OWASP floor


def test_only_the_hash_reaches_the_database_file(store: Store, tech: Technician) -> None:
    tech.set_initial_pin(PIN)
    stored = TechnicianStore(store).auth().pin_hash
    assert stored is not None and stored.startswith("$argon2id$") and PIN not in stored
    store.close()
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob(DB_NAME + "*"))
    assert PIN.encode() not in raw


def test_weaker_stored_hash_is_upgraded_on_a_correct_login(store: Store, tech: Technician) -> None:
    weak = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID).hash(PIN)
    TechnicianStore(store).set_pin_hash(weak, 0.0)
    tech.login(PIN)
    upgraded = TechnicianStore(store).auth().pin_hash
    assert upgraded is not None and "m=65536,t=3,p=1" in upgraded
    tech.login(PIN)


def test_unreadable_stored_hash_is_reported_not_treated_as_a_wrong_pin(store: Store, tech: Technician) -> None:
    TechnicianStore(store).set_pin_hash("not-a-hash", 0.0)
    assert login_error(tech, PIN).kind is AuthErrorKind.CREDENTIAL_CORRUPT
    assert TechnicianStore(store).auth().failures == 0


# --- PIN rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["246813", "13572468", "1029384", "112358", "000001", "908172"])
def test_acceptable_pins(pin: str) -> None:
    assert pin_problem(pin) is None


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("12345", PinProblem.LENGTH),
        ("123456789", PinProblem.LENGTH),
        ("", PinProblem.LENGTH),
        ("12a456", PinProblem.NOT_DIGITS),
        ("１２３４５６", PinProblem.NOT_DIGITS),  # full-width digits look right and are not
        ("24681 ", PinProblem.NOT_DIGITS),
        ("000000", PinProblem.ALL_SAME),
        ("77777777", PinProblem.ALL_SAME),
        ("123456", PinProblem.SEQUENCE),
        ("876543", PinProblem.SEQUENCE),
        ("8901234", PinProblem.SEQUENCE),
        ("210987", PinProblem.SEQUENCE),
        ("121212", PinProblem.REPEATED),
        ("123123", PinProblem.REPEATED),
        ("12341234", PinProblem.REPEATED),
    ],
)
def test_rejected_pins(pin: str, problem: PinProblem) -> None:
    assert pin_problem(pin) is problem


def test_bad_pin_is_refused_and_nothing_is_stored(store: Store, tech: Technician) -> None:
    with pytest.raises(PinRejected) as info:
        tech.set_initial_pin("123456")
    assert info.value.problem is PinProblem.SEQUENCE
    assert tech.needs_setup
    assert actions(store) == []


# --- setup and login ----------------------------------------------------------------------------------


def test_fresh_kiosk_needs_setup_and_refuses_logins(tech: Technician) -> None:
    assert tech.needs_setup
    assert login_error(tech, PIN).kind is AuthErrorKind.NEEDS_SETUP


def test_setup_wizard_sets_the_pin_once_and_logs_in(store: Store, tech: Technician) -> None:
    session = tech.set_initial_pin(PIN)
    assert session.active and not tech.needs_setup
    with pytest.raises(AuthError) as info:
        tech.set_initial_pin(OTHER_PIN)
    assert info.value.kind is AuthErrorKind.ALREADY_SET_UP
    tech.login(PIN)
    assert actions(store) == [("technician", "technician.pin_set"), ("technician", "technician.login")]


def test_wrong_pins_lock_with_doubling_delays_and_a_correct_pin_resets(
    store: Store, tech: Technician, wall: Clock
) -> None:
    tech.set_initial_pin(PIN)
    assert tech.lockout().attempts_left == 3

    first = login_error(tech, OTHER_PIN)
    assert first.kind is AuthErrorKind.WRONG_PIN
    assert first.lockout is not None and first.lockout.attempts_left == 2 and not first.lockout.locked
    assert login_error(tech, OTHER_PIN).kind is AuthErrorKind.WRONG_PIN

    third = login_error(tech, OTHER_PIN)
    assert third.kind is AuthErrorKind.LOCKED and third.lockout is not None
    assert third.lockout.locked_until == wall.now + 30 and third.lockout.attempts_left == 0

    # While locked, even the right PIN is not checked and the counter does not move.
    wall.advance(29)
    locked = login_error(tech, PIN)
    assert locked.kind is AuthErrorKind.LOCKED and locked.lockout is not None
    assert locked.lockout.locked_for_s == pytest.approx(1)
    assert TechnicianStore(store).auth().failures == 3

    wall.advance(1)
    assert tech.lockout().attempts_left == 1  # the next wrong PIN locks again, for longer
    fourth = login_error(tech, OTHER_PIN)
    assert fourth.kind is AuthErrorKind.LOCKED and fourth.lockout is not None
    assert fourth.lockout.locked_for_s == 60

    wall.advance(60)
    tech.login(PIN)
    state = tech.lockout()
    assert (state.failures, state.locked, state.attempts_left) == (0, False, 3)
    logged = [action for _, action in actions(store)]
    assert logged.count("technician.login_failed") == 4
    assert logged.count("technician.lockout") == 2
    assert logged[-1] == "technician.login"


def test_lockout_is_counted_across_restarts(tmp_path: Path, wall: Clock, mono: Clock) -> None:
    store, _ = open_store(tmp_path)
    tech = make_tech(store, wall, mono)
    tech.set_initial_pin(PIN)
    for _ in range(2):
        login_error(tech, OTHER_PIN)
    store.close()

    # Power cut: a new process, a new store object on the same file.
    store, _ = open_store(tmp_path)
    tech = make_tech(store, wall, mono)
    assert tech.lockout().attempts_left == 1
    assert login_error(tech, OTHER_PIN).kind is AuthErrorKind.LOCKED
    store.close()

    store, _ = open_store(tmp_path)
    tech = make_tech(store, wall, mono)
    state = tech.lockout()
    assert state.locked and state.locked_until == wall.now + 30
    assert login_error(tech, PIN).kind is AuthErrorKind.LOCKED
    store.close()


def test_policy_delays_double_and_cap_at_fifteen_minutes() -> None:
    policy = LockoutPolicy()
    delays = [policy.delay_after(n) for n in range(1, 11)]
    assert delays == [0, 0, 30, 60, 120, 240, 480, 900, 900, 900]
    assert policy.delay_after(10_000) == 900


def test_clock_set_back_never_locks_longer_than_the_cap(store: Store, tech: Technician, wall: Clock) -> None:
    tech.set_initial_pin(PIN)
    for _ in range(3):
        login_error(tech, OTHER_PIN)
    wall.advance(-86_400)  # the RTC lost a day
    state = tech.lockout()
    assert state.locked and state.locked_for_s == 900
    wall.advance(900)
    tech.login(PIN)


def test_concurrent_failures_are_all_counted(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    rows_per_thread = 25
    lock_for = LockoutPolicy().delay_after

    def hammer() -> None:
        # Each thread gets its own connection, like a second process on the same file.
        rows = TechnicianStore(store)
        for _ in range(rows_per_thread):
            rows.record_failure(lock_for, 0.0)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert TechnicianStore(store).auth().failures == 4 * rows_per_thread
    store.close()


# --- sessions ---------------------------------------------------------------------------------------


def test_session_times_out_after_inactivity_and_touch_extends_it(
    store: Store, wall: Clock, mono: Clock
) -> None:
    tech = make_tech(store, wall, mono, timeout_s=60)
    session = tech.set_initial_pin(PIN)
    mono.advance(59)
    tech.check(session)  # activity at t=59 ...
    mono.advance(59)
    assert session.active and session.remaining_s() == 1  # ... keeps it alive until t=119
    mono.advance(1)
    assert not session.active
    with pytest.raises(AuthError) as info:
        tech.check(session)
    assert info.value.kind is AuthErrorKind.SESSION_EXPIRED
    with pytest.raises(AuthError):
        tech.check(session)
    assert [a for _, a in actions(store)].count("technician.session_expired") == 1


def test_expired_session_cannot_be_revived_by_touch() -> None:
    clock = Clock(0.0)
    session = TechnicianSession("technician", 30, clock)
    clock.advance(31)
    with pytest.raises(AuthError):
        session.touch()
    assert session.remaining_s() == 0


def test_logout_ends_the_session(store: Store, tech: Technician) -> None:
    session = tech.set_initial_pin(PIN)
    tech.logout(session)
    assert not session.active
    with pytest.raises(AuthError):
        tech.change_pin(session, OTHER_PIN)
    assert actions(store)[-1] == ("technician", "technician.logout")


def test_change_pin_needs_a_live_session_and_replaces_the_old_pin(
    store: Store, tech: Technician, mono: Clock
) -> None:
    session = tech.set_initial_pin(PIN)
    with pytest.raises(PinRejected):
        tech.change_pin(session, "111111")
    tech.change_pin(session, OTHER_PIN)
    assert login_error(tech, PIN).kind is AuthErrorKind.WRONG_PIN
    fresh = tech.login(OTHER_PIN)
    mono.advance(301)
    with pytest.raises(AuthError):
        tech.change_pin(fresh, PIN)
    assert ("technician", "technician.pin_changed") in actions(store)


# --- cards --------------------------------------------------------------------------------------------


def test_card_login_names_the_technician_and_still_needs_the_pin(store: Store, tech: Technician) -> None:
    session = tech.set_initial_pin(PIN)
    issued = tech.issue_card(session, " 张伟 ")
    assert is_card_payload(issued.payload) and len(issued.payload) == len(CARD_PREFIX) + 43
    assert issued.record.label == "张伟"

    assert login_error(tech, OTHER_PIN, issued.payload).kind is AuthErrorKind.WRONG_PIN
    card_session = tech.login(PIN, issued.payload)
    assert card_session.actor == f"card:{issued.record.id}"
    assert tech.cards()[0].last_used_at is not None
    assert actions(store)[-1] == (card_session.actor, "technician.login")

    # The database keeps a hash of the card id, never the QR payload.
    token = issued.payload[len(CARD_PREFIX):]
    dump = "\n".join(store.conn.iterdump())
    assert token not in dump


def test_unknown_revoked_and_foreign_cards_are_refused_without_counting(
    store: Store, tech: Technician
) -> None:
    session = tech.set_initial_pin(PIN)
    issued = tech.issue_card(session, "李娜")
    foreign = CARD_PREFIX + issued.payload[len(CARD_PREFIX):][::-1]  # well-formed, never issued here
    assert login_error(tech, PIN, foreign).kind is AuthErrorKind.UNKNOWN_CARD
    mangled = issued.payload[:10] + "*" + issued.payload[10:]
    for junk in ("SKT1.", "SKT1.not*base64", "SKT1.AAAA", "ORD-12345", mangled):
        assert login_error(tech, PIN, junk).kind is AuthErrorKind.NOT_A_CARD

    tech.revoke_card(session, issued.record.id)
    assert tech.cards()[0].revoked
    assert login_error(tech, PIN, issued.payload).kind is AuthErrorKind.REVOKED_CARD
    with pytest.raises(AuthError) as info:
        tech.revoke_card(session, issued.record.id)
    assert info.value.kind is AuthErrorKind.NO_SUCH_CARD
    assert TechnicianStore(store).auth().failures == 0
    assert [a for _, a in actions(store)].count("technician.card_rejected") == 2


def test_issuing_a_card_needs_a_label_and_a_session(tech: Technician, mono: Clock) -> None:
    session = tech.set_initial_pin(PIN)
    with pytest.raises(ValueError):
        tech.issue_card(session, "  ")
    mono.advance(301)
    with pytest.raises(AuthError):
        tech.issue_card(session, "王芳")
    assert tech.cards() == []


# --- command line ---------------------------------------------------------------------------------------


def scripted(*answers: str) -> tuple[list[str], Callable[[str], str]]:
    prompts: list[str] = []
    queue = list(answers)

    def read(prompt: str) -> str:
        prompts.append(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    return prompts, read


def test_cli_sets_the_pin_after_rejecting_bad_and_mismatched_entries(store: Store, tech: Technician) -> None:
    out = io.StringIO()
    prompts, read = scripted("123456", "123456", PIN, "246814", PIN, PIN)
    assert set_pin_interactive(store, read_secret=read, out=out) == 0
    text = out.getvalue()
    assert "cannot be used" in text and "differ" in text and "Technician PIN set." in text
    assert len(prompts) == 6
    assert not tech.needs_setup
    tech.login(PIN)
    assert actions(store)[0] == ("cli", "technician.pin_set")


def test_cli_change_clears_a_lockout(store: Store, tech: Technician) -> None:
    tech.set_initial_pin(PIN)
    for _ in range(3):
        login_error(tech, OTHER_PIN)
    out = io.StringIO()
    _, read = scripted(OTHER_PIN, OTHER_PIN)
    assert set_pin_interactive(store, read_secret=read, out=out) == 0
    assert "lockout is cleared" in out.getvalue()
    tech.login(OTHER_PIN)


def test_cli_gives_up_on_end_of_input_without_changing_anything(store: Store, tech: Technician) -> None:
    tech.set_initial_pin(PIN)
    out = io.StringIO()
    _, read = scripted(OTHER_PIN)
    assert set_pin_interactive(store, read_secret=read, out=out) == 1
    assert "not changed" in out.getvalue()
    tech.login(PIN)
