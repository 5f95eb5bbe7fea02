"""The cloud client against the reference service on loopback: enrolment, signing, clock offset,
ETags, idempotency, and each failure class (refused, no answer, 5xx, contract errors)."""

from __future__ import annotations

import base64
import contextlib
import logging
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.cloud_client import (
    META_CLOCK_OFFSET,
    META_DEVICE_SECRET,
    CloudAuthError,
    CloudClient,
    CloudOutcomeUnknown,
    CloudRateLimited,
    CloudRejected,
    CloudServerError,
    CloudUnreachable,
    NotEnrolled,
    sign,
)
from kiosk.store import Store, open_store
from tests.kiosk.cloudkit import HEALTH, STATION, make_client, order_body
from tests.kiosk.faultproxy import Fault, FaultProxy


@pytest.fixture
def client(cloud: EmbeddedCloud, store: Store) -> Iterator[CloudClient]:
    client = make_client(store, cloud.url)
    yield client
    client.close()


def _order(client_code: str = "") -> dict[str, object]:
    return {**order_body(), "client_code": client_code or "LTEST2", "created_at": 1764400000.0}


def test_signature_agrees_with_the_service() -> None:
    from cloud import crypto

    secret, body = bytes(range(32)), '{"note":"三楼"}'.encode()
    mine = sign(secret, "post", "/v1/orders/L3F7K2/rating?x=1", 1764400000, "ab" * 16, body)
    message = crypto.signing_string("POST", "/v1/orders/L3F7K2/rating?x=1", "1764400000", "ab" * 16, body)
    assert mine == crypto.request_signature(base64.b64encode(secret).decode(), message)


def test_enrolment_stores_the_credential_and_never_logs_the_secret(
    cloud: EmbeddedCloud, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store, _ = open_store(tmp_path)
    client = make_client(store, cloud.url)
    assert not client.enrolled
    enrolment = client.enrol(cloud.admin.enrolment_code(STATION).code, "kiosk-x")
    assert enrolment.station_id == STATION and client.device_id == enrolment.device_id
    secret = store.get_meta(META_DEVICE_SECRET)
    assert secret and len(base64.b64decode(secret)) == 32
    assert client.keys()  # signed requests are accepted
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and base64.b64decode(secret).hex() not in logged
    store.close()


def test_enrolment_codes_work_once(cloud: EmbeddedCloud, tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    client = make_client(store, cloud.url)
    code = cloud.admin.enrolment_code(STATION).code
    client.enrol(code, "kiosk-a")
    with pytest.raises(CloudRejected) as err:
        client.enrol(code, "kiosk-b")
    assert err.value.code == "enrolment_code_used"
    with pytest.raises(CloudRejected) as err:
        client.enrol("AAAA-BBBB-CCCC", "kiosk-b")
    assert err.value.code == "enrolment_code_invalid"
    store.close()


def test_not_enrolled_is_refused_before_sending(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    with pytest.raises(NotEnrolled):
        make_client(store, "http://127.0.0.1:9").keys()
    store.close()


def test_wrong_secret_is_a_device_error(cloud: EmbeddedCloud, store: Store) -> None:
    store.set_meta(META_DEVICE_SECRET, base64.b64encode(b"x" * 32).decode())
    with pytest.raises(CloudAuthError) as err:
        make_client(store, cloud.url).keys()
    assert (err.value.code, err.value.status) == ("bad_signature", 401)


def test_revoked_device(cloud: EmbeddedCloud, client: CloudClient) -> None:
    assert client.device_id is not None
    cloud.admin.revoke_device(client.device_id)
    with pytest.raises(CloudAuthError) as err:
        client.keys()
    assert (err.value.code, err.value.status) == ("device_revoked", 403)


def test_clock_offset_is_learnt_and_a_skewed_request_retried(cloud: EmbeddedCloud, store: Store) -> None:
    store.set_meta(META_CLOCK_OFFSET, "-3600.0")  # the kiosk believes the service is an hour behind
    client = make_client(store, cloud.url)
    assert client.clock_offset == -3600.0
    assert client.keys()  # 401 clock_skew, offset learnt from X-Server-Time, one retry
    assert abs(client.clock_offset) < 2.0
    assert abs(float(store.get_meta(META_CLOCK_OFFSET) or "nan")) < 2.0  # persisted for offline use


def test_catalogue_etag_and_images(client: CloudClient) -> None:
    first = client.catalogue()
    assert not first.not_modified and first.etag and first.body["services"]
    assert client.catalogue(first.etag).not_modified
    image = next(g["image"] for g in first.body["gifts"] if g.get("image"))
    data, etag = client.image(image)
    assert data is not None and data.startswith(b"\x89PNG") and etag
    assert client.image(image, etag) == (None, etag)
    with pytest.raises(CloudRejected) as err:
        client.image("no-such-image.png")
    assert err.value.code == "not_found"


def test_orders_are_idempotent_by_key(cloud: EmbeddedCloud, client: CloudClient) -> None:
    key = str(uuid.uuid4())
    body = _order("LDEMX2")
    first = client.create_order(key, body)
    assert client.create_order(key, body) == first
    with pytest.raises(CloudRejected) as err:
        client.create_order(key, {**body, "note": "changed"})
    assert (err.value.code, err.value.status) == ("idempotency_mismatch", 409)
    assert [o["client_code"] for o in cloud.admin.orders()].count("LDEMX2") == 1
    status = client.order_status("LDEMX2", "5678")
    assert status["order_code"] == first["order_code"] and status["status"] == "submitted"
    with pytest.raises(CloudRejected) as err:
        client.order_status("LDEMX2", "0000")
    assert (err.value.code, err.value.status) == ("not_found", 404)


def test_contract_errors_carry_their_code(client: CloudClient) -> None:
    with pytest.raises(CloudRejected) as err:
        client.create_order(str(uuid.uuid4()), {**_order(), "service_id": "svc-none"})
    assert err.value.code == "unknown_service"
    with pytest.raises(CloudRejected) as err:
        client.create_order(str(uuid.uuid4()), {**_order(), "consent": False})
    assert err.value.code == "consent_required"


def test_member_token_resolves_once(cloud: EmbeddedCloud, client: CloudClient) -> None:
    token = cloud.admin.member_token("10000128")
    answer = client.resolve_member(token, None)
    assert answer["session"] and answer["member"]["member_no"] == "10000128"
    with pytest.raises(CloudRejected) as err:
        client.resolve_member(token, None)
    assert err.value.code == "token_replayed"


def test_heartbeat_and_remote_config(cloud: EmbeddedCloud, client: CloudClient) -> None:
    body = {**HEALTH, "outbox_depth": 0, "oldest_outbox_age_s": 0, "last_sync_at": None}
    assert client.heartbeat(body)["config_version"] == 0
    assert client.device_id is not None
    version = cloud.admin.set_config(client.device_id, {"ui.idle_timeout_s": 120})
    assert client.heartbeat(body)["config_version"] == version
    assert client.remote_config() == {"version": version, "values": {"ui.idle_timeout_s": 120}}


def test_refused_connection_is_unreachable(store: Store) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(CloudUnreachable):
        make_client(store, f"http://127.0.0.1:{port}").create_order(str(uuid.uuid4()), _order())


def test_connect_timeout_is_unreachable(store: Store) -> None:
    # A listener whose accept queue is full drops further SYNs: the connect itself times out.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        for sock in fillers:
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.connect(("127.0.0.1", port))
        client = CloudClient(f"http://127.0.0.1:{port}", connect_timeout=0.2, read_timeout=5, store=store)
        try:
            with pytest.raises(CloudUnreachable):
                client.create_order(str(uuid.uuid4()), _order())
        finally:
            for sock in fillers:
                sock.close()


def test_lost_answer_is_outcome_unknown_and_the_order_exists(
    cloud: EmbeddedCloud, store: Store, proxy: FaultProxy
) -> None:
    client = make_client(store, proxy.url)
    key, body = str(uuid.uuid4()), _order("LLXST2")
    proxy.inject(Fault.DROP_RESPONSE, count=1)
    with pytest.raises(CloudOutcomeUnknown):
        client.create_order(key, body)
    assert [o["client_code"] for o in cloud.admin.orders()].count("LLXST2") == 1
    # Re-sending the same key gets the first answer; nothing is applied twice.
    assert client.create_order(key, body)["client_code"] == "LLXST2"
    assert [o["client_code"] for o in cloud.admin.orders()].count("LLXST2") == 1


def test_read_timeout_is_outcome_unknown(store: Store, proxy: FaultProxy) -> None:
    client = make_client(store, proxy.url, read_timeout=0.3)
    proxy.inject(Fault.HOLD_RESPONSE, count=1)
    with pytest.raises(CloudOutcomeUnknown, match="read timeout"):
        client.create_order(str(uuid.uuid4()), _order())


def test_5xx_is_a_server_error(store: Store, proxy: FaultProxy) -> None:
    client = make_client(store, proxy.url)
    proxy.inject(Fault.SERVICE_UNAVAILABLE, count=1)
    with pytest.raises(CloudServerError) as err:
        client.keys()
    assert (err.value.status, err.value.code) == (503, "http_503")
    assert client.keys()  # the next request goes through


def test_service_down_then_back(store: Store, proxy: FaultProxy) -> None:
    client = make_client(store, proxy.url)
    assert client.keys()
    proxy.down()
    with pytest.raises((CloudUnreachable, CloudOutcomeUnknown)):
        client.keys()  # a kept-alive connection cut by the outage may count as "no answer"
    with pytest.raises(CloudUnreachable):
        client.keys()
    proxy.up()
    assert client.keys()


def test_rate_limited_lookups_say_when_to_come_back(store: Store, proxy: FaultProxy) -> None:
    client = make_client(store, proxy.url)  # through the proxy: it acknowledges at once, so this is quick
    for _ in range(100):
        try:
            client.order_status("LNQNE2", "0000")
        except CloudRateLimited as exc:
            assert (exc.code, exc.status) == ("rate_limited", 429)
            assert 0 < exc.retry_after_s <= 60
            break
        except CloudRejected as exc:
            assert exc.code == "not_found"
    else:
        pytest.fail("100 lookups in a row were never rate limited")
