"""Benchmark the build end to end on a synthetic corpus, against the targets and against peers.

Targets: 10,000 agreements end to end in under 60 s on 2 cores; peak memory under 2 GiB.
Peers, measured in the same run on the same data (the project rule: benchmarks print ratios
against a peer measured in the same run):

- plain rdflib parsing ``aqb.nt`` and serialising it as Turtle, versus pyoxigraph doing the same;
- pyshacl validating the whole dataset in one call, versus our per-agreement validation
  (only below 200,000 triples: above, the single call takes too long).

    .venv/bin/python benchmarks/build.py                          # 400 regions × 25 years
    .venv/bin/python benchmarks/build.py --regions 20 --years 5   # a quick run, seconds

Exits 1 if a target fails, 2 if the build itself fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from aqb_rdf.demo.corpus import generate_corpus

TARGET_AGREEMENTS = 10_000
TARGET_SECONDS = 60.0
TARGET_CORES = 2
TARGET_MEMORY = 2 * 1024**3
PYSHACL_LIMIT = 200_000
WORKER_STAGES = ("parse", "map", "validate")
STAGES = (*WORKER_STAGES, "write")
GIB = 1024**3


# -- measuring ------------------------------------------------------------------------------------


def maxrss(who: int) -> int:
    """ru_maxrss in bytes (Linux reports KiB, macOS bytes)."""
    value = resource.getrusage(who).ru_maxrss
    return value if sys.platform == "darwin" else value * 1024


class TreeMemory(threading.Thread):
    """Samples the summed RSS of this process and its live children (Linux /proc).

    ru_maxrss gives each process' own peak, not the peak of all of them at the same moment;
    this sampler gives the latter (sampled every 20 ms, so a shorter spike can be missed).
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.available = Path("/proc/self/task").is_dir()
        self._done = threading.Event()  # not _stop: Thread uses that name

    def run(self) -> None:
        while self.available and not self._done.wait(0.02):
            self.peak = max(self.peak, sum(map(rss, [os.getpid(), *children()])))

    def stop(self) -> int | None:
        self._done.set()
        self.join()
        return self.peak if self.available else None


def children() -> list[int]:
    pids = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids.extend(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            pass  # the thread has ended, or the kernel lacks CONFIG_PROC_CHILDREN
    return pids


def rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass  # the process has ended
    return 0


class Progress:
    """The pipeline's progress callback: remembers when the last report came."""

    def __init__(self) -> None:
        self.last: float | None = None
        self.tty = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.last = time.perf_counter()
        if self.tty:
            print(f"\r  {stage}: {done}/{total}", end="", file=sys.stderr, flush=True)


# -- printing -------------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    # The first column left-aligned, the numbers right-aligned.
    line = "  ".join(("{:<%d}" if i == 0 else "{:>%d}") % w for i, w in enumerate(widths))
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line.format(*row))


def rate(count: int, seconds: float | None) -> str:
    return f"{count / seconds:,.0f}" if seconds else "–"


def secs(seconds: float | None) -> str:
    return f"{seconds:.2f}" if seconds is not None else "–"


def gib(size: int | None) -> str:
    return f"{size / GIB:.2f} GiB" if size is not None else "–"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# -- the run --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", type=int, default=400, help="invented regions (400)")
    parser.add_argument("--years", type=int, default=25, help="years per region (25)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (all cores)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where corpus/ and dist/ go (replaced if present; default: a temporary folder)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-peers", action="store_true", help="skip the rdflib/pyshacl peers")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aqb-bench-"))
    try:
        return run(args, workdir)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nkept: {workdir}")


def run(args: argparse.Namespace, workdir: Path) -> int:
    from aqb_rdf.build.pipeline import build

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = args.workers or os.cpu_count() or 1  # the pipeline's own default
    print(f"Python {platform.python_version()}, {cores} core(s) available, {workers} worker(s)")
    if cores != TARGET_CORES:
        print(f"note: the targets are for {TARGET_CORES} cores; this machine gives {cores}")

    corpus_dir, out = workdir / "corpus", workdir / "dist"
    for folder in (corpus_dir, out):
        shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    agreements_dir = generate_corpus(corpus_dir, args.regions, args.years, seed=args.seed)
    generated = time.perf_counter() - started
    sources = sorted(agreements_dir.glob("*/*"))
    print(
        f"\nCorpus: {len(sources):,} documents generated in {generated:.2f} s "
        f"({rate(len(sources), generated)} documents/s), not counted below"
    )

    progress = Progress()
    memory = TreeMemory()
    memory.start()
    started = time.perf_counter()
    try:
        report = build(
            sources, out, reference_dir=corpus_dir / "reference", workers=args.workers,
            progress=progress,
        )  # fmt: skip
    except Exception as error:  # noqa: BLE001 - report any failure as the benchmark's result
        memory.stop()
        print(f"\nBUILD FAILED: {error}")
        for problem in getattr(error, "problems", [])[:20]:
            print(f"  {problem}")
        return 2
    wall = time.perf_counter() - started
    tree_peak = memory.stop()
    # Taken now, before the peers below load the whole dataset into this process.
    self_peak, child_peak = maxrss(resource.RUSAGE_SELF), maxrss(resource.RUSAGE_CHILDREN)
    if progress.tty:
        print(file=sys.stderr)

    n = report.agreements
    timings = report.timings
    # Workers run parse, map and validate concurrently; their seconds are summed across
    # workers. Scaling them to the wall time of the worker phase (build start to the last
    # progress report) estimates each stage's share of the wall clock.
    worker_cpu = sum(timings.get(s, 0.0) for s in WORKER_STAGES)
    worker_wall = (progress.last - started) if progress.last else None
    # The worker phase also includes start-up, so cap the scale at 1: a stage run in parallel
    # never takes longer on the wall clock than its summed time.
    scale = min(1.0, worker_wall / worker_cpu) if worker_wall and worker_cpu else None
    stage_wall = {s: timings[s] * scale if scale else None for s in WORKER_STAGES if s in timings}
    stage_wall["write"] = timings.get("write")

    print(f"\nBuild: {n:,} agreements, {report.triples:,} triples, {wall:.2f} s wall\n")
    table(
        ("stage", "seconds*", "agreements/s*", "≈ wall s", "agreements/s (wall)"),
        [
            (s, secs(timings.get(s)), rate(n, timings.get(s)), secs(stage_wall.get(s)),
             rate(n, stage_wall.get(s)))
            for s in STAGES
        ]
        + [("total", "", "", secs(wall), rate(n, wall))],
    )  # fmt: skip
    print("* as reported by the pipeline: parse/map/validate summed over the worker processes")
    if worker_wall:
        print(f"  (worker phase {worker_wall:.2f} s wall for {worker_cpu:.2f} s of stage time)")

    # The time target is for 10,000 agreements; other sizes are projected linearly.
    projected = wall * TARGET_AGREEMENTS / n if n else float("inf")
    upper = self_peak + workers * child_peak
    # Sampling can miss a short spike that ru_maxrss saw, so take the larger.
    peak = max(tree_peak, self_peak, child_peak) if tree_peak else upper
    time_ok, memory_ok = projected < TARGET_SECONDS, peak < TARGET_MEMORY
    how = "measured" if n == TARGET_AGREEMENTS else f"projected from {n:,}"
    print("\nMemory: peak RSS")
    table(
        ("process", "peak"),
        [
            ("this process (RUSAGE_SELF)", gib(self_peak)),
            ("largest child (RUSAGE_CHILDREN)", gib(child_peak)),
            (f"upper bound: self + {workers} × child", gib(upper)),
            ("sampled sum of the process tree", gib(tree_peak)),
        ],
    )
    print("\nTargets")
    table(
        ("target", "result", "verdict"),
        [
            (f"{TARGET_AGREEMENTS:,} agreements < {TARGET_SECONDS:.0f} s",
             f"{projected:.1f} s ({how})", verdict(time_ok)),
            ("peak memory < 2 GiB", f"{gib(peak)} ({'measured' if tree_peak else 'upper bound'})",
             verdict(memory_ok)),
        ],
    )  # fmt: skip
    if n != TARGET_AGREEMENTS:
        print("  (small runs are dominated by start-up costs; run the defaults for the target)")

    if not args.no_peers:
        peers(out / "aqb.nt", report.triples, stage_wall.get("validate"), timings.get("validate"))
    return 0 if time_ok and memory_ok else 1


def peers(
    ntriples: Path, triples: int, validate_wall: float | None, validate_cpu: float | None
) -> None:
    """Time rdflib against pyoxigraph, and pyshacl in one call against our validation."""
    import pyoxigraph
    import pyshacl
    import rdflib

    print(f"\nPeer (a): parse {ntriples.name} and serialise it as Turtle ({triples:,} triples)")
    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(ntriples, format="nt")
    parsed = time.perf_counter()
    graph.serialize(format="turtle", encoding="utf-8")
    rdflib_times = (parsed - started, time.perf_counter() - parsed)

    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    started = time.perf_counter()
    quads = list(pyoxigraph.parse(path=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    parsed = time.perf_counter()
    pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    oxigraph_times = (parsed - started, time.perf_counter() - parsed)
    del quads

    table(
        ("library", "parse s", "serialise s", "total s", "triples/s"),
        [
            (f"rdflib {rdflib.__version__}", *map(secs, rdflib_times), secs(sum(rdflib_times)),
             rate(triples, sum(rdflib_times))),
            (f"pyoxigraph {pyoxigraph.__version__}", *map(secs, oxigraph_times),
             secs(sum(oxigraph_times)), rate(triples, sum(oxigraph_times))),
        ],
    )  # fmt: skip
    print(f"ratio rdflib / pyoxigraph: {sum(rdflib_times) / sum(oxigraph_times):.1f}×")

    print("\nPeer (b): pyshacl on the whole dataset in one call vs. our per-agreement validation")
    if triples >= PYSHACL_LIMIT:
        print(f"skipped: {triples:,} triples ≥ {PYSHACL_LIMIT:,}, one pyshacl call would take "
              "too long (try --regions 20 --years 5)")  # fmt: skip
        return
    from aqb_rdf.rdf.iris import Iris
    from aqb_rdf.resources import shapes_graph

    shapes = shapes_graph(Iris())
    started = time.perf_counter()
    # The same options as aqb_rdf.validation.report.validate_graph.
    conforms, _, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=False, inplace=True
    )
    whole = time.perf_counter() - started
    ours = validate_wall if validate_wall is not None else validate_cpu
    table(
        ("validation", "seconds", "conforms"),
        [
            (f"pyshacl {pyshacl.__version__}, whole dataset, one call", secs(whole), str(conforms)),
            ("ours, in workers, per chunk (≈ wall)", secs(validate_wall), ""),
            ("ours, in workers, per chunk (summed)", secs(validate_cpu), ""),
        ],
    )
    if ours:
        print(f"ratio pyshacl whole / ours: {whole / ours:.1f}×")


if __name__ == "__main__":
    sys.exit(main())
