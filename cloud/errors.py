"""The error codes of the wire contract: the kiosk keys its messages on ``code``, so these strings are
stable API. Each code has one HTTP status."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"
    UNKNOWN_DEVICE = "unknown_device"
    BAD_SIGNATURE = "bad_signature"
    CLOCK_SKEW = "clock_skew"
    REPLAYED_REQUEST = "replayed_request"
    DEVICE_REVOKED = "device_revoked"
    NOT_FOUND = "not_found"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    RATE_LIMITED = "rate_limited"
    ENROLMENT_CODE_INVALID = "enrolment_code_invalid"
    ENROLMENT_CODE_USED = "enrolment_code_used"
    ENROLMENT_CODE_EXPIRED = "enrolment_code_expired"
    UNKNOWN_SERVICE = "unknown_service"
    CONSENT_REQUIRED = "consent_required"
    INVALID_PHONE = "invalid_phone"
    NOT_COMPLETED = "not_completed"
    ALREADY_RATED = "already_rated"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REPLAYED = "token_replayed"
    UNKNOWN_KEY = "unknown_key"
    UNKNOWN_MEMBER = "unknown_member"
    PIN_REQUIRED = "pin_required"
    PIN_WRONG = "pin_wrong"
    SESSION_EXPIRED = "session_expired"
    INSUFFICIENT_POINTS = "insufficient_points"
    OUT_OF_STOCK = "out_of_stock"
    LIMIT_EXCEEDED = "limit_exceeded"
    UNKNOWN_GIFT = "unknown_gift"
    # The platform API (/api): people signed in with a phone number and password.
    NOT_SIGNED_IN = "not_signed_in"
    FORBIDDEN = "forbidden"
    WRONG_PASSWORD = "wrong_password"
    ACCOUNT_LOCKED = "account_locked"
    ACTIVATION_INVALID = "activation_invalid"
    CONFLICT = "conflict"
    ALREADY_TAKEN = "already_taken"
    WRONG_STATE = "wrong_state"
    ALREADY_VERIFIED = "already_verified"
    VOUCHER_EXPIRED = "voucher_expired"
    INTERNAL = "internal"


STATUS: dict[ErrorCode, int] = {
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.UNKNOWN_DEVICE: 401,
    ErrorCode.BAD_SIGNATURE: 401,
    ErrorCode.CLOCK_SKEW: 401,
    ErrorCode.REPLAYED_REQUEST: 401,
    ErrorCode.DEVICE_REVOKED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.IDEMPOTENCY_MISMATCH: 409,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.ENROLMENT_CODE_INVALID: 400,
    ErrorCode.ENROLMENT_CODE_USED: 409,
    ErrorCode.ENROLMENT_CODE_EXPIRED: 410,
    ErrorCode.UNKNOWN_SERVICE: 400,
    ErrorCode.CONSENT_REQUIRED: 400,
    ErrorCode.INVALID_PHONE: 400,
    ErrorCode.NOT_COMPLETED: 409,
    ErrorCode.ALREADY_RATED: 409,
    ErrorCode.TOKEN_INVALID: 400,
    ErrorCode.TOKEN_EXPIRED: 400,
    ErrorCode.TOKEN_REPLAYED: 409,
    ErrorCode.UNKNOWN_KEY: 400,
    ErrorCode.UNKNOWN_MEMBER: 404,
    ErrorCode.PIN_REQUIRED: 400,
    ErrorCode.PIN_WRONG: 400,
    ErrorCode.SESSION_EXPIRED: 410,
    ErrorCode.INSUFFICIENT_POINTS: 409,
    ErrorCode.OUT_OF_STOCK: 409,
    ErrorCode.LIMIT_EXCEEDED: 409,
    ErrorCode.UNKNOWN_GIFT: 400,
    ErrorCode.NOT_SIGNED_IN: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.WRONG_PASSWORD: 401,
    ErrorCode.ACCOUNT_LOCKED: 429,
    ErrorCode.ACTIVATION_INVALID: 400,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ALREADY_TAKEN: 409,
    ErrorCode.WRONG_STATE: 409,
    ErrorCode.ALREADY_VERIFIED: 409,
    ErrorCode.VOUCHER_EXPIRED: 410,
    ErrorCode.INTERNAL: 500,
}


class ApiError(Exception):
    """A refusal the client can act on; rendered as ``{"error": {"code", "message"}}``."""

    def __init__(self, code: ErrorCode, message: str, *, retry_after_s: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retry_after_s = retry_after_s

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def body(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code.value, "message": self.message}}


class AdminError(Exception):
    """A platform-side operation that cannot be done (unknown member, illegal status change …)."""
