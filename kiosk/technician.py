"""Technician access: the PIN, the wrong-PIN lockout, technician sessions and technician QR cards.

The PIN is kept only as an Argon2id hash. Wrong PINs are counted in the store, so a restart or a pulled
plug does not reset a lockout, and a correct PIN clears the count. Every PIN change, login, failed
login, lockout, logout and card change is written to the store's audit log.

Lockout policy (:class:`LockoutPolicy`): the first three wrong PINs in a row are free; the third locks
entry for 30 s, and every further wrong PIN locks again for twice as long as the last time, up to 15
minutes (30 s, 60 s, 2 min, 4 min, 8 min, 15 min, 15 min …). While locked, PINs are not even checked.
A 6-digit PIN under this policy costs an attacker at the panel about 15 minutes per guess after the
first eight, i.e. decades for the whole space.

Technician cards: a card's QR is ``SKT1.`` followed by a random 256-bit id (base64url). The kiosk keeps
only the SHA-256 of the id; a card names *who* logs in (for the audit log) and still requires the PIN.

The screens call :class:`Technician`; nothing here returns translated text: failures are
:class:`AuthError` / :class:`PinRejected` with a stable ``kind`` / ``problem`` the UI maps to words.
:meth:`Technician.login` runs Argon2 (about 0.15 s on a desktop core, longer on a small board), so call
it off the GUI thread.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import itertools
import logging
import re
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn, TextIO

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.config import TechnicianConfig
from kiosk.store import Store
from kiosk.store.technician import AuthState, CardRecord, TechnicianStore

log = logging.getLogger(__name__)

# Argon2id, RFC 9106's second recommended setting (64 MiB, 3 passes) but one lane: well above OWASP's
# floor (19 MiB, t=2, p=1). A PIN has little entropy, so the hash only slows down guessing from a
# stolen disk; the panel is protected by the lockout. One lane because kiosk boards have 2–4 cores and
# the GUI must stay smooth; ~0.15 s per check here, under a second on a slow ARM board.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 1

PIN_MIN_LENGTH = 6
PIN_MAX_LENGTH = 8

CARD_PREFIX = "SKT1."
_CARD_ID_BYTES = 32
_CARD_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # base64url of 32 bytes, unpadded

AUDIT_ACTOR = "technician"


def make_hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


# --- PIN rules --------------------------------------------------------------------------------------


class PinProblem(StrEnum):
    LENGTH = "length"  # not 6–8 characters
    NOT_DIGITS = "not_digits"  # anything but ASCII 0–9 (full-width digits included)
    ALL_SAME = "all_same"  # 000000, 7777777
    SEQUENCE = "sequence"  # 123456, 987654, 890123 (steps of ±1, wrapping 9→0)
    REPEATED = "repeated"  # a short block repeated: 121212, 123123, 12341234


PIN_PROBLEM_TEXT: dict[PinProblem, str] = {
    PinProblem.LENGTH: f"use {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits",
    PinProblem.NOT_DIGITS: "use digits 0-9 only",
    PinProblem.ALL_SAME: "do not repeat one digit",
    PinProblem.SEQUENCE: "do not use a run like 123456 or 654321",
    PinProblem.REPEATED: "do not repeat a short group like 121212",
}

_DIGITS = re.compile(r"[0-9]+")


class PinRejected(ValueError):
    """A new PIN breaks a rule; ``problem`` says which."""

    def __init__(self, problem: PinProblem) -> None:
        super().__init__(f"PIN rejected: {PIN_PROBLEM_TEXT[problem]}")
        self.problem = problem


def pin_problem(pin: str) -> PinProblem | None:
    """The first rule a proposed PIN breaks, or None if it is acceptable."""
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        return PinProblem.LENGTH
    if not _DIGITS.fullmatch(pin):
        return PinProblem.NOT_DIGITS
    if len(set(pin)) == 1:
        return PinProblem.ALL_SAME
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        return PinProblem.SEQUENCE
    for block in range(2, len(pin) // 2 + 1):
        if len(pin) % block == 0 and pin == pin[:block] * (len(pin) // block):
            return PinProblem.REPEATED
    return None


# --- lockout ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int = 3
    first_delay_s: float = 30.0
    max_delay_s: float = 15 * 60.0

    def delay_after(self, failures: int) -> float:
        """Seconds to lock after the ``failures``-th wrong PIN in a row."""
        if failures < self.free_attempts:
            return 0.0
        doublings = min(failures - self.free_attempts, 32)  # the cap is reached long before 2**32
        return min(self.first_delay_s * 2**doublings, self.max_delay_s)


@dataclass(frozen=True)
class LockoutState:
    """What the PIN screen shows: how long entry is locked, or how many tries remain before it is."""

    failures: int
    locked_until: float | None  # wall-clock (Unix) time the lock ends; None when not locked
    locked_for_s: float  # seconds left when this state was read; 0 when not locked
    attempts_left: int  # wrong PINs still possible before the next lock; 0 while locked

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


# --- errors -----------------------------------------------------------------------------------------


class AuthErrorKind(StrEnum):
    NEEDS_SETUP = "needs_setup"  # no PIN yet: run the setup wizard
    ALREADY_SET_UP = "already_set_up"  # the setup wizard ran twice
    WRONG_PIN = "wrong_pin"  # see lockout.attempts_left
    LOCKED = "locked"  # see lockout.locked_until
    NOT_A_CARD = "not_a_card"  # the scanned code is not a technician card
    UNKNOWN_CARD = "unknown_card"  # a card this kiosk never issued
    REVOKED_CARD = "revoked_card"
    NO_SUCH_CARD = "no_such_card"  # revoking a card id that does not exist or is already revoked
    SESSION_EXPIRED = "session_expired"  # idle too long or logged out: enter the PIN again
    CREDENTIAL_CORRUPT = "credential_corrupt"  # stored hash unreadable: reset with `kiosk pin set`


class AuthError(Exception):
    def __init__(self, kind: AuthErrorKind, lockout: LockoutState | None = None) -> None:
        super().__init__(kind.value)
        self.kind = kind
        self.lockout = lockout


# --- sessions ---------------------------------------------------------------------------------------


class TechnicianSession:
    """A logged-in technician; ends after ``timeout_s`` without :meth:`touch` or on :meth:`end`.

    The clock is monotonic by default so a wall-clock jump neither ends nor prolongs a session.
    """

    def __init__(
        self, actor: str, timeout_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.actor = actor
        self.timeout_s = timeout_s
        self._clock = clock
        self._last = clock()
        self._ended = False

    @property
    def active(self) -> bool:
        return self.remaining_s() > 0

    @property
    def ended(self) -> bool:
        """Ended explicitly (logout or a noticed timeout), as opposed to merely idle."""
        return self._ended

    def remaining_s(self) -> float:
        if self._ended:
            return 0.0
        return max(0.0, self.timeout_s - (self._clock() - self._last))

    def touch(self) -> None:
        """Record activity (any tap on a technician screen); an expired session stays expired."""
        if not self.active:
            raise AuthError(AuthErrorKind.SESSION_EXPIRED)
        self._last = self._clock()

    def end(self) -> None:
        self._ended = True


# --- cards ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCard:
    payload: str  # put this in the card's QR code; it is shown once and never stored
    record: CardRecord


def is_card_payload(text: str) -> bool:
    """Whether a scanned code is meant as a technician card (so the scan router can send it here)."""
    return text.startswith(CARD_PREFIX)


def _card_hash(payload: str) -> str:
    if not is_card_payload(payload):
        raise AuthError(AuthErrorKind.NOT_A_CARD)
    token = payload[len(CARD_PREFIX):].strip()
    # Strict alphabet: the decoder would otherwise skip stray characters and accept a mangled scan.
    if not _CARD_TOKEN.fullmatch(token):
        raise AuthError(AuthErrorKind.NOT_A_CARD)
    raw = base64.urlsafe_b64decode(token + "=")
    # The id is 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw).hexdigest()


# --- the service ------------------------------------------------------------------------------------


class Technician:
    """Technician access for one kiosk. Build one with the app's store and pass it to the screens."""

    def __init__(
        self,
        store: Store,
        config: TechnicianConfig,
        *,
        policy: LockoutPolicy | None = None,
        wall_clock: Callable[[], float] = time.time,
        session_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._rows = TechnicianStore(store)
        self._config = config
        self._policy = policy or LockoutPolicy()
        self._now = wall_clock
        self._session_clock = session_clock
        self._hasher = make_hasher()

    # -- state for the screens -------------------------------------------------------------------

    @property
    def needs_setup(self) -> bool:
        """No PIN has been set yet: the app should start the setup wizard."""
        return self._rows.auth().pin_hash is None

    def lockout(self) -> LockoutState:
        return self._lockout(self._current_auth())

    def _current_auth(self) -> AuthState:
        auth = self._rows.auth()
        latest = self._now() + self._policy.max_delay_s
        if auth.locked_until > latest:
            # Lock times are wall-clock so they survive restarts; if the clock was set back, never
            # lock for longer than the policy's longest delay.
            self._rows.clamp_lock(latest)
            auth = self._rows.auth()
        return auth

    def _lockout(self, auth: AuthState) -> LockoutState:
        left = auth.locked_until - self._now()
        if left > 0:
            return LockoutState(auth.failures, auth.locked_until, left, 0)
        attempts = max(self._policy.free_attempts - auth.failures, 1)
        return LockoutState(auth.failures, None, 0.0, attempts)

    # -- PIN ---------------------------------------------------------------------------------------

    def _hash_new_pin(self, pin: str) -> str:
        problem = pin_problem(pin)
        if problem is not None:
            raise PinRejected(problem)
        return self._hasher.hash(pin)

    def set_initial_pin(self, pin: str) -> TechnicianSession:
        """First-run wizard: set the PIN on a kiosk that has none, and log the technician in."""
        if not self._rows.set_pin_hash(self._hash_new_pin(pin), self._now(), only_if_unset=True):
            raise AuthError(AuthErrorKind.ALREADY_SET_UP)
        self._store.audit(AUDIT_ACTOR, "technician.pin_set", "initial PIN set in the setup wizard")
        return self._start_session(AUDIT_ACTOR)

    def change_pin(self, session: TechnicianSession, new_pin: str) -> None:
        self.check(session)
        self._rows.set_pin_hash(self._hash_new_pin(new_pin), self._now())
        self._store.audit(session.actor, "technician.pin_changed", "PIN changed on the kiosk")

    def login(self, pin: str, card: str | None = None) -> TechnicianSession:
        """Check the PIN (and the card, if one was scanned first) and start a session.

        Raises :class:`AuthError`: NEEDS_SETUP, LOCKED (nothing checked), a card problem (the counter
        is untouched: card ids cannot be guessed), WRONG_PIN, or LOCKED when this wrong PIN started a
        lock. ``error.lockout`` then holds the state to show.
        """
        auth = self._current_auth()
        if auth.pin_hash is None:
            raise AuthError(AuthErrorKind.NEEDS_SETUP)
        state = self._lockout(auth)
        if state.locked:
            raise AuthError(AuthErrorKind.LOCKED, state)
        record = self._card_for_login(card) if card is not None else None
        try:
            # libargon2 compares the digests in constant time.
            self._hasher.verify(auth.pin_hash, pin)
        except VerifyMismatchError:
            self._wrong_pin(record)
        except (InvalidHashError, VerificationError) as exc:
            log.error("stored technician PIN hash cannot be used (%s); reset it with `kiosk pin set`", exc)
            raise AuthError(AuthErrorKind.CREDENTIAL_CORRUPT) from None
        rehashed = self._hasher.hash(pin) if self._hasher.check_needs_rehash(auth.pin_hash) else None
        self._rows.record_success(rehashed)
        actor = AUDIT_ACTOR
        if record is not None:
            self._rows.mark_card_used(record.id, self._now())
            actor = f"card:{record.id}"
        detail = f"card {record.id} ({record.label})" if record else "PIN"
        self._store.audit(actor, "technician.login", detail)
        return self._start_session(actor)

    def _wrong_pin(self, record: CardRecord | None) -> NoReturn:
        auth = self._rows.record_failure(self._policy.delay_after, self._now())
        state = self._lockout(auth)
        via = f" with card {record.id}" if record else ""
        detail = f"wrong PIN{via} ({auth.failures} in a row)"
        self._store.audit(AUDIT_ACTOR, "technician.login_failed", detail)
        if state.locked:
            self._store.audit(
                AUDIT_ACTOR, "technician.lockout", f"PIN entry locked for {state.locked_for_s:.0f} s"
            )
            raise AuthError(AuthErrorKind.LOCKED, state)
        raise AuthError(AuthErrorKind.WRONG_PIN, state)

    def _card_for_login(self, payload: str) -> CardRecord:
        record = self._rows.find_card(_card_hash(payload))
        if record is None or record.revoked:
            kind = AuthErrorKind.UNKNOWN_CARD if record is None else AuthErrorKind.REVOKED_CARD
            detail = "unknown card" if record is None else f"revoked card {record.id}"
            self._store.audit(AUDIT_ACTOR, "technician.card_rejected", detail)
            raise AuthError(kind)
        return record

    # -- sessions ----------------------------------------------------------------------------------

    def _start_session(self, actor: str) -> TechnicianSession:
        return TechnicianSession(actor, self._config.session_timeout_s, self._session_clock)

    def check(self, session: TechnicianSession) -> None:
        """Require a live session (and count this as activity); an idle one is ended and audited."""
        if session.active:
            session.touch()
            return
        if not session.ended:
            session.end()
            self._store.audit(session.actor, "technician.session_expired", "idle timeout")
        raise AuthError(AuthErrorKind.SESSION_EXPIRED)

    def logout(self, session: TechnicianSession) -> None:
        if session.active:
            session.end()
            self._store.audit(session.actor, "technician.logout")

    # -- cards -------------------------------------------------------------------------------------

    def issue_card(self, session: TechnicianSession, label: str) -> IssuedCard:
        """Make a new technician card; print ``payload`` as a QR now, it cannot be shown again."""
        self.check(session)
        label = label.strip()
        if not label:
            raise ValueError("a card needs a label (the technician's name)")
        token = base64.urlsafe_b64encode(secrets.token_bytes(_CARD_ID_BYTES)).decode().rstrip("=")
        payload = CARD_PREFIX + token
        record = self._rows.add_card(_card_hash(payload), label, self._now())
        self._store.audit(session.actor, "technician.card_issued", f"card {record.id} ({label})")
        return IssuedCard(payload, record)

    def revoke_card(self, session: TechnicianSession, card_id: int) -> None:
        self.check(session)
        if not self._rows.revoke_card(card_id, self._now()):
            raise AuthError(AuthErrorKind.NO_SUCH_CARD)
        self._store.audit(session.actor, "technician.card_revoked", f"card {card_id}")

    def cards(self) -> list[CardRecord]:
        return self._rows.cards()


# --- command line -------------------------------------------------------------------------------------


def set_pin_interactive(
    store: Store,
    *,
    read_secret: Callable[[str], str] = getpass.getpass,
    out: TextIO | None = None,
    tries: int = 3,
) -> int:
    """``kiosk pin set``: ask for a new PIN twice and store it; returns the process exit code.

    Whoever can run this already has a shell on the kiosk, so the old PIN is not asked for; setting a
    PIN this way also clears a lockout. It is audited as actor "cli".
    """
    out = out or sys.stdout
    hasher = make_hasher()
    for _ in range(tries):
        try:
            pin = read_secret(f"New technician PIN ({PIN_MIN_LENGTH}-{PIN_MAX_LENGTH} digits): ")
            again = read_secret("Repeat the PIN: ")
        except (EOFError, KeyboardInterrupt):
            print("\nPIN not changed.", file=out)
            return 1
        problem = pin_problem(pin)
        if problem is not None:
            print(f"That PIN cannot be used: {PIN_PROBLEM_TEXT[problem]}.", file=out)
            continue
        if pin != again:
            print("The two PINs differ; try again.", file=out)
            continue
        rows = TechnicianStore(store)
        first = rows.auth().pin_hash is None
        rows.set_pin_hash(hasher.hash(pin), time.time())
        action = "technician.pin_set" if first else "technician.pin_changed"
        store.audit("cli", action, "PIN set from the command line")
        print("Technician PIN set." if first else "Technician PIN changed; any lockout is cleared.", file=out)
        return 0
    print("PIN not changed.", file=out)
    return 1
