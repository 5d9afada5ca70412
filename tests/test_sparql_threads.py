"""The threads that run a server process's queries (:mod:`aqb_rdf.sparql.threads`)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from aqb_rdf.sparql.threads import QueryThreads


def test_work_runs_in_a_thread_and_its_value_comes_back() -> None:
    threads = QueryThreads(2, "test")

    async def main() -> tuple[str, str]:
        return await threads.submit(
            lambda: threading.current_thread().name
        ), threading.current_thread().name

    worker, loop = asyncio.run(main())
    threads.close()
    assert worker == "test_1" and worker != loop


def test_an_exception_reaches_the_awaiting_task() -> None:
    threads = QueryThreads(1, "test")

    def fail() -> None:
        raise MemoryError("too big")

    async def main() -> None:
        await threads.submit(fail)

    with pytest.raises(MemoryError, match="too big"):
        asyncio.run(main())
    threads.close()


def test_a_held_thread_does_not_hold_the_next_work() -> None:
    """A runaway keeps its thread; the next work runs in another one, up to the most."""
    threads = QueryThreads(2, "test")
    release = threading.Event()

    def hold() -> str:
        release.wait(5)
        return threading.current_thread().name

    async def main() -> tuple[str, list[str]]:
        held = threads.submit(hold)
        names = [await threads.submit(lambda: threading.current_thread().name) for _ in range(3)]
        release.set()
        return await held, names

    runaway, names = asyncio.run(main())
    threads.close()
    assert len(set(names)) == 1 and names[0] != runaway  # an idle thread is reused
    assert threads.threads == 2


def test_work_waits_when_every_thread_is_busy() -> None:
    threads = QueryThreads(1, "test")
    release = threading.Event()

    async def main() -> None:
        held = threads.submit(lambda: release.wait(5))
        waiting = threads.submit(lambda: "after")
        await asyncio.sleep(0.05)
        assert not waiting.done()
        release.set()
        assert await waiting == "after" and await held is True

    asyncio.run(main())
    threads.close()
    assert threads.threads == 1


def test_closing_cancels_what_waits_and_refuses_more() -> None:
    threads = QueryThreads(1, "test")
    release = threading.Event()

    async def main() -> None:
        held = threads.submit(lambda: release.wait(5))
        waiting = threads.submit(lambda: "never")
        await asyncio.sleep(0.05)
        threads.close()
        with pytest.raises(RuntimeError, match="closed"):
            threads.submit(lambda: "refused")
        await asyncio.sleep(0.05)
        assert waiting.cancelled()
        release.set()
        assert await held is True  # what ran is left to finish

    asyncio.run(main())
