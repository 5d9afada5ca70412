"""``aqb-rdf serve``: the build over HTTP; the web stack loads only when serving."""

from __future__ import annotations

from pathlib import Path

import click

from aqb_rdf.cli.common import DEFAULT_OUT, reports_errors
from aqb_rdf.cli.options import settings_options
from aqb_rdf.config import Settings
from aqb_rdf.publish.release import recorded_base, release_base


@click.command()
@click.argument("data", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT)
@settings_options("serve")
@reports_errors
def serve(data: Path, settings: Settings) -> None:
    """Serve the build in DATA: SPARQL at /sparql, downloads at /download/<file>.

    The base IRI the build was made with maps to the server's root (BASE/id/... is /id/...),
    so the server serves that base only: another --base is refused, and a later build of
    DATA with another base is not switched to (the server keeps the release it serves).

    \b
    Example:
      aqb-rdf build && aqb-rdf serve dist --port 8000
      aqb-rdf serve dist --processes 4 --query-workers 2   # 4 sandboxed processes
      curl 'http://127.0.0.1:8000/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D'
    """
    # The web stack loads only when serving.
    from aqb_rdf.web.server import ensure_store, open_release
    from aqb_rdf.web.supervisor import listen
    from aqb_rdf.web.supervisor import serve as run_server

    serving = settings.serve
    host, port = serving.host, serving.port
    # Everything that can fail for the user's reasons fails before the banner, in one line:
    # no build in DATA, another base, a dump that does not load, a port in use.
    release = open_release(data)
    served = release_base(recorded_base(release), settings.base)
    ensure_store(release)
    with listen(host, port) as sock:
        click.echo(f"serving {data}/ as {served} on http://{host}:{port}/ (SPARQL at /sparql)",
                   err=True)  # fmt: skip
        run_server(data, serving, base=served, sock=sock)
