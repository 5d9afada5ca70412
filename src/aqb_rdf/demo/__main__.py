"""``make demo``: build the synthetic corpus of :mod:`aqb_rdf.demo.years` and serve it.

    .venv/bin/python -m aqb_rdf.demo [--folder demo] [--port 8000] [--no-serve]

Writes ``FOLDER/corpus`` (the documents and the real reference tables) and builds
``FOLDER/dist``, a release marked synthetic, with the base IRI
:data:`~aqb_rdf.demo.years.DEMO_BASE`; then runs ``aqb-rdf serve FOLDER/dist``. Nothing is
read from or written to ``data/`` or ``dist/``. A failure is one line and exit status 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from aqb_rdf.build.pipeline import build
from aqb_rdf.demo.years import DEMO_BASE, FIRST_YEAR, LAST_YEAR, generate_years
from aqb_rdf.errors import AqbError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m aqb_rdf.demo", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--folder", type=Path, default=Path("demo"), help="where corpus/ and dist/ go (demo)"
    )
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (8000)")
    parser.add_argument("--no-serve", action="store_true", help="build only")
    args = parser.parse_args(argv)
    corpus, out = args.folder / "corpus", args.folder / "dist"
    if out.resolve() in (Path("dist").resolve(), Path("data").resolve()):
        print("aqb-rdf demo: error: the demo never writes into dist/ or data/", file=sys.stderr)
        return 1
    started = time.perf_counter()
    shutil.rmtree(corpus, ignore_errors=True)  # the corpus is made anew; dist/ keeps releases
    figures = generate_years(corpus, FIRST_YEAR, LAST_YEAR)
    try:
        report = build(
            [corpus / "agreements"], out, base=DEMO_BASE, reference_dir=corpus / "reference",
            synthetic=True,
        )  # fmt: skip
    except AqbError as error:
        print(f"aqb-rdf demo: error: {error}", file=sys.stderr)
        return 1
    print(
        f"built {report.agreements} synthetic agreement(s) ({len(figures.budgets)} generated),"
        f" {report.triples} triples, into {out}/ under {DEMO_BASE} in"
        f" {time.perf_counter() - started:.1f} s"
    )
    if args.no_serve:
        return 0
    command = Path(sys.executable).parent / "aqb-rdf"
    os.execv(command, [str(command), "serve", str(out), "--port", str(args.port)])
    return 0  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main())
