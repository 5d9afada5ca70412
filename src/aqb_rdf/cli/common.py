"""What every ``aqb-rdf`` command shares: one-line errors and exit status 1.

Every failure the user can cause prints one line per problem (``file:line: problem``) to
stderr and exits with status 1; nothing is written then. Set ``AQB_DEBUG=1`` to see
tracebacks of internal errors.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from aqb_rdf import config
from aqb_rdf.errors import AqbError, BuildFailed, Problem

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_OUT = Path("dist")


def _fail(problems: Sequence[Problem], summary: str | None = None, status: int = 1) -> None:
    for problem in problems:
        click.echo(f"aqb-rdf: error: {problem}", err=True)
    if summary:
        click.echo(f"aqb-rdf: {summary}", err=True)
    sys.exit(status)


def reports_errors(command: F) -> F:
    """Turn the errors a user can cause into one-line messages and exit status 1."""
    return reports_errors_with(1)(command)


def reports_errors_with(status: int) -> Callable[[F], F]:
    """:func:`reports_errors` with another exit status (``diff``: 2, as diff(1) has it)."""

    def decorate(command: F) -> F:
        return _reporting(command, status)

    return decorate


def _reporting(command: F, status: int) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BuildFailed as failure:
            _fail(failure.problems, str(failure), status)
        except AqbError as error:
            _fail([error.problem], status=status)
        except OSError as error:
            path = str(error.filename) if error.filename else ""
            _fail([Problem(path, None, str(error.strerror or error))], status=status)
        except KeyboardInterrupt:
            click.echo("aqb-rdf: interrupted; nothing was written", err=True)
            sys.exit(130)
        except Exception as error:  # the last line of defence, see module doc
            if config.debug_enabled():
                raise
            message = (
                f"internal error ({type(error).__name__}: {error}); set AQB_DEBUG=1 and report it"
            )
            _fail([Problem("", None, message)], status=status)

    return cast(F, wrapper)  # functools.wraps keeps the signature, which mypy cannot see
