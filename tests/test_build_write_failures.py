"""Issue "Hold under hostile load and faults", item 9 (second half): failures while writing.

Before the fix, a read-only ``--out`` printed a traceback of the JSON-LD writer (a child
process) before the one-line error, named the wrong path, and left an unpublished release
folder. Every failure while writing must be one line that names the path that could not be
written, with no traceback from any process, and must leave nothing half-written behind.

The tests run as root, for whom permission bits do not make a folder read-only. Two things
reliably stop root from writing, and both are used: the immutable attribute (``chattr +i``:
no entry can be added to or removed from such a folder, whoever asks) for a read-only
folder, and a tiny tmpfs mounted on the test's folder for a full disk. Each is undone in a
``finally``; without root, or without ``chattr`` or ``mount``, the tests fail with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from aqb_rdf.publish.dumps import DumpWriter, part_of
from aqb_rdf.publish.release import LINKED
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris

pytestmark = pytest.mark.slow  # runs the aqb-rdf command

REPO = Path(__file__).resolve().parent.parent
AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("AQB_")}
ALL = Path("data/agreements")
ONE = ALL / "2025" / "bergstrasse.txt"
"""A build of one of the two agreements: another release than the build of both."""


def build(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(AQB_RDF), "build", str(source), "--out", str(out), "--workers", "1"],
        cwd=REPO,
        env=CLEAN_ENV,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def tool(*args: str) -> None:
    """Run a system tool the tests need; fail with its message if it cannot do its job."""
    result = subprocess.run(args, capture_output=True, encoding="utf-8", timeout=30, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed (these tests need root): {result.stderr.strip()}")


@contextmanager
def immutable(*folders: Path) -> Iterator[None]:
    """Make ``folders`` immutable (``chattr +i``) for the block."""
    tool("chattr", "+i", *map(str, folders))
    try:
        yield
    finally:
        tool("chattr", "-i", *map(str, folders))


@contextmanager
def tmpfs(mount_point: Path, size: int) -> Iterator[None]:
    """A tmpfs of ``size`` bytes on ``mount_point`` for the block."""
    mount_point.mkdir(parents=True, exist_ok=True)
    tool("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point))
    try:
        yield
    finally:
        tool("umount", str(mount_point))


def assert_one_line_naming(result: subprocess.CompletedProcess[str], path: Path) -> str:
    """Exit status 1 and one stderr line that names ``path`` (or a path inside it)."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"aqb-rdf: error: {path}"), line
    assert result.stdout == ""
    return line


def assert_published(out: Path, release: str) -> None:
    """``out`` publishes ``release`` completely and holds no staging folder."""
    assert (out / "current").resolve() == out / "releases" / release
    assert sorted(p.name for p in (out / "releases").iterdir()) == [release]
    for name in LINKED:
        assert (out / name).resolve().is_file(), name


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, str]:
    """A first successful build of both agreements, and the id of its release."""
    out = tmp_path / "dist"
    result = build(ALL, out)
    assert result.returncode == 0, result.stderr
    return out, (out / "current").resolve().name


def test_a_read_only_out_is_one_line_naming_it_and_keeps_its_release(
    published: tuple[Path, str],
) -> None:
    out, release = published
    with immutable(out):
        result = build(ONE, out)
    line = assert_one_line_naming(result, out)
    assert line == f"aqb-rdf: error: {out / 'current'}: Operation not permitted"
    assert_published(out, release)  # the new release was not left behind


def test_a_read_only_out_still_takes_a_rebuild_of_the_same_data(
    published: tuple[Path, str],
) -> None:
    out, release = published
    with immutable(out):
        result = build(ALL, out)
    assert result.returncode == 0, result.stderr
    assert_published(out, release)


def test_a_read_only_releases_folder_is_one_line_naming_it(
    published: tuple[Path, str],
) -> None:
    out, release = published
    with immutable(out / "releases"):
        result = build(ONE, out)
    line = assert_one_line_naming(result, out)
    assert line == f"aqb-rdf: error: {out / 'releases'}: Operation not permitted"
    assert_published(out, release)


def test_a_fresh_out_in_a_read_only_folder_is_one_line_naming_it(tmp_path: Path) -> None:
    parent = tmp_path / "read-only"
    parent.mkdir()
    with immutable(parent):
        result = build(ALL, parent / "dist")
    line = assert_one_line_naming(result, parent / "dist")
    assert line == f"aqb-rdf: error: {parent / 'dist'}: Operation not permitted"
    assert list(parent.iterdir()) == []


def test_a_full_disk_at_every_stage_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    """A fresh ``--out`` on tmpfs of growing sizes: the disk fills while the N-Triples, CSV,
    JSON-LD, Turtle, TriG or the descriptions are written."""
    mount_point = tmp_path / "disk"
    reported: list[str] = []
    # Sizes measured for data/agreements: the dumps, written side by side as the agreements
    # come, fill the small disks, the descriptions the ones from about 1 MiB; 2 MiB suffices
    # (the Fundstellen's selectors and the documents made the release half as large again).
    sizes = (8, 64, 320, 640, 960, 1088, 1216, 1344, 1472, 1600, 1792, 2048)
    for size in [kib * 1024 for kib in sizes]:
        with tmpfs(mount_point, size):
            out = mount_point / "dist"
            result = build(ALL, out)
            if result.returncode == 0:
                assert_published(out, (out / "current").resolve().name)
                break
            line = assert_one_line_naming(result, out)
            assert line.endswith("No space left on device"), line
            assert list(mount_point.iterdir()) == [], f"left at {size} bytes"
            reported.append(line)
    else:
        pytest.fail("even the largest disk was too small for the build")
    files = {line.split(": ")[2].rsplit("/", 1)[1] for line in reported}
    assert {"aqb.nt", "aqb.ttl"} <= files, reported


def test_a_dump_that_cannot_be_opened_is_an_error_naming_it(tmp_path: Path) -> None:
    """The writer opens every dump before the first part comes; where one cannot be opened
    (here its path is taken by a folder), the error names that file."""
    (tmp_path / "aqb.trig").mkdir()
    with pytest.raises(OSError) as raised:
        DumpWriter(tmp_path, Iris(DEFAULT_BASE), "http://example.org/publisher")
    assert raised.value.filename == str(tmp_path / "aqb.trig")
    (tmp_path / "aqb.trig").rmdir()
    writer = DumpWriter(tmp_path, Iris(DEFAULT_BASE), "http://example.org/publisher")
    triple = (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("o"))
    writer.add(part_of("http://example.org/graph", [triple], Iris(DEFAULT_BASE)))
    writer.finish()
    assert b"<http://example.org/s>" in (tmp_path / "aqb.trig").read_bytes()


def test_a_full_disk_after_a_first_build_keeps_the_release(tmp_path: Path) -> None:
    mount_point = tmp_path / "disk"
    with tmpfs(mount_point, 2048 * 1024):
        out = mount_point / "dist"
        first = build(ALL, out)
        assert first.returncode == 0, first.stderr
        release = (out / "current").resolve().name
        filler = mount_point / "filler"
        free = os.statvfs(mount_point)
        filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 64 * 1024))
        result = build(ONE, out)
        line = assert_one_line_naming(result, out)
        assert line.endswith("No space left on device"), line
        assert_published(out, release)
