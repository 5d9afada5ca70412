"""The printed report: the results table with the ours/peer ratios, and the targets' verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cells import Cell, fmt_ms, fmt_rate
from workload import CONNECTIONS, KINDS, MODES

KIND_TITLES = {
    "resource": "(a) resource as Turtle",
    "lookup": "(b) lookup SELECT",
    "aggregate": "(c) aggregate per year",
}
SPARQL_FORM = "ours-sparql"
HTML_FORM = "ours-html"
MIB = 1 << 20
MEMORY_TARGET = 1.5 * (1 << 30)
"""Bytes the whole server tree may hold at 1M triples (issue 10)."""
"""Our server answering (a) with the peers' CONSTRUCT through /sparql, when ours uses /id/…."""


def fmt_ratio(ours: float | None, peer: float | None) -> str:
    return f"{ours / peer:.2f}×" if ours and peer else "–"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(("{:<%d}" if i < left else "{:>%d}") % w for i, w in enumerate(widths))
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))


def print_results(cells: list[Cell], servers: list[str]) -> None:
    index = {(c.server, c.kind, c.mode, c.connections): c for c in cells}
    rows = []
    for kind in KINDS:
        for mode in MODES:
            for connections in CONNECTIONS:
                ours = index.get(("ours", kind, mode, connections))
                # Like for like: (a) on a peer runs the CONSTRUCT, so compare it with ours'.
                ours = index.get((SPARQL_FORM, kind, mode, connections), ours)
                ours_rate = ours.rate if ours else None
                for name in servers:
                    cell = index.get((name, kind, mode, connections))
                    if cell is None:
                        continue
                    failed = f"{cell.failed}" if cell.failed else ""
                    if cell.errors:
                        failed += (
                            " (" + ", ".join(f"{k}: {v}" for k, v in cell.errors.items()) + ")"
                        )
                    rows.append((
                        KIND_TITLES[kind], mode, str(connections), name, str(cell.ok),
                        fmt_rate(cell.rate), fmt_ms(cell.percentile(50)),
                        fmt_ms(cell.percentile(99)),
                        "" if name in ("ours", SPARQL_FORM)
                        else fmt_ratio(ours_rate, cell.rate),
                        f"{cell.server_cpu:.2f}", f"{cell.generator_cpu:.2f}", failed,
                    ))  # fmt: skip
            rows.append(("",) * 12)
    table(
        ("query", "mode", "conns", "server", "ok", "req/s", "p50 ms", "p99 ms", "ours/peer",
         "srv cores", "gen cores", "failed"),
        rows[:-1], left=4,
    )  # fmt: skip
    if SPARQL_FORM in servers:
        print(f"(a): ours = GET /id/… (Accept: text/turtle, the Linked-Data route and its own "
              f"describe query);\n     {SPARQL_FORM} = the peers' CONSTRUCT through /sparql; "
              f"ours/peer compares {SPARQL_FORM}.")  # fmt: skip
    print("req/s counts answers that are 200 and not empty; p50/p99 over those. srv cores: CPU")
    print("of the server's process group per wall second (2.00 = both cores busy); gen cores:")
    print("the same for the load generator.")


@dataclass(frozen=True)
class Target:
    """One target of the serving issue: its text, the measured result, PASS/FAIL/n/a."""

    text: str
    result: str
    verdict: str


def targets(cells: list[Cell], memory: int | None = None) -> list[Target]:
    """The targets of the issue "Serving at engine speed", judged on this run's cells."""
    index = {(c.server, c.kind, c.mode, c.connections): c for c in cells}

    def cell(server: str, kind: str, mode: str, connections: int) -> Cell | None:
        return index.get((server, kind, mode, connections))

    out = []

    def ratio_target(text: str, kind: str, mode: str, connections: int, peer: str,
                     minimum: float) -> None:  # fmt: skip
        ours, other = cell("ours", kind, mode, connections), cell(peer, kind, mode, connections)
        if ours is None or other is None or not other.rate:
            out.append(Target(text, f"{peer} not measured", "n/a"))
            return
        ratio = (ours.rate or 0.0) / other.rate
        clean = ours.failed == 0
        result = f"{fmt_rate(ours.rate)} / {fmt_rate(other.rate)} req/s = {ratio:.2f}×"
        if not clean:
            result += f", {ours.failed} of ours failed"
        out.append(Target(text, result, "PASS" if ratio >= minimum and clean else "FAIL"))

    ratio_target("(b) lookup cold, 1 conn: ≥ 0.8× oxigraph", "lookup", "cold", 1, "oxigraph", 0.8)
    ratio_target("(b) lookup cold, 8 conns: ≥ 0.6× oxigraph, no 503", "lookup", "cold", 8,
                 "oxigraph", 0.6)  # fmt: skip
    for connections in CONNECTIONS:
        plural = "s" if connections > 1 else ""
        ratio_target(f"(c) aggregate cold, {connections} conn{plural}: ≥ 1× oxigraph", "aggregate",
                     "cold", connections, "oxigraph", 1.0)  # fmt: skip
        ratio_target(f"(b) lookup repeated, {connections} conn{plural}: ≥ 0.8× oxigraph",
                     "lookup", "repeated", connections, "oxigraph", 0.8)  # fmt: skip
        ratio_target(f"(c) aggregate repeated, {connections} conn{plural}: ≥ 1× virtuoso",
                     "aggregate", "repeated", connections, "virtuoso", 1.0)  # fmt: skip
    for name, how, limit in (
        (SPARQL_FORM, "/sparql CONSTRUCT", 0.010),
        ("ours", "/id/… as Turtle", 0.010),
        (HTML_FORM, "/id/… as HTML", 0.025),
    ):
        text = f"(a) resource {how}, cold, 8 conns: p99 < {limit * 1000:g} ms"
        ours = cell(name, "resource", "cold", 8)
        p99 = ours.percentile(99) if ours else None
        if ours is None or p99 is None:
            out.append(Target(text, "no answer" if ours else "not measured",
                              "FAIL" if ours else "n/a"))  # fmt: skip
            continue
        ok = p99 < limit and ours.failed == 0
        result = f"p99 {fmt_ms(p99)} ms" + (f", {ours.failed} failed" if ours.failed else "")
        out.append(Target(text, result, "PASS" if ok else "FAIL"))
    if memory is not None:
        out.append(Target("peak memory of the whole server tree < 1.5 GiB",
                          f"{memory / MIB:,.0f} MiB",
                          "PASS" if memory < MEMORY_TARGET else "FAIL"))  # fmt: skip
    return out
