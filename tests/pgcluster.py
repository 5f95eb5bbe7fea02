"""A throwaway PostgreSQL cluster for a test run: ``python -m tests.pgcluster COMMAND [ARGS...]``.

Runs COMMAND with ``$KIOSK_CLOUD_TEST_POSTGRES`` naming an empty database on a cluster of its own: Debian's
``postgresql`` binaries, ``initdb`` into a temporary folder, a free loopback port, the unix socket in that
folder. The cluster is stopped and the folder deleted when COMMAND ends, however it ends; the server also
dies with this process if that is killed. PostgreSQL refuses to run as root, so as root it runs as
``nobody``. When ``$KIOSK_CLOUD_TEST_POSTGRES`` is already set, COMMAND simply runs against that database.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

POSTGRES_ENV = "KIOSK_CLOUD_TEST_POSTGRES"
DATABASE = "kiosk_cloud_test"
UNPRIVILEGED_USER = "nobody"
START_TIMEOUT_S = 60.0
# A scratch cluster: durability buys nothing here and costs the 2-core test box a lot of fsyncs.
SCRATCH_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class ClusterUnavailable(RuntimeError):
    """PostgreSQL is not installed, or the cluster did not start; the message says which and what to do."""


def server_binaries() -> Path:
    """The folder with ``initdb`` and ``postgres``: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not debian:
        raise ClusterUnavailable("PostgreSQL is not installed: apt install postgresql (make setup does)")
    return debian[-1].parent


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    # Runs in the child after it took the unprivileged uid (a uid change would clear the setting).
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _as_unprivileged(folder: Path) -> dict[str, Any]:
    """subprocess arguments that run the server as ``nobody`` when we are root, and the folder it may write."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam(UNPRIVILEGED_USER)
    os.chown(folder, user.pw_uid, user.pw_gid)
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _ready(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Wait until the server takes connections, then create the test database."""
    import psycopg

    waited = 0.0
    while True:
        try:
            with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                                 autocommit=True, connect_timeout=2) as conn:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
            return
        except psycopg.OperationalError as exc:
            last = exc
        try:
            server.wait(timeout=0.2)  # the pause between attempts, cut short if the server exits
        except subprocess.TimeoutExpired:
            waited += 0.2
            if waited < START_TIMEOUT_S:
                continue
        tail = log.read_text(errors="replace")[-2000:]
        raise ClusterUnavailable(f"PostgreSQL did not start ({last}); its log ends:\n{tail}")


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A fresh cluster with an empty database; yields its SQLAlchemy URL."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-postgres-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        run_as = _as_unprivileged(folder)
        data, log = folder / "data", folder / "postgres.log"
        initdb = subprocess.run(
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--locale=C", "--no-sync"],
            cwd=folder, capture_output=True, text=True, preexec_fn=_die_with_parent, **run_as,
        )
        if initdb.returncode != 0:
            raise ClusterUnavailable(f"initdb failed: {initdb.stderr.strip()}")
        port = free_loopback_port()
        settings = [arg for setting in SCRATCH_SETTINGS for arg in ("-c", setting)]
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(folder),
                 "-c", "listen_addresses=127.0.0.1", *settings],
                cwd=folder, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent, **run_as,
            )
        _ready(server, port, log)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)  # "fast" shutdown: end sessions, no waiting for clients
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the cluster's clean-up


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    if os.environ.get(POSTGRES_ENV):
        return subprocess.run(command).returncode
    signal.signal(signal.SIGTERM, _terminate)
    try:
        with throwaway_cluster() as url:
            print(f"PostgreSQL for this run: {url}", file=sys.stderr, flush=True)
            return subprocess.run(command, env={**os.environ, POSTGRES_ENV: url}).returncode
    except ClusterUnavailable as exc:
        print(f"cannot start PostgreSQL for the tests: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
