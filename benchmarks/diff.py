"""Benchmark ``aqb-rdf diff`` between two releases of a synthetic corpus, against its targets.

Targets (issue 13): two releases of 10,000 agreements compared in under 30 s, in under
2 GiB. The old release is the corpus of ``aqb_rdf.demo.corpus`` as generated; the new one has
every 100th agreement's budget raised by 1,000 Euro and every 200th agreement left out, so
the diff has known differences to find (and the benchmark checks it finds exactly them).
``aqb-rdf diff`` runs as the installed command, once per format; its time and peak memory
(``ru_maxrss`` of that process, from ``wait4``) are printed.

    .venv/bin/python benchmarks/diff.py                          # 400 regions × 25 years
    .venv/bin/python benchmarks/diff.py --regions 20 --years 5   # a quick run

Exits 1 if a target fails or the diff is not the expected one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from aqb_rdf.build.pipeline import build
from aqb_rdf.demo.corpus import generate_corpus

TARGET_SECONDS = 30.0
TARGET_MEMORY = 2 * 1024**3
GIB = 1024**3
BUDGET = re.compile(r"^(?:\*\*)?(?P<amount>\d{1,3}(?:\.\d{3})+)(?:,\d\d)? Euro(?:\*\*)?$", re.M)
"""The budget line of an agreement, in Markdown (bold) or as text from a PDF."""


def _raise_budget(path: Path) -> None:
    """Add 1,000 Euro to the agreement's budget, as written (the cents stay)."""
    text = path.read_text(encoding="utf-8")
    match = BUDGET.search(text)
    assert match is not None, path
    raised = f"{int(match['amount'].replace('.', '')) + 1000:,}".replace(",", ".")
    start, end = match.span("amount")
    path.write_text(text[:start] + raised + text[end:], encoding="utf-8")


def _edit(agreements: Path, into: Path) -> tuple[int, int]:
    """Copy the corpus ``agreements`` to ``into`` with the known differences; their numbers."""
    shutil.copytree(agreements, into)
    documents = sorted(p for p in into.rglob("*") if p.suffix in (".md", ".txt"))
    changed = removed = 0
    for index, path in enumerate(documents):
        if index % 200 == 199:
            path.unlink()
            removed += 1
        elif index % 100 == 0:
            _raise_budget(path)
            changed += 1
    return changed, removed


def _run(command: list[str], output: Path) -> tuple[int, float, int]:
    """Run ``command`` with stdout to ``output``: exit status, seconds, peak RSS in bytes."""
    started = time.perf_counter()
    with output.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss * 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", type=int, default=400, help="invented regions (400)")
    parser.add_argument("--years", type=int, default=25, help="years per region (25)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aqb-diff-bench-"))
    try:
        return _benchmark(workdir, args.regions, args.years)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _benchmark(workdir: Path, regions: int, years: int) -> int:
    corpus = generate_corpus(workdir / "corpus", regions=regions, years=years)
    reference = workdir / "corpus" / "reference"
    changed, removed = _edit(corpus, workdir / "edited")
    for name, source in (("old", corpus), ("new", workdir / "edited")):
        started = time.perf_counter()
        report = build([source], workdir / name, reference_dir=reference)
        print(f"built {name}: {report.agreements:,} agreements, {report.triples:,} triples"
              f" in {time.perf_counter() - started:.1f} s")  # fmt: skip
    command = [str(Path(sys.executable).parent / "aqb-rdf"), "diff", str(workdir / "old"),
               str(workdir / "new")]  # fmt: skip
    ok = True
    print(f"\nexpected: {changed} changed, {removed} removed\n")
    print("| format | seconds | peak memory | verdict |\n|---|---|---|---|")
    for form in ("text", "json", "patch"):
        output = workdir / f"diff.{form}"
        status, seconds, memory = _run([*command, "--format", form], output)
        good = status == 1 and seconds < TARGET_SECONDS and memory < TARGET_MEMORY
        if form == "json":
            counts = json.loads(output.read_text(encoding="utf-8"))["agreements"]
            good = good and (counts["changed"], counts["removed"]) == (changed, removed)
            print(f"<!-- {counts} -->")
        ok = ok and good
        print(f"| {form} | {seconds:.1f} | {memory / GIB:.2f} GiB |"
              f" {'ok' if good else 'FAILED'} (status {status}) |")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
