"""``aqb-rdf serve --processes 2``: two server processes on one port, supervised.

The real server over copies of the session's build of data/agreements (``conftest.py``);
processes are found through /proc (Linux).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from live_server import AQB_RDF, Server, serving

pytestmark = pytest.mark.slow  # starts aqb-rdf serve, several times

ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # ended meanwhile
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def answers_on_fresh_connections(server: Server, count: int) -> list[int]:
    return [server.request("GET", ASK, timeout=10)[0] for _ in range(count)]


def test_two_processes_share_the_port_and_are_restarted(copy_of_default_dataset: Path) -> None:
    out = copy_of_default_dataset
    with serving(out, "--processes", "2", "--query-workers", "2") as server:
        fronts = children(server.process.pid)
        assert len(fronts) == 2
        # Each front process has its own query worker (two workers divided between two).
        workers = [pid for front in fronts for pid in children(front)]
        assert len(workers) >= 2
        assert answers_on_fresh_connections(server, 20) == [200] * 20

        os.kill(fronts[0], signal.SIGKILL)
        # The other process answers at once: the listening socket is shared, not lost.
        assert answers_on_fresh_connections(server, 10) == [200] * 10
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = [pid for pid in children(server.process.pid) if alive(pid)]
            if len(now) == 2 and fronts[0] not in now:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no replacement for the killed process: {now}")
        replacement = (set(now) - set(fronts)).pop()
        everyone = [*now, *(pid for front in now for pid in children(front))]
        # The replacement serves too: it takes over once the other process is stopped.
        os.kill(fronts[1], signal.SIGSTOP)
        try:
            assert answers_on_fresh_connections(server, 5) == [200] * 5
        finally:
            os.kill(fronts[1], signal.SIGCONT)
        assert alive(replacement)
    # Stopping the parent stops every process it started, query workers included.
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in everyone) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in everyone if alive(pid)]


def test_an_address_in_use_is_one_clear_line(
    running_server: Server, copy_of_default_dataset: Path
) -> None:
    first, out = running_server, copy_of_default_dataset
    taken = subprocess.run(
        [str(AQB_RDF), "serve", str(out), "--port", str(first.port), "--processes", "2"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert taken.returncode != 0
    assert taken.stderr.strip().splitlines()[-1].startswith("aqb-rdf: ")
    assert f"cannot listen on 127.0.0.1:{first.port}" in taken.stderr
    assert "Traceback" not in taken.stderr


def test_processes_that_keep_ending_at_start_stop_the_server(
    copy_of_default_dataset: Path, tmp_path: Path
) -> None:
    out = copy_of_default_dataset
    with serving(out, "--processes", "2") as server:
        parent = server.process.pid
        killed: set[int] = set()
        deadline = time.monotonic() + 60
        while server.process.poll() is None and time.monotonic() < deadline:
            for pid in children(parent):
                if pid not in killed and alive(pid):
                    os.kill(pid, signal.SIGKILL)  # dies right after it started
                    killed.add(pid)
            time.sleep(0.05)
        assert server.process.wait(timeout=10) != 0
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert len(killed) >= 5
    assert (
        log.strip()
        .splitlines()[-1]
        .startswith("aqb-rdf: error: server processes keep ending right after they start")
    )
    assert "Traceback" not in log
