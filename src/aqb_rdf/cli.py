"""The ``aqb-rdf`` command: a thin shell over pipeline, querying, query_results and store.

Every failure the user can cause prints one line per problem (``file:line: problem``) to
stderr and exits with status 1; nothing is written then. Set ``AQB_DEBUG=1`` to see
tracebacks of internal errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from aqb_rdf import pipeline, query_results, querying, remote_sparql, store
from aqb_rdf import push as push_core
from aqb_rdf.errors import AqbError
from aqb_rdf.iris import DEFAULT_BASE, check_base
from aqb_rdf.reference import ORGANISATIONS_FILE, REGIONS_FILE

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_SOURCES = (Path("data/agreements"),)
DEFAULT_OUT = Path("dist")


def _fail(lines: Sequence[str], summary: str | None = None) -> None:
    for line in lines:
        click.echo(f"aqb-rdf: error: {line}", err=True)
    if summary:
        click.echo(f"aqb-rdf: {summary}", err=True)
    sys.exit(1)


def reports_errors(command: F) -> F:
    """Turn the errors a user can cause into one-line messages and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except pipeline.BuildFailed as failure:
            _fail(failure.problems, str(failure))
        except AqbError as error:
            _fail([str(error)])
        except OSError as error:
            name = f"{error.filename}: " if error.filename else ""
            _fail([f"{name}{error.strerror or error}"])
        except KeyboardInterrupt:
            click.echo("aqb-rdf: interrupted; nothing was written", err=True)
            sys.exit(130)
        except Exception as error:  # the last line of defence, see module doc
            if os.environ.get("AQB_DEBUG"):
                raise
            _fail([f"internal error ({type(error).__name__}: {error}); set AQB_DEBUG=1 and report it"])

    return cast(F, wrapper)  # functools.wraps keeps the signature, which mypy cannot see


def _base(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        return check_base(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


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


_base_option = click.option(
    "--base",
    envvar="AQB_BASE",
    default=DEFAULT_BASE,
    show_default=True,
    callback=_base,
    help="Base IRI of everything the dataset mints (env AQB_BASE).",
)
_reference_option = click.option(
    "--reference",
    "reference_dir",
    envvar="AQB_REFERENCE",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder with gebietskoerperschaften.csv and organisationen.csv "
    "(default: the packaged data/reference; env AQB_REFERENCE).",
)
_workers_option = click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes for parsing and validation (default: one per CPU).",
)
_engine_option = click.option(
    "--shacl-engine",
    "engine",
    type=click.Choice(pipeline.ENGINES),
    default="core",
    show_default=True,
    help="SHACL engine: 'core' (fast, checked against pySHACL in the tests) or 'pyshacl'.",
)
_sources_argument = click.argument(
    "sources", nargs=-1, type=click.Path(path_type=Path)
)


@click.group()
@click.version_option(package_name="aqb-rdf")
def cli() -> None:
    """Publish the Hessian AQB Zielvereinbarungen as linked open data.

    \b
    Typical use:
      aqb-rdf build                       # data/agreements → dist/
      aqb-rdf query total-per-year        # run a named query on dist/
      aqb-rdf validate some/folder        # check documents without writing
    """


@cli.command()
@_sources_argument
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Output folder; replaced atomically, and only if it is an earlier build.",
)
@_base_option
@_reference_option
@_workers_option
@_engine_option
@reports_errors
def build(
    sources: tuple[Path, ...],
    out: Path,
    base: str,
    reference_dir: Path | None,
    workers: int | None,
    engine: str,
) -> None:
    """Build the validated dataset and its dumps from SOURCES.

    SOURCES are agreement documents (.md, .txt, .pdf) or folders searched for them
    (default: data/agreements). Writes OUT/aqb.ttl, aqb.nt, aqb.jsonld, aqb.trig,
    aqb.csv and context.jsonld, and describes them in catalog.ttl (DCAT-AP.de) and
    void.ttl. If any document cannot be read, parsed, resolved or validated, every
    problem is listed and nothing is written.

    \b
    Example:
      aqb-rdf build data/agreements --out dist
    """
    started = time.perf_counter()
    report = pipeline.build(
        list(sources or DEFAULT_SOURCES),
        out,
        base=base,
        reference_dir=reference_dir,
        workers=workers,
        progress=_Progress(),
        engine=engine,
    )
    elapsed = time.perf_counter() - started
    click.echo(
        f"built {report.agreements} agreement(s), {report.triples} triples, "
        f"into {out}/ in {elapsed:.1f} s"
    )


@cli.command()
@_sources_argument
@_base_option
@_reference_option
@_workers_option
@_engine_option
@reports_errors
def validate(
    sources: tuple[Path, ...],
    base: str,
    reference_dir: Path | None,
    workers: int | None,
    engine: str,
) -> None:
    """Parse, map and SHACL-validate SOURCES without writing anything.

    Prints one line per document that conforms and one line per problem
    (file:line: resource: message); exits with status 1 if there is any problem.

    \b
    Example:
      aqb-rdf validate data/agreements/2025
    """
    report = pipeline.check(
        list(sources or DEFAULT_SOURCES),
        base=base,
        reference_dir=reference_dir,
        workers=workers,
        progress=_Progress(),
        engine=engine,
    )
    for path, label, triples in report.conforming:
        click.echo(f"ok    {path}: {label} ({triples} triples)")
    if report.problems:
        _fail(report.problems, f"{len(report.problems)} problem(s) in {len(report.failing)} document(s)")
    click.echo(f"all {len(report.conforming)} document(s) conform to the shapes")


_data_option = click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="A build output folder.",
)


@cli.command()
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
    type=click.Choice(sorted(query_results.FORMATS)),
    default="table",
    show_default=True,
)
@_data_option
@reports_errors
def query(name: str, params: tuple[str, ...], format_name: str, data: Path) -> None:
    """Run a named query (from queries/) or an .rq FILE against a build.

    \b
    Named queries:
      budget-per-region-year   [--param year=2025]
      total-per-year
      projects-per-massnahmenart [--param year=2025]
      regions-without-project  [--param year=2025] [--param massnahmenart=2]
      region                   --param key=06413
    Example:
      aqb-rdf query region --param key=06413 --format csv
    """
    named = store.find_query(name)
    result = store.run_query(store.load_dataset(data), named, querying.parse_params(params))
    click.echo(query_results.format_result(result, format_name), nl=False)


@cli.command()
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
    totals = store.run_query(dataset, store.find_query("total-per-year"), {})
    click.echo(f"dataset in {data}/: {len(dataset)} quads")
    click.echo(query_results.format_table(totals), nl=False)
    files = ", ".join(f"{p.name} ({p.stat().st_size:,} bytes)" for p in sorted(data.glob("aqb.*")))
    click.echo(f"downloads: {files}")


@cli.command()
@click.option(
    "--endpoint",
    default=remote_sparql.WIKIDATA_ENDPOINT,
    show_default=True,
    help="SPARQL endpoint with Wikidata's data model (wdt:P440, wdt:P605, rdfs:label).",
)
@click.option(
    "--reference",
    "reference_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("data/reference"),
    show_default=True,
    help="Folder with the reference tables to check and, with --write, to update.",
)
@click.option("--write", is_flag=True, help="Write confirmed links (default: only report).")
@click.option(
    "--replace",
    is_flag=True,
    help="With --write, also replace links the endpoint contradicts by its single candidate.",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=30.0, show_default=True,
    help="Seconds to wait for each answer.",
)  # fmt: skip
@click.option(
    "--retries", type=click.IntRange(0, 10), default=3, show_default=True,
    help="Further attempts after a network error, timeout, 429 or 5xx.",
)  # fmt: skip
@click.option(
    "--user-agent",
    envvar="AQB_USER_AGENT",
    default=remote_sparql.default_user_agent,
    help="User-Agent header; add a contact address (env AQB_USER_AGENT).",
)
@reports_errors
def link(
    endpoint: str,
    reference_dir: Path,
    write: bool,
    replace: bool,
    format_name: str,
    timeout: float,
    retries: int,
    user_agent: str,
) -> None:
    """Check the reference tables' Wikidata links against a SPARQL endpoint.

    Finds the items with each Gebietskörperschaft's district key (P440) and with each
    organisation's names as label, and reports per row: match, missing (one candidate, the
    table has none), mismatch, ambiguous or not-found. Nothing is written unless --write is
    given; then matches and missing links are written with their provenance (columns
    wikidata_checked, wikidata_endpoint), both tables replaced atomically. Mismatches are
    only reported, unless --replace is given too.

    \b
    Example:
      aqb-rdf link                       # report against Wikidata
      aqb-rdf link --write               # and write confirmed links
      aqb-rdf link --endpoint http://127.0.0.1:7878/query --format json
    """
    from aqb_rdf import linking, reference_update, resources

    remote_sparql.check_http_url(endpoint, "--endpoint")
    reference = resources.reference(reference_dir)
    policy = remote_sparql.RetryPolicy(attempts=retries + 1, timeout=timeout)

    def select(query: str) -> list[remote_sparql.Binding]:
        return remote_sparql.select(
            endpoint,
            query,
            user_agent=user_agent,
            policy=policy,
            on_retry=lambda message: click.echo(f"aqb-rdf: {message}", err=True),
        )

    subjects = linking.subjects(reference, REGIONS_FILE, ORGANISATIONS_FILE)
    findings = linking.find(subjects, select)
    today = dt.date.today().isoformat()
    if format_name == "json":
        click.echo(linking.report_json(findings, endpoint, today), nl=False)
    else:
        click.echo("\n".join(linking.report_lines(findings)))
    if write:
        confirmed = linking.confirmed_links(findings, endpoint, today, replace)
        rows = reference_update.write_links(reference_dir, confirmed)
        click.echo(
            f"wrote {len(confirmed)} link(s) with provenance into {rows} row(s) of "
            f"{reference_dir}/",
            err=True,
        )


@cli.command()
@click.argument("data", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--query-workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker processes answering SPARQL queries (queries beyond get 503).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=10.0,
    show_default=True,
    help="Seconds a query may run before its worker is stopped.",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (HTTP on that many cores); the query workers "
    "are divided among them.",
)
@click.option(
    "--page-size",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Things that link to a resource per Linked-Data page (?page=2 for the next).",
)
@reports_errors
def serve(
    data: Path,
    host: str,
    port: int,
    query_workers: int,
    timeout: float,
    processes: int,
    page_size: int,
) -> None:
    """Serve the build in DATA: SPARQL at /sparql, downloads at /download/<file>.

    \b
    Example:
      aqb-rdf build && aqb-rdf serve dist --port 8000
      aqb-rdf serve dist --processes 2 --query-workers 4   # both cores of a 2-core machine
      curl 'http://127.0.0.1:8000/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D'
    """
    # The web stack loads only when serving.
    from aqb_rdf.web.app import ServeSettings
    from aqb_rdf.web.processes import serve_in_processes
    from aqb_rdf.web.server import serve as run_server

    click.echo(f"serving {data}/ on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    settings = ServeSettings(page_size=page_size)
    if processes == 1:
        run_server(data, host, port, workers=query_workers, timeout=timeout, settings=settings)
    else:
        serve_in_processes(
            data, host, port, processes=processes, workers=query_workers, timeout=timeout,
            page_size=page_size,
        )


class _PushProgress:
    """Push progress on stderr: a live line on a terminal, a line every 5 s otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = time.perf_counter()

    def __call__(self, _iri: str, report: push_core.PushReport) -> None:
        now = time.perf_counter()
        if self.tty or now - self.last >= 5:
            self.last = now
            done = sum(report.count(c) for c in push_core.Change)
            line = f"push: {done} graph(s); {report.summary()}"
            click.echo(f"\r{line}" if self.tty else line, err=True, nl=not self.tty)

    def finish(self) -> None:
        if self.tty:
            click.echo("", err=True)


@cli.command()
@click.argument("data", type=click.Path(path_type=Path), default=DEFAULT_OUT)
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL query endpoint of the store (also used for updates without "
              "--graph-store or --update).")  # fmt: skip
@click.option("--graph-store", metavar="URL",
              help="Graph Store Protocol endpoint: write each graph with one PUT.")  # fmt: skip
@click.option("--update", metavar="URL",
              help="SPARQL Update endpoint, if not --endpoint (Oxigraph: /update).")  # fmt: skip
@_base_option
@click.option("--delete-stale", is_flag=True,
              help="Drop graphs under BASE/graph/ that the release no longer has.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Compare and report; write nothing.")
@click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
              help="Retries of a request after a network error, 5xx or 429.")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(1, 3600), default=60.0, show_default=True,
              help="Seconds a request may wait for the store.")  # fmt: skip
@click.option("--connections", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Graphs compared and written at the same time.")  # fmt: skip
@reports_errors
def push(
    data: Path,
    endpoint: str,
    graph_store: str | None,
    update: str | None,
    base: str,
    delete_stale: bool,
    dry_run: bool,
    retries: int,
    timeout: float,
    connections: int,
) -> None:
    """Upload the release in DATA (default: dist) to a SPARQL 1.1 store.

    One named graph per agreement plus BASE/graph/reference and BASE/graph/ontology. A graph
    is written only if the store's copy differs, in one request that replaces it (PUT with
    --graph-store, else DROP + INSERT in one SPARQL Update), so a failure midway leaves each
    graph old or new and pushing again converges. Prints one line per created, replaced,
    stale or deleted graph, then a summary. Credentials, if the store wants them, come from
    AQB_PUSH_USER and AQB_PUSH_PASSWORD (Basic or Digest, as the store asks) or AQB_PUSH_TOKEN
    (sent as a Bearer token, e.g. QLever's access token); never from the command line.

    \b
    Examples:
      aqb-rdf push dist --endpoint http://localhost:7878/query \\
        --graph-store http://localhost:7878/store
      # Virtuoso, with AQB_PUSH_USER and AQB_PUSH_PASSWORD in the environment:
      aqb-rdf push dist --endpoint http://localhost:8890/sparql \\
        --graph-store http://localhost:8890/sparql-graph-crud-auth
    """
    from aqb_rdf.graph_store import Credentials, HttpStore  # httpx loads only when pushing

    dump = push_core.dataset_dump(data)
    credentials = Credentials.from_environ(os.environ)
    progress = _PushProgress()
    with HttpStore(endpoint, graph_store=graph_store, update=update, credentials=credentials,
                   retries=retries, timeout=timeout) as target:  # fmt: skip
        try:
            report = push_core.push_release(dump, target, f"{base}graph/",
                                            delete_stale=delete_stale, dry_run=dry_run,
                                            connections=connections, progress=progress)  # fmt: skip
        except KeyboardInterrupt:
            click.echo("aqb-rdf: interrupted; each graph is old or new, push again to finish",
                       err=True)  # fmt: skip
            sys.exit(130)
        finally:
            progress.finish()
    for change in push_core.Change:
        if change is not push_core.Change.UNCHANGED:
            for iri in report.graphs[change]:
                click.echo(f"{change.value:9} {iri}")
    stale = report.count(push_core.Change.STALE)
    verb = "would push" if dry_run else "pushed"
    click.echo(f"{verb} {dump} to {graph_store or update or endpoint}: {report.summary()}")
    if stale:
        click.echo(f"{stale} stale graph(s) kept; --delete-stale drops them", err=True)
