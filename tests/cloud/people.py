"""Signed-in people of the platform API, for the tests: the operator invites the first administrator,
who invites everyone else; each activates their code and signs in with phone + password."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

from cloud.embedded import EmbeddedCloud

PASSWORD = "correct horse 42"
_phones = itertools.count(13900000001)


def new_phone() -> str:
    return str(next(_phones))


@dataclass
class Person:
    """One account with its own HTTP client carrying its bearer token."""

    http: httpx.Client
    account: dict[str, Any]
    phone: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.account["id"])

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def post(self, path: str, body: Any = None) -> httpx.Response:
        return self.http.post(path, json=body if body is not None else {})

    def put(self, path: str, body: Any) -> httpx.Response:
        return self.http.put(path, json=body)

    def close(self) -> None:
        self.http.close()


def activate_and_sign_in(base_url: str, phone: str, code: str) -> Person:
    with httpx.Client(base_url=base_url, timeout=20) as anonymous:
        activated = anonymous.post("/api/activate", json={"code": code, "password": PASSWORD})
        assert activated.status_code == 200, activated.text
        signed = anonymous.post("/api/sign-in", json={"phone": phone, "password": PASSWORD})
        assert signed.status_code == 200, signed.text
    body = signed.json()
    http = httpx.Client(base_url=base_url, timeout=30, headers={"Authorization": f"Bearer {body['token']}"})
    return Person(http, body["account"], phone)


def first_admin(cloud: EmbeddedCloud, name: str = "文明办管理员") -> Person:
    phone = new_phone()
    _, code = cloud.admin.invite(phone, name, "admin")
    return activate_and_sign_in(cloud.url, phone, code)


def invite(admin: Person, role: str, name: str, **scope: Any) -> Person:
    phone = new_phone()
    resp = admin.post("/api/accounts", {"phone": phone, "name": name, "role": role, **scope})
    assert resp.status_code == 201, resp.text
    return activate_and_sign_in(str(admin.http.base_url), phone, resp.json()["activation_code"])


def member_no(person: Person) -> str:
    me = person.get("/api/me")
    assert me.status_code == 200, me.text
    return str(me.json()["member"]["member_no"])
