"""Per-client budgets in shared memory (``aqb_rdf.sparql.budgets``), issue 11, item 5.

The table is the real one: a ``memfd`` mapped by the test and, for the cross-process test, by
a second Python process that opens it from the inherited descriptor, as a server process does.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from aqb_rdf.errors import QueryPoolError, TooManyQueries
from aqb_rdf.sparql.budgets import ROWS, Budget, ClientBudgets, client_key, networks


def key(host: str) -> bytes:
    """The key of a client that budgets apply to."""
    found = client_key(host)
    assert found is not None
    return found


ONE = key("192.0.2.1")


@pytest.fixture
def table() -> Iterator[ClientBudgets]:
    budgets = ClientBudgets.create(4, Budget(concurrent=2, seconds=10.0, window=10.0))
    yield budgets
    budgets.close()


def test_a_client_is_its_ipv4_address_or_its_ipv6_64() -> None:
    assert client_key("192.0.2.1") == client_key("::ffff:192.0.2.1") == ONE
    assert client_key("192.0.2.1") != client_key("192.0.2.2")
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff:1")  # one /64
    assert client_key("2001:db8::1") != client_key("2001:db8:0:1::1")  # the next /64
    assert client_key("fe80::1%eth0") == client_key("fe80::2")
    unlimited = networks("127.0.0.1 ::1, 10.0.0.0/8")
    for host in ("127.0.0.1", "::1", "10.1.2.3", "::ffff:10.1.2.3", None, "", "not-an-ip"):
        assert client_key(host, unlimited) is None, host
    assert client_key("127.0.0.2", unlimited) is not None
    with pytest.raises(ValueError, match="not an address or network: 'x'"):
        networks("127.0.0.1 x")


def test_at_most_concurrent_queries_at_a_time(table: ClientBudgets) -> None:
    table.enter(ONE)
    table.enter(ONE)
    with pytest.raises(TooManyQueries) as refused:
        table.enter(ONE)
    assert refused.value.retry_after == 2
    assert str(refused.value) == (
        "2 queries of this client run or wait already; send the next when one is answered"
    )
    table.enter(key("192.0.2.99"))  # another client is not concerned
    table.leave(ONE)
    table.enter(ONE)
    assert table.state(ONE)[1] == 2
    assert issubclass(TooManyQueries, QueryPoolError)


def test_query_seconds_refill_at_their_rate(table: ClientBudgets) -> None:
    table.enter(ONE, now=100.0)
    table.charge(ONE, 12.0, now=100.0)  # one query may overdraw the 10 s, once
    table.leave(ONE)
    assert table.state(ONE, now=100.0) == (-2.0, 0)
    with pytest.raises(TooManyQueries) as refused:
        table.enter(ONE, now=101.0)  # 1 s refilled of the 2 s owed
    assert refused.value.retry_after == 1
    assert "used 10 query-seconds in 10 s; try again in 1 s" in str(refused.value)
    table.enter(ONE, now=102.5)
    assert table.state(ONE, now=1000.0)[0] == 10.0  # never more than the budget


def test_a_client_in_debt_is_remembered_while_thousands_of_others_come(
    table: ClientBudgets,
) -> None:
    table.enter(ONE, now=0.0)
    table.charge(ONE, 1000.0, now=0.0)
    table.leave(ONE)
    for n in range(3 * ROWS):  # more clients than rows: the full buckets make room
        other = key(f"198.51.{n // 250}.{n % 250}")
        table.enter(other, now=1.0)
        table.leave(other)
    with pytest.raises(TooManyQueries):
        table.enter(ONE, now=2.0)


@pytest.mark.slow  # starts a Python process
def test_another_process_sees_the_same_table_and_its_seat_is_cleared(
    table: ClientBudgets,
) -> None:
    """A server process counts its queries on its seat; when it ends, the supervisor clears
    the seat, so its queries stop counting, however it ended."""
    program = (
        "import sys\n"
        "from aqb_rdf.sparql.budgets import Budget, ClientBudgets, client_key\n"
        "t = ClientBudgets.attach(int(sys.argv[1]), 4, Budget(concurrent=2), seat=3)\n"
        "t.enter(client_key('192.0.2.1'))\n"
        "t.enter(client_key('192.0.2.1'))\n"
    )
    subprocess.run([sys.executable, "-c", program, str(table.fd)], pass_fds=[table.fd], check=True)
    with pytest.raises(TooManyQueries):  # the other process's two count here
        table.enter(ONE)
    table.vacate(3)
    table.enter(ONE)
    assert table.state(ONE)[1] == 1
