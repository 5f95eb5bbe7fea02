"""Technician mode without Qt: the wizard's steps, config changes checked by the schema, log export."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import KioskConfig, load, write_local
from kiosk.flows.technician import (
    ChangeProblem,
    Wizard,
    WizardStep,
    apply_live,
    export_logs,
    needs_setup,
    plan_changes,
    remote_changes,
    tail_lines,
    usb_mounts,
)


def test_wizard_skips_the_pin_when_one_exists_and_never_goes_back_into_it() -> None:
    fresh = Wizard(needs_pin=True)
    assert fresh.step is WizardStep.PIN
    assert not fresh.back()
    assert fresh.next() is WizardStep.STATION
    assert not fresh.back()  # the PIN is set; going back would ask for it again
    assert fresh.next() is WizardStep.CLOUD
    assert fresh.back() and fresh.step is WizardStep.STATION
    fresh.next()
    assert fresh.next() is WizardStep.DONE
    assert not fresh.back() and fresh.next() is WizardStep.DONE
    assert Wizard(needs_pin=False).step is WizardStep.STATION


def test_needs_setup_without_pin_url_or_enrolment() -> None:
    config = KioskConfig.model_validate({"cloud": {"url": "http://127.0.0.1:9"}})
    assert not needs_setup(config, pin_set=True, enrolled=True)
    assert needs_setup(config, pin_set=False, enrolled=True)
    assert needs_setup(config, pin_set=True, enrolled=False)
    assert needs_setup(KioskConfig(), pin_set=True, enrolled=True)


def test_plan_coerces_typed_values_and_keeps_only_changes() -> None:
    config = KioskConfig()
    plan = plan_changes(config, {"ui.idle_timeout_s": " 120 ", "ui.language": "zh_CN", "printer.paper_mm": 58})
    assert plan.values == {"ui.idle_timeout_s": 120, "printer.paper_mm": 58}
    assert not plan.problems and not plan.restart_needed
    assert plan.nested() == {"ui": {"idle_timeout_s": 120}, "printer": {"paper_mm": 58}}
    assert plan_changes(config, {"station.role": "redemption"}).restart_needed


def test_plan_names_the_key_and_what_is_allowed() -> None:
    plan = plan_changes(KioskConfig(), {"ui.idle_timeout_s": "5", "printer.kind": "laser", "ui.colour": "red",
                                        "storage.data_dir": "/tmp"})
    found = {p.key: (p.problem, p.detail) for p in plan.problems}
    assert found["ui.idle_timeout_s"] == (ChangeProblem.INVALID, "allowed: ≥ 10")
    assert found["printer.kind"][0] is ChangeProblem.INVALID and "'image'" in found["printer.kind"][1]
    assert found["ui.colour"] == (ChangeProblem.UNKNOWN, "")
    assert found["storage.data_dir"] == (ChangeProblem.UNKNOWN, "")  # moving the data is not a screen setting
    assert plan.values == {}


def test_remote_keys_are_refused_and_unknown_remote_keys_dropped() -> None:
    plan = plan_changes(KioskConfig(), {"ui.idle_timeout_s": 100}, remote=["ui.idle_timeout_s"])
    assert [(p.key, p.problem) for p in plan.problems] == [("ui.idle_timeout_s", ChangeProblem.REMOTE)]
    assert remote_changes({"ui.idle_timeout_s": 150, "nonsense.key": 1, "storage.data_dir": "/"}) == {
        "ui.idle_timeout_s": 150}


def test_written_changes_load_back_and_apply_live(tmp_path: Path) -> None:
    config = KioskConfig()
    plan = plan_changes(config, {"ui.idle_timeout_s": "75", "station.name": "医财巷站"})
    local = tmp_path / "local.toml"
    write_local(local, plan.nested())
    apply_live(config, plan.values)
    assert (config.ui.idle_timeout_s, config.station.name) == (75, "医财巷站")
    loaded = load(tmp_path / "none.toml", local=local).config
    assert (loaded.ui.idle_timeout_s, loaded.station.name) == (75, "医财巷站")


def test_export_logs_copies_every_log_file(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log").write_text("now\n", encoding="utf-8")
    (logs / "kiosk.log.1").write_text("before\n", encoding="utf-8")
    stick = tmp_path / "stick"
    stick.mkdir()
    out = export_logs(logs, stick, "st-yicaixiang-west", now=0)
    assert out.parent == stick and out.name.startswith("station-kiosk-logs-st-yicaixiang-west-")
    assert sorted(p.name for p in out.iterdir()) == ["kiosk.log", "kiosk.log.1"]


def test_no_usb_stick_under_plain_folders(tmp_path: Path) -> None:
    (tmp_path / "media" / "kiosk" / "NOT-A-MOUNT").mkdir(parents=True)
    assert usb_mounts([tmp_path / "media", tmp_path / "missing"]) == []


def test_tail_lines_reads_only_the_end(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.log"
    path.write_text("".join(f"line {n}\n" for n in range(10_000)), encoding="utf-8")
    assert tail_lines(path, 3) == ["line 9997", "line 9998", "line 9999"]
    assert tail_lines(path, 3, chunk=30)[-1] == "line 9999"
    assert tail_lines(tmp_path / "missing.log") == []
