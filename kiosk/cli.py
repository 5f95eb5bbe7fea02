"""The ``kiosk`` command: run, demo, doctor, config.

``run`` and ``demo`` start the Qt user interface and ``doctor`` asks the drivers about devices; those
packages are imported when the command runs (this module is the composition root), so importing the
kiosk core never loads Qt or a hardware library.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.config import (
    ConfigError,
    LoadedConfig,
    check_file,
    iter_keys,
    load,
    render_defaults,
    site_file,
    value_of,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Community volunteer-service station kiosk")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="production: fullscreen, config from the system location")
    run.add_argument("--config", type=Path, help=f"site config file (default {site_file()})")

    demo = sub.add_parser("demo", help="windowed demo on an embedded cloud, image printer, simulated scanner")
    demo.add_argument("--role", choices=["ordering", "redemption"], default="ordering")
    demo.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    demo.add_argument("--elderly", action="store_true", help="start in elderly mode")
    demo.add_argument("--size", default="720x1280", help="window size WxH (default 720x1280)")
    demo.add_argument("--data-dir", type=Path, help="keep demo data here instead of a temporary folder")

    doctor = sub.add_parser("doctor", help="check this machine and report what is missing")
    doctor.add_argument("--config", type=Path, help="site config file")
    doctor.add_argument("--print-test", action="store_true", help="also print a self-test ticket")

    config = sub.add_parser("config", help="check or show configuration")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    check = config_sub.add_parser("check", help="validate one config file")
    check.add_argument("file", type=Path)
    show = config_sub.add_parser("show", help="effective values and where each came from")
    show.add_argument("--config", type=Path, help="site config file")
    config_sub.add_parser("defaults", help="print the documented default file")

    enrol = sub.add_parser("enrol", help="enrol this kiosk with the cloud using a one-time code")
    enrol.add_argument("code", help="the enrolment code, or the whole SKE1:… text of the enrolment QR")
    enrol.add_argument("--config", type=Path, help="site config file")
    enrol.add_argument("--name", default="", help="device name shown on the platform (default: host name)")

    pin = sub.add_parser("pin", help="technician PIN")
    pin_sub = pin.add_subparsers(dest="pin_command", required=True)
    pin_set = pin_sub.add_parser("set", help="set a new technician PIN (clears a lockout)")
    pin_set.add_argument("--config", type=Path, help="site config file")
    return parser


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"--size: expected WIDTHxHEIGHT such as 720x1280, got {text!r}") from None
    return width, height


def _load_or_exit(site: Path | None, *, require_site: bool = False) -> LoadedConfig:
    try:
        return load(site, require_site=require_site)
    except ConfigError as exc:
        print("Configuration error:\n  " + "\n  ".join(exc.problems), file=sys.stderr)
        raise SystemExit(2) from None


def cmd_config(args: argparse.Namespace) -> int:
    if args.config_command == "defaults":
        sys.stdout.write(render_defaults())
        return 0
    if args.config_command == "check":
        try:
            check_file(args.file)
        except ConfigError as exc:
            print("\n".join(exc.problems), file=sys.stderr)
            return 2
        print(f"{args.file}: OK")
        return 0
    loaded = _load_or_exit(args.config)
    width = max(len(key) for key, _ in iter_keys())
    for key, _info in iter_keys():
        value = value_of(loaded.config, key)
        print(f"{key.ljust(width)} = {value!r:<28} # {loaded.source_of(key)}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from kiosk.doctor import Level, base_checks, render, run_probes

    loaded: LoadedConfig | None = None
    error: ConfigError | None = None
    try:
        loaded = load(args.config)
    except ConfigError as exc:
        error = exc
    checks = base_checks(loaded, error)
    if loaded is not None:
        devices: Any = importlib.import_module("drivers.probe")
        checks += run_probes(devices.probes(loaded.config))
        if args.print_test:
            checks.append(devices.print_test(loaded.config, checks))
    print(render(checks))
    return 1 if any(c.level is Level.FAIL for c in checks) else 0


def cmd_enrol(args: argparse.Namespace) -> int:
    import socket

    from kiosk.cloud_client import CloudClient, CloudError, CloudRejected
    from kiosk.store import open_store
    from kiosk.tokens import EnrolmentQr, parse_scanned

    loaded = _load_or_exit(args.config)
    url, code = loaded.config.cloud.url, args.code.strip()
    scanned = parse_scanned(code)
    if isinstance(scanned, EnrolmentQr):
        url, code = scanned.base_url, scanned.code
    if not url:
        print("cloud.url is not set: put it in the site config, or pass the SKE1:… text of the QR", file=sys.stderr)
        return 2
    store, _ = open_store(loaded.config.data_path())
    client = CloudClient(url, connect_timeout=loaded.config.cloud.connect_timeout_s,
                         read_timeout=loaded.config.cloud.read_timeout_s, store=store)
    try:
        enrolment = client.enrol(code, args.name or socket.gethostname())
    except CloudRejected as exc:
        print(f"enrolment refused: {exc.code} ({exc.message})", file=sys.stderr)
        return 1
    except CloudError as exc:
        print(f"cannot reach the cloud at {url}: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
        store.close()
    if url != loaded.config.cloud.url:
        from kiosk.config import write_local

        write_local(loaded.local_file, {"cloud": {"url": url}})
    print(f"enrolled as {enrolment.device_id} at station {enrolment.station_id}")
    return 0


def cmd_pin(args: argparse.Namespace) -> int:
    from kiosk.store import open_store
    from kiosk.technician import set_pin_interactive

    loaded = _load_or_exit(args.config)
    store, _ = open_store(loaded.config.data_path())
    try:
        return set_pin_interactive(store)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "config":
        return cmd_config(args)
    if args.command == "doctor":
        return cmd_doctor(args)
    if args.command == "enrol":
        return cmd_enrol(args)
    if args.command == "pin":
        return cmd_pin(args)
    gui: Any = importlib.import_module("ui.main")
    if args.command == "run":
        return int(gui.run(_load_or_exit(args.config, require_site=False)))
    return int(gui.demo(role=args.role, language=args.language, elderly=args.elderly,
                        size=_size(args.size), data_dir=args.data_dir))


if __name__ == "__main__":
    sys.exit(main())
