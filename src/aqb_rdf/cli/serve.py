"""``aqb-rdf serve``: the build over HTTP; the web stack loads only when serving."""

from __future__ import annotations

from pathlib import Path

import click

from aqb_rdf.cli.common import DEFAULT_OUT, reports_errors


@click.command()
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
    from aqb_rdf.web.processes import serve_in_processes
    from aqb_rdf.web.server import serve as run_server
    from aqb_rdf.web.state import ServeSettings

    click.echo(f"serving {data}/ on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    settings = ServeSettings(page_size=page_size)
    if processes == 1:
        run_server(data, host, port, workers=query_workers, timeout=timeout, settings=settings)
    else:
        serve_in_processes(
            data,
            host,
            port,
            processes=processes,
            workers=query_workers,
            timeout=timeout,
            page_size=page_size,
        )
