"""The demo's seeded database template: built once by the ordinary seeding, copied after, rebuilt when
what it was made from changes, safe when two starts build it at once."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from importlib import resources
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from cloud.template import seeded_copy, template, template_key


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("stations", "members", "orders"))


def test_a_copy_has_the_seeded_district_and_the_template_is_built_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    seeded_copy(tmp_path / "a.sqlite3", cache)
    built = template(cache)
    first = built.stat()
    seeded_copy(tmp_path / "b.sqlite3", cache)
    assert (built.stat().st_ino, built.stat().st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    stations, members, orders = counts(tmp_path / "b.sqlite3")
    assert stations >= 3 and members > 0 and orders > 0
    assert [p.name for p in cache.iterdir()] == [built.name]  # one self-contained file, nothing else
    # The cloud serves it as it would a freshly seeded database (it does not seed again).
    with EmbeddedCloud(tmp_path / "b.sqlite3") as cloud:
        assert cloud.admin.enrolment_code("st-nanguan").code
    assert counts(tmp_path / "b.sqlite3") == (stations, members, orders)


def test_the_key_changes_with_the_seed_files_and_the_day(tmp_path: Path) -> None:
    package = tmp_path / "cloud"
    shutil.copytree(Path(str(resources.files("cloud").joinpath("seed"))), package / "seed")
    shutil.copyfile(Path(str(resources.files("cloud").joinpath("seeding.py"))), package / "seeding.py")
    before = template_key(package, day="2026-01-01")
    assert template_key(package, day="2026-01-01") == before
    assert template_key(package, day="2026-01-02") != before
    demo = package / "seed" / "demo.json"
    demo.write_text(demo.read_text(encoding="utf-8").replace("张", "章", 1), encoding="utf-8")
    assert template_key(package, day="2026-01-01") != before


def test_an_outdated_template_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = cache / "cloud-seeded-0123456789abcdef0123.sqlite3"
    stale.write_bytes(b"made from other seed files")
    current = template(cache)
    assert current != stale and not stale.exists()


def test_two_starts_at_once_both_get_a_whole_database(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    errors: list[BaseException] = []

    def start(name: str) -> None:
        try:
            seeded_copy(tmp_path / name, cache)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(f"{i}.sqlite3",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counts(tmp_path / "0.sqlite3") == counts(tmp_path / "1.sqlite3")
    assert len(list(cache.iterdir())) == 1


def test_an_existing_database_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "cloud.sqlite3"
    target.write_bytes(b"someone's data")
    with pytest.raises(FileExistsError):
        seeded_copy(target, tmp_path / "cache")
    assert target.read_bytes() == b"someone's data"
