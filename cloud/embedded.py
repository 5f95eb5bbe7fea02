"""The cloud service in a background thread of this process, on a free loopback port: what the demo
and the tests run against. Real HTTP, a real SQLite file."""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

import uvicorn

from cloud.admin import Admin
from cloud.app import create_app
from cloud.db import make_engine, stations
from cloud.settings import Settings
from cloud.wire import server_options

log = logging.getLogger(__name__)


class EmbeddedCloud:
    """``db_path`` is a SQLite file, or a database URL (``postgresql+psycopg://…``) as a string."""

    def __init__(self, db_path: Path | str, *, seed: bool = True, settings: Settings | None = None) -> None:
        self.db_path = db_path if isinstance(db_path, str) and "://" in db_path else Path(db_path)
        self.settings = settings or Settings()
        self.engine = make_engine(self.db_path)
        self.admin = Admin(self.engine, self.settings)
        self._seed = seed
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the embedded cloud is not running; call start()")
        return self._url

    def start(self, timeout_s: float = 10.0) -> str:
        """Start serving; returns the base URL once the port accepts connections."""
        if self._server is not None:
            return self.url
        self.admin.init()
        if self._seed and not self._has_stations():
            self.admin.seed()
        # Protocol given explicitly: with 0, asyncio does not switch Nagle off on accepted connections
        # and every answer on a kept-alive connection waits ~40 ms for the delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.engine, self.settings), log_level="warning", access_log=False, lifespan="off",
            timeout_graceful_shutdown=3, **server_options(),
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="embedded-cloud", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout_s
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                sock.close()
                raise RuntimeError("the embedded cloud did not start")
            time.sleep(0.01)
        with socket.create_connection(("127.0.0.1", port), timeout=timeout_s):
            pass
        self._server, self._thread, self._url = server, thread, f"http://127.0.0.1:{port}"
        return self._url

    def _has_stations(self) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(stations.select().limit(1)).first() is not None

    def stop(self, timeout_s: float = 5.0) -> None:
        """Finish in-flight requests and stop, within ``timeout_s``."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning("embedded cloud did not stop in %.1f s; forcing", timeout_s)
            server.force_exit = True
            thread.join(1.0)
        self._server = self._thread = self._url = None
        self.engine.dispose()

    def __enter__(self) -> EmbeddedCloud:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
