"""A tiny loopback TCP proxy that injects network faults between the kiosk and the cloud.

Modes: pass through; forward the request but drop the answer (the server commits, the kiosk never
hears: the connection is reset when the first answer byte arrives); forward the request and sit on the
answer (a read timeout); answer 503 itself like a broken load balancer; or be down (listener closed,
connections refused).
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from enum import Enum

SERVICE_UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
    b"Connection: close\r\n\r\nunavailable"
)


class Fault(Enum):
    NONE = "none"
    DROP_RESPONSE = "drop_response"
    HOLD_RESPONSE = "hold_response"
    SERVICE_UNAVAILABLE = "503"


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0) so the peer sees a reset, not a clean end of stream."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._fault = Fault.NONE
        self._fault_count: int | None = None  # None: until changed
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._stopped = threading.Event()
        self.requests_seen = 0
        self.faults_injected = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- control -------------------------------------------------------------------------------------

    def inject(self, fault: Fault, count: int | None = None) -> None:
        """Apply ``fault`` to the next ``count`` requests (None: until told otherwise)."""
        with self._lock:
            self._fault, self._fault_count = fault, count

    def _take_fault(self) -> Fault:
        with self._lock:
            fault = self._fault
            if fault is not Fault.NONE:
                self.faults_injected += 1
                if self._fault_count is not None:
                    self._fault_count -= 1
                    if self._fault_count <= 0:
                        self._fault, self._fault_count = Fault.NONE, None
            return fault

    def start(self) -> str:
        # IPPROTO_TCP explicitly: accepted sockets inherit it, and only then can TCP_NODELAY be set.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopped.clear()
        self._spawn(self._accept_loop, listener)
        return self.url

    def down(self) -> None:
        """Stop listening and cut every connection: the service is gone (connect refused)."""
        self._stopped.set()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = set(self._conns), set()
        for conn in conns:
            _reset(conn)
        for thread in self._threads:
            thread.join(5)
        self._threads = []

    def up(self) -> str:
        """Listen again on the same port."""
        return self.start()

    stop = down

    # -- plumbing ------------------------------------------------------------------------------------

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def _accept_loop(self, listener: socket.socket) -> None:
        listener.settimeout(0.1)  # closing a socket does not wake a blocked accept(); polling does
        while not self._stopped.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.add(client)
            self._spawn(self._serve, client)

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
            for end in (client, upstream):
                # Without it, Nagle + delayed ACK add ~40 ms to every kept-alive exchange.
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._conns.add(upstream)
            held = False
            pending = b""
            while not self._stopped.is_set():
                readable, _, _ = select.select([client, upstream], [], [], 0.2)
                if client in readable:
                    data = client.recv(65536)
                    if not data:
                        return
                    pending += data
                    while (split := _split_request(pending)) is not None:
                        request, pending = split
                        with self._lock:
                            self.requests_seen += 1
                        fault = self._take_fault()
                        if fault is Fault.SERVICE_UNAVAILABLE:
                            client.sendall(SERVICE_UNAVAILABLE)
                            return
                        upstream.sendall(request)
                        if fault is Fault.DROP_RESPONSE:
                            # Let the server finish and answer, then lose the answer.
                            select.select([upstream], [], [], 10)
                            _reset(client)
                            return
                        held = held or fault is Fault.HOLD_RESPONSE
                if upstream in readable:
                    data = upstream.recv(65536)
                    _quick_ack(upstream)
                    if not data:
                        return
                    if not held:
                        client.sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with self._lock:
                        self._conns.discard(sock)
                    with contextlib.suppress(OSError):
                        sock.close()


def _quick_ack(sock: socket.socket) -> None:
    """ACK at once (Linux resets this after each use): a server that writes headers and body
    separately without TCP_NODELAY otherwise waits ~40 ms for our delayed ACK on every answer."""
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)


def _split_request(buf: bytes) -> tuple[bytes, bytes] | None:
    """One complete HTTP/1.1 request (headers + Content-Length body) off the front of ``buf``."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    length = 0
    for line in buf[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    total = end + 4 + length
    return (buf[:total], buf[total:]) if len(buf) >= total else None
