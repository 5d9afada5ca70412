"""``aqb-rdf serve`` refusing to start: one line and a non-zero exit status, nothing before it.

The installed console script in a subprocess, over copies of the session's build of
data/agreements (``conftest.py``). The banner ``serving … on http://…`` comes only once the
release is open and the socket bound, so none of these runs may print it.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_server import AQB_RDF

pytestmark = pytest.mark.slow  # runs aqb-rdf serve


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 another socket listens on for the test."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def serve(out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(AQB_RDF), "serve", str(out), *options],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def the_one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused start; fails on anything else printed."""
    explained = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode != 0, explained
    assert result.stdout == "", explained
    [line] = result.stderr.splitlines()
    assert line.startswith("aqb-rdf: error: "), explained
    return line


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_port_in_use_is_one_line(
    copy_of_default_dataset: Path, taken_port: int, processes: str
) -> None:
    result = serve(copy_of_default_dataset, "--port", str(taken_port), "--processes", processes)
    line = the_one_line(result)
    assert f"cannot listen on 127.0.0.1:{taken_port}" in line, line


def test_a_folder_without_a_build_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "nothing-built"
    empty.mkdir()
    line = the_one_line(serve(empty, "--port", "0"))
    assert str(empty) in line and "aqb-rdf build" in line, line


def test_a_release_whose_dump_does_not_load_is_one_line(copy_of_default_dataset: Path) -> None:
    dump = (copy_of_default_dataset / "current").resolve() / "aqb.trig"
    dump.write_text("this is not TriG\n", encoding="utf-8")
    line = the_one_line(serve(copy_of_default_dataset, "--port", "0"))
    assert "not valid TriG" in line and "aqb.trig" in line, line
