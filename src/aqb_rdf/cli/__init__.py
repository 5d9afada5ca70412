"""The ``aqb-rdf`` command: a thin shell over the stages; the only place options are read.

Every failure the user can cause prints one line per problem (``file:line: problem``) to
stderr and exits with status 1; nothing is written then. Set ``AQB_DEBUG=1`` to see
tracebacks of internal errors.

This module holds the click group and registers the commands; ``common`` the shared error
handling, ``options`` the options made from :data:`aqb_rdf.config.SETTINGS`, ``build`` build,
validate, query and summary, ``link`` link, ``serve`` serve, ``push`` push and ``diff`` diff. May import every
package.
"""

from __future__ import annotations

import click

from aqb_rdf.cli.build import build, query, summary, validate
from aqb_rdf.cli.common import reports_errors
from aqb_rdf.cli.diff import diff
from aqb_rdf.cli.link import link
from aqb_rdf.cli.push import push
from aqb_rdf.cli.serve import serve

__all__ = [
    "build",
    "cli",
    "diff",
    "link",
    "push",
    "query",
    "reports_errors",
    "serve",
    "summary",
    "validate",
]


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


cli.add_command(build)
cli.add_command(validate)
cli.add_command(query)
cli.add_command(summary)
cli.add_command(link)
cli.add_command(serve)
cli.add_command(push)
cli.add_command(diff)
