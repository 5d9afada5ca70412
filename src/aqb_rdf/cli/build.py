"""``aqb-rdf build``, ``validate``, ``query`` and ``summary``: the dataset and its build."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from aqb_rdf.cli.common import DEFAULT_OUT, _fail, reports_errors
from aqb_rdf.cli.options import settings_options
from aqb_rdf.config import Settings
from aqb_rdf.errors import QueryError
from aqb_rdf.publish.release import recorded_base
from aqb_rdf.rdf.files import DESCRIPTIONS, DISTRIBUTIONS
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import STANDARD_PREFIXES
from aqb_rdf.sparql import named_queries, results, sandboxed, store

if TYPE_CHECKING:
    from aqb_rdf.build import pipeline

# The build pipeline (pySHACL, rdflib's SPARQL, pypdf: 0.9 s of imports) is imported by the
# commands that build, not here: `aqb-rdf query` and `summary` start without it, and so does
# each query worker, which a spawned process starts by importing the command's module again.

DEFAULT_SOURCES = (Path("data/agreements"),)


class _Progress:
    """Progress on stderr: a live counter on a terminal, a line per 10 % otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.reported = -1
        self.started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if self.tty:
            click.echo(f"\r{stage}: {done}/{total}", err=True, nl=done == total)
        elif tenth != self.reported and total >= 100:
            self.reported = tenth
            elapsed = time.perf_counter() - self.started
            click.echo(f"{stage}: {done}/{total} ({elapsed:.1f} s)", err=True)


_sources_argument = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))


@click.command()
@_sources_argument
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder; replaced atomically, and only if it is an earlier build.",
)
@settings_options("build")
@reports_errors
def build(sources: tuple[Path, ...], out: Path, settings: Settings) -> None:
    """Build the validated dataset and its dumps from SOURCES.

    SOURCES are agreement documents (.md, .txt, .pdf) or folders searched for them
    (default: data/agreements); any other file in a folder is named on stderr as skipped.
    Writes OUT/aqb.ttl, aqb.nt, aqb.jsonld, aqb.trig,
    context.jsonld, the tables agreements.csv, projects.csv and massnahmenarten.csv with
    their CSVW metadata (*.csv-metadata.json), and describes them in catalog.ttl
    (DCAT-AP.de) and void.ttl. If any document cannot be read, parsed, resolved or validated, every
    problem is listed and nothing is written.

    \b
    Example:
      aqb-rdf build data/agreements --out dist
    """
    from aqb_rdf.build import pipeline

    started = time.perf_counter()
    report = pipeline.build(
        list(sources or DEFAULT_SOURCES),
        out,
        base=settings.base or DEFAULT_BASE,
        reference_dir=settings.build.reference,
        workers=settings.build.workers,
        progress=_Progress(),
        engine=settings.build.shacl_engine,
        notice=lambda line: click.echo(f"aqb-rdf: {line}", err=True),
        keep_releases=settings.build.keep_releases,
    )
    elapsed = time.perf_counter() - started
    click.echo(
        f"built {report.agreements} agreement(s), {report.triples} triples, "
        f"into {out}/ in {elapsed:.1f} s{_skipped_note(report.skipped)}"
    )


def _skipped_note(skipped: list[pipeline.Skipped]) -> str:
    """``; 2 file(s) skipped`` for the summary line, or nothing."""
    return f"; {len(skipped)} file(s) skipped" if skipped else ""


@click.command()
@_sources_argument
@settings_options("validate")
@reports_errors
def validate(sources: tuple[Path, ...], settings: Settings) -> None:
    """Parse, map and SHACL-validate SOURCES without writing anything.

    Prints one line per document that conforms, one line per file in the folders that is
    not read (skip: file: why) and one line per problem (file:line: resource: message);
    exits with status 1 if there is any problem.

    \b
    Example:
      aqb-rdf validate data/agreements/2025
    """
    from aqb_rdf.build import pipeline

    report = pipeline.check(
        list(sources or DEFAULT_SOURCES),
        base=settings.base or DEFAULT_BASE,
        reference_dir=settings.build.reference,
        workers=settings.build.workers,
        progress=_Progress(),
        engine=settings.build.shacl_engine,
    )
    for path, label, triples in report.conforming:
        click.echo(f"ok    {path}: {label} ({triples} triples)")
    for file in report.skipped:
        click.echo(f"skip  {file}")
    skipped = _skipped_note(report.skipped)
    if report.problems:
        _fail(
            report.problems,
            f"{len(report.problems)} problem(s) in {len(report.failing)} document(s){skipped}",
        )
    click.echo(f"all {len(report.conforming)} document(s) conform to the shapes{skipped}")


_data_option = click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="A build output folder.",
)


def _query_usage(query: named_queries.NamedQuery) -> str:
    """``region`` → ``Everything about one Gebietskörperschaft. --param key=…``."""
    params = [
        f"--param {p.name}=…" if p.required else f"[--param {p.name}=…]" for p in query.parameters
    ]
    internal = " (internal: the pages run it)" if query.internal else ""
    return " ".join([f"{query.title}.{internal}", *params])


class _QueryCommand(click.Command):
    """``aqb-rdf query``, whose help lists the packaged named queries, read from queries/."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        named = [store.find_query(name) for name in store.available_queries()]
        with formatter.section("Named queries"):
            formatter.write_dl([(query.name, _query_usage(query)) for query in named])
        super().format_epilog(ctx, formatter)


@click.command(
    cls=_QueryCommand,
    epilog="""\b
Examples:
  aqb-rdf query region --param key=06413 --format csv
  aqb-rdf query describe-graph --param graph=https://aqb-rdf.example/graph/reference
  aqb-rdf query my-query.rq --format json
  echo 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' | aqb-rdf query -""",
)
@click.argument("name")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter; repeat for several (see the query's header).",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice([*results.FORMATS, *results.GRAPH_FORMATS]),
    default=None,
    help="Rows of a SELECT as table (default), csv or json; the triples of a CONSTRUCT or"
    " DESCRIBE as turtle (default) or ntriples.",
)
@_data_option
@reports_errors
def query(name: str, params: tuple[str, ...], format_name: str | None, data: Path) -> None:
    """Run a named query (from queries/), an .rq FILE or the query on stdin (-) on a build.

    A named query is rebased to the base IRI the build was made with; a FILE (or stdin) runs
    as it is and needs no header (one that starts with '# title:' or '# param:' is read).
    The query runs as the server runs it: refused if it calls a SERVICE, is an update or
    would stall the engine, and otherwise answered in an isolated worker process (no
    network, limited memory, a time limit).
    """
    base = recorded_base(data)
    named = _query_from_stdin() if name == "-" else store.find_query(name, base)
    answer = sandboxed.run_sandboxed(data, named, named_queries.parse_params(params))
    prefixes = {**{p: str(ns) for p, ns in STANDARD_PREFIXES.items()}, **Iris(base).prefixes}
    click.echo(results.format_answer(answer, format_name, prefixes), nl=False)


def _query_from_stdin() -> named_queries.NamedQuery:
    """The query text on stdin, read as a query file named ``stdin``."""
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError:
        raise QueryError("the query is not UTF-8 text", "<stdin>") from None
    if not text.strip():
        raise QueryError("no query on stdin", "<stdin>")
    return named_queries.parse_query_file("stdin", text, "<stdin>")


@click.command()
@click.argument("data", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT)
@reports_errors
def summary(data: Path) -> None:
    """Print what the build in DATA (default: dist) contains.

    Prints the number of quads, the budget total per year and the download files.

    \b
    Example:
      aqb-rdf summary dist
    """
    dataset = store.load_dataset(data)
    totals = store.run_query(dataset, store.find_query("total-per-year", recorded_base(data)), {})
    click.echo(f"dataset in {data}/: {len(dataset)} quads")
    click.echo(results.format_table(totals), nl=False)
    names = [*sorted(file.name for file in DISTRIBUTIONS), *(file.name for file in DESCRIPTIONS)]
    paths = [data / name for name in names]
    files = ", ".join(f"{p.name} ({p.stat().st_size:,} bytes)" for p in paths if p.exists())
    click.echo(f"downloads: {files}")
