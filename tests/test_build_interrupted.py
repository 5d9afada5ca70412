"""Issue "Hold under hostile load and faults", item 6: a build killed in a fresh ``--out``.

Before the fix, a build killed at a random moment left ``releases/.new-*`` without the build
marker, and every later build refused the folder ("exists and is not an aqb-rdf build output").
Here the real ``aqb-rdf build`` runs as a subprocess into a fresh folder and is killed with
SIGKILL at several moments; a normal build into the same folder must then succeed, say what it
cleaned up, and publish the same complete release as a build that was never interrupted. A
second build started while one is running refuses in one line and leaves the first one alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aqb_rdf.demo import corpus
from aqb_rdf.publish.release import LINKED, MARKER

pytestmark = (
    pytest.mark.slow
)  # builds a synthetic corpus with the aqb-rdf command and interrupts it

REPO = Path(__file__).resolve().parent.parent
AQB_RDF = Path(sys.executable).parent / "aqb-rdf"
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("AQB_")}
DEADLINE = 120.0
"""Seconds any one wait in these tests may take before it fails."""


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus of 99 agreements (below the 100 from which a build reports progress): big enough that a build takes a few seconds (40
    took under 1 s on an idle 2-core machine, so the latest moment to kill came too late)."""
    root = tmp_path_factory.mktemp("corpus")
    corpus.generate_corpus(root, regions=9, years=11, first_year=2014, seed=6)
    return root


def build_args(documents: Path, out: Path) -> list[str]:
    return [
        str(AQB_RDF),
        "build",
        str(documents / "agreements"),
        "--reference",
        str(documents / "reference"),
        "--out",
        str(out),
        "--workers",
        "2",
    ]


def run_build(documents: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        build_args(documents, out),
        env=CLEAN_ENV,
        capture_output=True,
        encoding="utf-8",
        timeout=DEADLINE,
        check=False,
    )


@pytest.fixture(scope="module")
def reference_release(documents: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The release id of an uninterrupted build of the corpus."""
    out = tmp_path_factory.mktemp("uninterrupted") / "dist"
    result = run_build(documents, out)
    assert result.returncode == 0, result.stderr
    return (out / "current").resolve().name


def staging_folders(out: Path) -> list[Path]:
    return sorted((out / "releases").glob(".new-*")) if (out / "releases").is_dir() else []


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert process.poll() is None, "the build ended before the moment to kill it"
        assert time.monotonic() < deadline, "the moment to kill the build never came"
        time.sleep(0.005)


def session_processes(session: int) -> list[int]:
    """The processes still alive (not zombies) in the session ``session``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


@pytest.fixture
def start_build(documents: Path) -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    """Starts ``aqb-rdf build`` of the corpus in its own session; kills what is left after."""
    started: list[subprocess.Popen[str]] = []

    def start(out: Path) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            build_args(documents, out),
            env=CLEAN_ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        for pid in session_processes(process.pid):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=DEADLINE)  # also closes its pipes


def after(seconds: float) -> Callable[[Path], bool]:
    started = time.monotonic()
    return lambda _out: time.monotonic() - started >= seconds


def writing_dumps(out: Path) -> bool:
    """The build serialises Turtle from the N-Triples (and JSON-LD beside it)."""
    return any((folder / "aqb.ttl").exists() for folder in staging_folders(out))


MOMENTS: dict[str, Callable[[], Callable[[Path], bool]]] = {
    "after-0.2s": lambda: after(0.2),
    "after-0.5s": lambda: after(0.5),
    "after-1s": lambda: after(1.0),
    "staging-created": lambda: lambda out: bool(staging_folders(out)),
    "writing-dumps": lambda: writing_dumps,
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_build_killed_in_a_fresh_out_leaves_it_usable(
    moment: str,
    tmp_path: Path,
    documents: Path,
    reference_release: str,
    start_build: Callable[[Path], subprocess.Popen[str]],
) -> None:
    out = tmp_path / "dist"
    killed = start_build(out)
    reached = MOMENTS[moment]()
    wait_until(lambda: reached(out), killed)
    os.kill(killed.pid, signal.SIGKILL)
    killed.communicate(timeout=DEADLINE)
    deadline = time.monotonic() + 10
    while session_processes(killed.pid):  # its workers die with it
        assert time.monotonic() < deadline, f"left running: {session_processes(killed.pid)}"
        time.sleep(0.05)
    left = staging_folders(out)
    if moment in ("staging-created", "writing-dumps"):
        assert left, "the kill came too late to leave a staging folder"
    if out.exists() and any(out.iterdir()):
        assert (out / MARKER).is_file(), sorted(p.name for p in out.iterdir())

    result = run_build(documents, out)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    notices = result.stderr.splitlines()
    if left:
        [notice] = notices
        assert notice.startswith("aqb-rdf: removed 1 unfinished release folder(s)"), notice
        assert str(left[0]) in notice, notice
    else:
        assert notices == []
    assert staging_folders(out) == []
    release = (out / "current").resolve()
    assert release.parent == out / "releases"
    assert release.name == reference_release
    for name in LINKED:
        assert (out / name).resolve().is_file(), name
        assert (out / name).resolve().stat().st_size > 0, name


def test_a_folder_left_by_a_build_killed_before_the_marker_is_adopted(tmp_path: Path) -> None:
    """The state the issue found: ``releases/.new-*`` alone, no marker (older builds)."""
    out = tmp_path / "dist"
    leftover = out / "releases" / ".new-k1ll3d"
    leftover.mkdir(parents=True)
    (leftover / "aqb.nt").write_bytes(b"")
    result = subprocess.run(
        [str(AQB_RDF), "build", "data/agreements", "--out", str(out)],
        cwd=REPO,
        env=CLEAN_ENV,
        capture_output=True,
        encoding="utf-8",
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    adopted, removed = result.stderr.splitlines()
    assert (
        adopted == f"aqb-rdf: {out}: adopted as a build output (an earlier build was interrupted)"
    )
    assert str(leftover) in removed, removed
    assert not leftover.exists()
    assert (out / MARKER).is_file()
    assert (out / "current" / "aqb.trig").is_file()


def test_a_second_build_into_the_same_out_refuses_while_the_first_runs(
    tmp_path: Path,
    documents: Path,
    reference_release: str,
    start_build: Callable[[Path], subprocess.Popen[str]],
) -> None:
    out = tmp_path / "dist"
    first = start_build(out)
    wait_until(lambda: bool(staging_folders(out)), first)  # it holds the lock by then
    os.kill(first.pid, signal.SIGSTOP)  # so that it is still at work when the second starts
    try:
        staging = staging_folders(out)
        second = run_build(documents, out)
    finally:
        os.kill(first.pid, signal.SIGCONT)

    assert second.returncode == 1, second.stderr
    [line] = second.stderr.splitlines()
    assert line == (
        f"aqb-rdf: error: {out}: another aqb-rdf build is writing into this folder; "
        "wait until it has finished"
    )
    assert staging_folders(out) == staging  # the second build touched nothing
    _, stderr = first.communicate(timeout=DEADLINE)
    assert first.returncode == 0, stderr
    assert (out / "current").resolve().name == reference_release
