"""``aqb-rdf push``: upload a release to a SPARQL 1.1 store; httpx loads only when pushing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from aqb_rdf.cli.common import DEFAULT_OUT, reports_errors
from aqb_rdf.cli.options import settings_options
from aqb_rdf.config import Settings
from aqb_rdf.publish.release import recorded_base, release_base
from aqb_rdf.push import sync as push_core
from aqb_rdf.rdf.iris import Iris


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


@click.command()
@click.argument("data", type=click.Path(path_type=Path), default=DEFAULT_OUT)
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL query endpoint of the store (also used for updates without "
              "--graph-store or --update).")  # fmt: skip
@click.option("--graph-store", metavar="URL",
              help="Graph Store Protocol endpoint: write each graph with one PUT.")  # fmt: skip
@click.option("--update", metavar="URL",
              help="SPARQL Update endpoint, if not --endpoint (Oxigraph: /update).")  # fmt: skip
@click.option("--delete-stale", is_flag=True,
              help="Drop graphs under BASE/graph/ that the release no longer has.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Compare and report; write nothing.")
@settings_options("push")
@reports_errors
def push(
    data: Path,
    endpoint: str,
    graph_store: str | None,
    update: str | None,
    delete_stale: bool,
    dry_run: bool,
    settings: Settings,
) -> None:
    """Upload the release in DATA (default: dist) to a SPARQL 1.1 store.

    One named graph per agreement plus BASE/graph/reference and BASE/graph/ontology, BASE
    being the base IRI the release was built with (another --base is refused). A graph
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
    from aqb_rdf.push.graph_store import Credentials, HttpStore  # httpx loads only when pushing

    dump = push_core.dataset_dump(data)
    namespace = Iris(release_base(recorded_base(dump.parent), settings.base))
    pushing = settings.push
    credentials = Credentials.from_values(pushing.user, pushing.password, pushing.token)
    progress = _PushProgress()
    with HttpStore(endpoint, graph_store=graph_store, update=update, credentials=credentials,
                   retries=pushing.retries, timeout=pushing.timeout,
                   max_answer_bytes=pushing.max_answer_bytes) as target:  # fmt: skip
        try:
            report = push_core.push_release(dump, target, namespace.graph_namespace,
                                            delete_stale=delete_stale, dry_run=dry_run,
                                            connections=pushing.connections,
                                            progress=progress)  # fmt: skip
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
