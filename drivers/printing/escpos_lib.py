"""python-escpos, imported only when an ESC/POS connection is built, with its cache where the kiosk keeps
its data.

On import python-escpos parses its printer-capabilities file (a third of a second) and pickles the
result into ``$ESCPOS_CAPABILITIES_PICKLE_DIR``, else into a fresh temporary folder that nothing
removes: one left behind per process, and the file parsed again at every start. It also calls
``mkdtemp()`` when the variable is set. So the import runs here once per process, with the variable
pointing at a cache folder the kiosk owns and ``mkdtemp`` answering with that folder instead of making
a new one. A pickle left half-written (power cut while it was written) is removed and rebuilt.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
_lock = threading.Lock()


def default_cache_dir() -> Path:
    """Where the cache goes when no data directory is given (tests, byte dumps): the user's cache."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "station-kiosk" / "escpos"


@contextlib.contextmanager
def _mkdtemp_answers(folder: Path) -> Iterator[None]:
    # python-escpos binds `from tempfile import mkdtemp` while it is imported, so only that import sees
    # this; the lock keeps two first imports from racing.
    original = tempfile.mkdtemp

    def existing(*_args: object, **_kwargs: object) -> str:
        return str(folder)

    tempfile.mkdtemp = existing  # type: ignore[assignment]
    try:
        yield
    finally:
        tempfile.mkdtemp = original


def _forget_escpos() -> None:
    for name in [n for n in sys.modules if n == "escpos" or n.startswith("escpos.")]:
        del sys.modules[name]


def escpos_printer(cache_dir: Path | None = None) -> ModuleType:
    """``escpos.printer``, imported with its capabilities cache in ``cache_dir`` (the first call's)."""
    loaded = sys.modules.get("escpos.printer")
    if loaded is not None:
        return loaded
    with _lock:
        loaded = sys.modules.get("escpos.printer")
        if loaded is not None:
            return loaded
        folder = cache_dir or default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[_ENV] = str(folder)
        with _mkdtemp_answers(folder):
            try:
                return importlib.import_module("escpos.printer")
            except Exception as exc:
                stale = list(folder.glob("*.capabilities.pickle"))
                if not stale:
                    raise
                log.warning("python-escpos capabilities cache in %s unreadable (%s): rebuilding", folder, exc)
                _forget_escpos()
                for pickle_file in stale:
                    pickle_file.unlink(missing_ok=True)
                return importlib.import_module("escpos.printer")


def escpos_error() -> type[Exception]:
    """python-escpos' base exception (imports the library, like :func:`escpos_printer`)."""
    escpos_printer()
    from escpos.exceptions import Error

    return Error
