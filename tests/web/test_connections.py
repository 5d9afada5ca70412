"""The ledgers of a server process's connections and unread answers (pure)."""

from __future__ import annotations

from aqb_rdf.web.connections import (
    DESCRIPTOR_RESERVE,
    SMALL_ANSWER,
    AnswerBudget,
    ConnectionTable,
    connection_cap,
)


def test_the_cap_leaves_room_below_the_descriptor_limit() -> None:
    assert connection_cap(0, 1024, 29) == 1024 - 58 - DESCRIPTOR_RESERVE
    assert connection_cap(100, 1024, 29) == 100
    assert connection_cap(5000, 1024, 29) == 1024 - 58 - DESCRIPTOR_RESERVE
    assert connection_cap(0, 64, 29) == 1


def test_a_connection_over_the_cap_takes_the_place_of_the_longest_waiting() -> None:
    table = ConnectionTable(cap=3, per_address=10)
    for name, address in (("a", "1"), ("b", "2"), ("c", "3")):
        assert table.admit(name, address) == (True, [])
    table.busy("a")  # being answered: not closed to make room
    assert table.admit("d", "4") == (True, ["b"])
    assert len(table) == 3
    table.close("b")  # its socket closes later: nothing changes
    assert len(table) == 3
    table.busy("c")
    table.busy("d")
    assert table.admit("e", "5") == (False, [])  # every connection busy: refused
    table.waiting("a")  # answered; waits for its next request
    assert table.admit("e", "5") == (True, ["a"])


def test_an_address_makes_room_among_its_own() -> None:
    table = ConnectionTable(cap=100, per_address=2)
    assert table.admit("a1", "A") == (True, [])
    assert table.admit("b1", "B") == (True, [])
    assert table.admit("a2", "A") == (True, [])
    assert table.admit("a3", "A") == (True, ["a1"])
    table.busy("a2")
    table.busy("a3")
    assert table.admit("a4", "A") == (False, [])
    assert table.admit("b2", "B") == (True, [])
    assert len(table) == 4


def test_small_answers_always_pass_and_large_ones_share_the_budget() -> None:
    budget = AnswerBudget(3 * SMALL_ANSWER)
    assert budget.reserve(SMALL_ANSWER) == 0
    assert budget.reserve(2 * SMALL_ANSWER) == 2 * SMALL_ANSWER
    assert budget.reserve(2 * SMALL_ANSWER) == -1
    assert budget.reserve(SMALL_ANSWER) == 0
    budget.release(2 * SMALL_ANSWER)
    assert budget.reserve(2 * SMALL_ANSWER) == 2 * SMALL_ANSWER
