"""``kiosk-cloud``: run the reference service and administer it from a shell.

The database comes from ``--db`` (a SQLAlchemy URL or a SQLite file path), else ``$KIOSK_CLOUD_DB``,
else ``kiosk-cloud.sqlite3`` in the current directory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cloud.admin import Admin
from cloud.errors import AdminError
from cloud.orders import STATUSES

DEFAULT_DB = "kiosk-cloud.sqlite3"


def _when(at: float | None) -> str:
    return "-" if at is None else datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _parse_value(text: str) -> Any:
    """``key=value``: JSON when it parses (numbers, true, null …), the plain string otherwise."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from cloud.app import app_for

    uvicorn.run(app_for(args.db), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _run(args: argparse.Namespace, admin: Admin) -> int:
    cmd = args.command
    if cmd == "init":
        admin.init()
        print(f"database ready: {args.db}")
    elif cmd == "seed":
        admin.seed()
        print("demo data loaded: 3 stations (st-nanguan, st-czq, st-yinma), catalogue, members, orders")
    elif cmd == "station-add":
        text = lambda zh, en: {"zh_CN": zh, "en": en or zh}  # noqa: E731
        admin.add_station({
            "id": args.id, "name": text(args.name, args.name_en), "hotline": args.hotline,
            "address": text(args.address, args.address_en),
            "pickup_location": text(args.pickup or args.address, args.pickup_en or args.address_en),
            "phone_order_url": args.phone_order_url,
        })
        print(f"station {args.id} added")
    elif cmd == "enrol-code":
        code = admin.enrolment_code(args.station, int(args.days * 86400))
        print(f"code:    {code.code}")
        print(f"QR text: {code.qr_text(args.url)}")
        print(f"expires: {_when(code.expires_at)}")
    elif cmd == "catalogue-load":
        counts = admin.load_catalogue(json.loads(Path(args.file).read_text("utf-8")))
        print(", ".join(f"{n} {k}" for k, n in counts.items()) + " loaded")
    elif cmd == "member-add":
        print(admin.add_member(args.member_no, args.name, name_en=args.name_en, phone=args.phone, points=args.points))
    elif cmd == "member-hours":
        admin.set_hours(args.member, args.kind, args.hours)
        print(f"{args.kind} hours set to {args.hours}")
    elif cmd == "member-points":
        print(f"balance: {admin.add_points(args.member, args.delta, args.reason)}")
    elif cmd == "member-expiring":
        admin.set_expiring(args.member, args.points, date.fromisoformat(args.date))
        print("expiring points set")
    elif cmd == "member-token":
        print(admin.member_token(args.member))
    elif cmd == "member-card-pin":
        admin.set_card_pin(args.member, args.pin)
        print(f"PIN set; the card reads SKC1.{admin.member_info(args.member)['member_no']}")
    elif cmd == "member-show":
        print(_json(admin.member_info(args.member)))
    elif cmd == "order-list":
        for o in admin.orders(args.status):
            print(f"{o['order_code']}  {o['client_code']:8} {o['status']:11} {o['station_id']:12} {o['service_id']:24} "
                  f"{o['organisation_id'] or '-':20} {_when(o['created_at'])}")
    elif cmd == "order-advance":
        view = admin.advance_order(args.code, args.to, args.by)
        print(f"{view['order_code']} is now {view['status']}")
    elif cmd == "device-list":
        for d in admin.devices():
            state = "REVOKED" if d["revoked"] else "active"
            print(f"{d['id']}  {d['station_id']:12} {d['role'] or '-':10} {state:8} v{d['app_version']:8} "
                  f"seen {_when(d['last_seen_at'])}  {d['name']}")
            if d["health"]:
                print(f"    health at {_when(d['health_at'])}: {json.dumps(d['health'], ensure_ascii=False)}")
    elif cmd == "device-revoke":
        admin.revoke_device(args.device)
        print(f"device {args.device} revoked")
    elif cmd == "config-set":
        values = {}
        for pair in args.pairs:
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise AdminError(f"{pair!r}: expected key=value")
            values[key] = _parse_value(value)
        print(f"config version {admin.set_config(args.device, values)}")
    elif cmd == "keys-rotate":
        print(f"new signing key {admin.rotate_keys()}; previous keys kept for "
              f"{admin.settings.key_rotation_grace_s} s")
    elif cmd == "keys-list":
        for k in admin.signing_keys():
            print(f"{k['kid']}  {k['public_key']}  not_after {_when(k['not_after'])}")
    elif cmd == "account-invite":
        account, activation = admin.invite(args.phone, args.name, args.role, station_id=args.station,
                                     organisation_id=args.organisation, member_no=args.member)
        print(f"account {account['id']} ({account['role']}) invited")
        print(f"activation code: {activation}  (one use; POST /api/activate with a password)")
    elif cmd == "jobs-run":
        done = admin.run_jobs()
        print(f"escalated orders: {', '.join(done['escalated_orders']) or '-'}")
        print(f"expired points:   {sum(done['expired_points'].values())} of {len(done['expired_points'])} members")
        print(f"expired vouchers: {', '.join(done['expired_vouchers']) or '-'}")
    elif cmd == "rule-list":
        for r in admin.rules():
            changed = "" if r["changed_at"] is None else f"  (changed {_when(r['changed_at'])})"
            print(f"{r['name']:26} {json.dumps(r['value']):>10}  default {json.dumps(r['default'])}: "
                  f"{r['description']}{changed}")
    elif cmd == "rule-set":
        print(f"{args.name} = {json.dumps(admin.set_rule(args.name, _parse_value(args.value)))}")
    elif cmd == "routing-set":
        rule = admin.set_routing(args.station, args.category, args.route, args.organisation, args.accept_minutes)
        print(f"rule #{rule['id']}: station {rule['station_id'] or '*'} category {rule['category_id'] or '*'} "
              f"→ {rule['route']} {rule['organisation_id'] or ''}".rstrip())
    elif cmd == "conflict-list":
        for c in admin.conflicts():
            print(f"#{c['id']} {c['reason']:20} device {c['device_id']} member {c['member_id'] or '-'} "
                  f"at {_when(c['redeemed_at'])}: {c['detail']}")
    return 0


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=os.environ.get("KIOSK_CLOUD_DB", DEFAULT_DB),
                        help="SQLAlchemy URL or SQLite file (default: $KIOSK_CLOUD_DB or %(default)s)")
    parser = argparse.ArgumentParser(prog="kiosk-cloud", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="group", required=True)

    def leaf(name: str, command: str, parent: Any = sub, **kw: Any) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, parents=[common], **kw)
        p.set_defaults(command=command)
        return p

    serve = leaf("serve", "serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--log-level", default="info")
    leaf("init", "init", help="create the tables and a signing key")
    leaf("seed", "seed", help="load the demo district into an empty database")

    station = sub.add_parser("station", help="stations").add_subparsers(dest="action", required=True)
    add = leaf("add", "station-add", station, help="add a station")
    add.add_argument("id")
    add.add_argument("--name", required=True)
    add.add_argument("--name-en", default="")
    add.add_argument("--address", required=True)
    add.add_argument("--address-en", default="")
    add.add_argument("--pickup", default="", help="where vouchers are collected (default: the address)")
    add.add_argument("--pickup-en", default="")
    add.add_argument("--hotline", default="")
    add.add_argument("--phone-order-url", default="")

    code = leaf("enrol-code", "enrol-code", help="make a one-time enrolment code for a kiosk")
    code.add_argument("--station", required=True)
    code.add_argument("--days", type=float, default=7.0, help="validity (default 7 days)")
    code.add_argument("--url", default=os.environ.get("KIOSK_CLOUD_URL", "http://127.0.0.1:8080"),
                      help="base URL kiosks reach this service at (for the QR text)")

    cat = sub.add_parser("catalogue", help="catalogue").add_subparsers(dest="action", required=True)
    leaf("load", "catalogue-load", cat, help="insert/update from a JSON file").add_argument("file")

    member = sub.add_parser("member", help="members").add_subparsers(dest="action", required=True)
    m_add = leaf("add", "member-add", member, help="add a member; prints the member id")
    m_add.add_argument("member_no")
    m_add.add_argument("name")
    m_add.add_argument("--name-en", default="")
    m_add.add_argument("--phone", default="")
    m_add.add_argument("--points", type=int, default=0)
    hours = leaf("hours", "member-hours", member, help="set service hours of a kind")
    hours.add_argument("member")
    hours.add_argument("--kind", choices=["credit", "honour"], required=True)
    hours.add_argument("--hours", type=float, required=True)
    pts = leaf("points", "member-points", member, help="credit (or with a negative number debit) points")
    pts.add_argument("member")
    pts.add_argument("delta", type=int)
    pts.add_argument("--reason", default="platform adjustment")
    exp = leaf("expiring", "member-expiring", member, help="points that expire on a date")
    exp.add_argument("member")
    exp.add_argument("points", type=int)
    exp.add_argument("date", help="YYYY-MM-DD")
    leaf("token", "member-token", member, help="print a fresh SKM1 token").add_argument("member")
    pin = leaf("card-pin", "member-card-pin", member, help="set the PIN of a printed card")
    pin.add_argument("member")
    pin.add_argument("pin")
    leaf("show", "member-show", member, help="what a kiosk would show").add_argument("member")

    order = sub.add_parser("order", help="orders").add_subparsers(dest="action", required=True)
    leaf("list", "order-list", order, help="list orders").add_argument("--status", choices=STATUSES)
    adv = leaf("advance", "order-advance", order, help="move an order along its timeline")
    adv.add_argument("code")
    adv.add_argument("--to", required=True, choices=STATUSES[1:])
    adv.add_argument("--by", help="organisation id (required to dispatch)")

    device = sub.add_parser("device", help="kiosk devices").add_subparsers(dest="action", required=True)
    leaf("list", "device-list", device, help="devices with their last health report")
    leaf("revoke", "device-revoke", device, help="refuse a device from now on").add_argument("device")

    config = sub.add_parser("config", help="remote config").add_subparsers(dest="action", required=True)
    cset = leaf("set", "config-set", config, help="set values (JSON or text; empty JSON null removes)")
    cset.add_argument("device")
    cset.add_argument("pairs", nargs="+", metavar="key=value")

    keys = sub.add_parser("keys", help="member token signing keys").add_subparsers(dest="action", required=True)
    leaf("rotate", "keys-rotate", keys, help="new signing key; the old one stays valid for a grace period")
    leaf("list", "keys-list", keys, help="published keys")

    account = sub.add_parser("account", help="platform accounts").add_subparsers(dest="action", required=True)
    inv = leaf("invite", "account-invite", account, help="invite an account; prints its one-time activation code")
    inv.add_argument("phone")
    inv.add_argument("name")
    inv.add_argument("--role", choices=["admin", "staff", "leader", "volunteer"], default="admin")
    inv.add_argument("--station", help="station staff: their station; volunteers: their pool")
    inv.add_argument("--organisation", help="leaders (and volunteers): their organisation or team")
    inv.add_argument("--member", help="volunteers: an existing member number (default: a new member)")

    job = sub.add_parser("jobs", help="scheduled work").add_subparsers(dest="action", required=True)
    leaf("run", "jobs-run", job, help="escalate overdue orders, expire points and unclaimed vouchers")

    rule = sub.add_parser("rule", help="the district's rules").add_subparsers(dest="action", required=True)
    leaf("list", "rule-list", rule, help="every rule with its value and default")
    rset = leaf("set", "rule-set", rule, help="change a rule")
    rset.add_argument("name")
    rset.add_argument("value", help="JSON (10, 2.5, true) or text (half_up)")

    routing = sub.add_parser("routing", help="dispatch rules").add_subparsers(dest="action", required=True)
    rout = leaf("set", "routing-set", routing, help="where new orders of a station / category go")
    rout.add_argument("--station", help="default: every station")
    rout.add_argument("--category", help="default: every category")
    rout.add_argument("--route", choices=["station", "organisation", "pool"], required=True)
    rout.add_argument("--organisation", help="with --route organisation")
    rout.add_argument("--accept-minutes", type=int, help="escalate when not accepted within (default: the rule)")

    conflict = sub.add_parser("conflict", help="offline redemptions that could not be applied")
    leaf("list", "conflict-list", conflict.add_subparsers(dest="action", required=True), help="list them")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    try:
        admin = Admin(args.db)
        if args.command not in ("init", "seed"):
            admin.init()
        return _run(args, admin)
    except (AdminError, ValueError, OSError) as exc:
        print(f"kiosk-cloud: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
