"""The ordering flow without Qt: every transition, back at every step, validation, proxy ordering."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.flows.ordering import OrderFlow, Problem, Step, mask_phone

HOME_SERVICE: dict[str, Any] = {"id": "svc-visit", "location": "home"}
STATION_SERVICE: dict[str, Any] = {"id": "svc-tv", "location": "station"}


def filled(service: dict[str, Any] = HOME_SERVICE, *, for_other: bool = False) -> OrderFlow:
    flow = OrderFlow()
    flow.start(service)
    assert flow.advance() is None  # detail → for whom
    flow.set_for_other(for_other)
    assert flow.advance() is None
    flow.draft.phone = "13800005678"
    assert flow.advance() is None
    flow.draft.surname, flow.draft.title = "王", "女士"
    assert flow.advance() is None
    if for_other:
        flow.draft.beneficiary_phone, flow.draft.relation = "13900001234", "family"
        assert flow.advance() is None
    if service["location"] == "home":
        flow.draft.building, flow.draft.unit, flow.draft.room = "1栋", "2单元", "301"
        assert flow.advance() is None
    flow.draft.day, flow.draft.part = "tomorrow", "morning"
    assert flow.advance() is None
    flow.toggle_tag("mobility")
    assert flow.advance() is None
    flow.draft.consent = True
    assert flow.advance() is None
    return flow


def test_a_home_service_asks_every_question_in_order() -> None:
    flow = OrderFlow()
    flow.start(HOME_SERVICE)
    seen = [flow.step]
    answers = {
        Step.PHONE: lambda: setattr(flow.draft, "phone", "13800005678"),
        Step.ADDRESS: lambda: setattr(flow.draft, "address_text", "医财巷12号"),
        Step.CONSENT: lambda: setattr(flow.draft, "consent", True),
    }
    while flow.step is not Step.CONFIRM:
        answers.get(flow.step, lambda: None)()
        assert flow.advance() is None
        seen.append(flow.step)
    assert seen == [Step.DETAIL, Step.FOR_WHOM, Step.PHONE, Step.NAME, Step.ADDRESS, Step.TIME,
                    Step.NOTES, Step.CONSENT, Step.CONFIRM]


def test_a_station_service_does_not_ask_for_an_address() -> None:
    flow = filled(STATION_SERVICE)
    assert flow.step is Step.CONFIRM
    flow.back()
    flow.back()
    flow.back()
    assert flow.step is Step.TIME
    flow.back()
    assert flow.step is Step.NAME


def test_back_from_every_step_returns_to_the_previous_question_and_keeps_answers() -> None:
    flow = filled(for_other=True)
    trail = []
    while True:
        trail.append(flow.step)
        if not flow.back():
            break
    assert trail == [Step.CONFIRM, Step.CONSENT, Step.NOTES, Step.TIME, Step.ADDRESS, Step.BENEFICIARY,
                     Step.NAME, Step.PHONE, Step.FOR_WHOM, Step.DETAIL]
    assert flow.draft.phone == "13800005678" and flow.draft.tags == ["mobility"]


@pytest.mark.parametrize(
    "phone,problem",
    [("", Problem.PHONE_EMPTY), ("1380000567", Problem.PHONE_INVALID), ("12800005678", Problem.PHONE_INVALID),
     ("138000056789", Problem.PHONE_INVALID), ("13800005678", None), ("19912345678", None)],
)
def test_phone_must_be_a_mainland_mobile_number(phone: str, problem: Problem | None) -> None:
    flow = OrderFlow()
    flow.start(HOME_SERVICE)
    flow.advance()
    flow.advance()
    assert flow.step is Step.PHONE
    flow.draft.phone = phone
    assert flow.advance() is problem
    assert flow.step is (Step.PHONE if problem else Step.NAME)


def test_ordering_for_someone_else_needs_their_phone_and_relation() -> None:
    flow = OrderFlow()
    flow.start(HOME_SERVICE)
    flow.advance()
    flow.set_for_other(True)
    flow.advance()
    flow.draft.phone = "13800005678"
    flow.advance()
    flow.advance()
    assert flow.step is Step.BENEFICIARY
    assert flow.advance() is Problem.BENEFICIARY_PHONE_INVALID
    flow.draft.beneficiary_phone = "13800005678"
    assert flow.advance() is Problem.BENEFICIARY_SAME_PHONE
    flow.draft.beneficiary_phone = "13900001234"
    assert flow.advance() is Problem.RELATION_MISSING
    flow.draft.relation = "neighbour"
    assert flow.advance() is None and flow.step is Step.ADDRESS


def test_switching_back_to_self_forgets_the_other_persons_details() -> None:
    flow = filled(for_other=True)
    flow.set_for_other(False)
    assert flow.draft.beneficiary_phone == "" and flow.draft.relation == ""
    assert flow.draft.request_body(0.0)["beneficiary"] is None


def test_address_consent_and_note_checks() -> None:
    flow = filled()
    flow.draft.consent = False
    flow.back()
    assert flow.step is Step.CONSENT
    assert flow.advance() is Problem.CONSENT_MISSING
    flow.back()
    flow.draft.note = "很长" * 101
    assert flow.advance() is Problem.NOTE_TOO_LONG
    flow.draft.note = ""
    flow.back()
    flow.back()
    assert flow.step is Step.ADDRESS
    flow.draft.building = flow.draft.room = flow.draft.address_text = ""
    assert flow.advance() is Problem.ADDRESS_MISSING


def test_progress_counts_only_questions_that_apply() -> None:
    flow = OrderFlow()
    flow.start(STATION_SERVICE)
    assert flow.progress() == (0, 6)  # the detail page is not a question
    flow.advance()
    assert flow.progress() == (1, 6)
    flow.set_for_other(True)
    flow.advance()
    assert flow.progress() == (2, 7)


def test_request_body_matches_the_contract() -> None:
    body = filled(for_other=True).draft.request_body(1764400000.0)
    assert body == {
        "service_id": "svc-visit",
        "contact": {"phone": "13800005678", "name": "王", "title": "女士"},
        "beneficiary": {"phone": "13900001234", "name": "", "relation": "family"},
        "address": {"building": "1栋", "unit": "2单元", "room": "301", "text": ""},
        "time_slot": {"day": "tomorrow", "part": "morning"},
        "tags": ["mobility"], "note": "", "consent": True, "created_at": 1764400000.0,
    }


def test_done_cannot_go_back_and_reset_forgets_everything() -> None:
    flow = filled()
    flow.finished()
    assert flow.step is Step.DONE and not flow.back()
    flow.reset()
    assert flow.draft.phone == "" and flow.draft.service is None


def test_mask_phone() -> None:
    assert mask_phone("13800005678") == "138****5678"
