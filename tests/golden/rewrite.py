"""Rewrite every ``tests/golden/*/expected.ttl`` from the mapping as it is now (``make golden``).

Run it from the repository root with the project's venv::

    .venv/bin/python tests/golden/rewrite.py

Then review ``git diff tests/golden`` (see README.md) and commit the expected files on their
own, saying why the graph changed. The tests never run this; they only compare.
"""

from __future__ import annotations

from cases import cases, difference, expected_turtle, mapped_graph, read_expected


def main() -> None:
    for case in cases():
        graph = mapped_graph(case.document)
        if case.expected.exists() and not difference(read_expected(case), graph):
            print(f"unchanged  {case.name}")
            continue
        status = "changed  " if case.expected.exists() else "new      "
        case.expected.write_bytes(expected_turtle(graph))
        print(f"{status}  {case.name}: {len(graph)} triples")


if __name__ == "__main__":
    main()
