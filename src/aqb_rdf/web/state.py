"""What a running server shares with its handlers: the release it answers from, its settings
and what runs its queries (pure data; no request, no response)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from aqb_rdf.config import ServeSettings as ServeSettings  # defined with every setting
from aqb_rdf.errors import AqbError
from aqb_rdf.sparql.execution import QueryRequest, QueryResult

T = TypeVar("T")


class Release:
    """The published release a server answers from: its folder and id.

    A server following a build output moves it to a newer release with :meth:`move_to`; one
    attribute holds the folder, so a reader sees either the old release or the new one.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def id(self) -> str:
        return self._folder.name

    @property
    def etag(self) -> str:
        return f'"{self.id}"'

    def move_to(self, folder: Path) -> None:
        self._folder = folder


class QueryRunner(Protocol):
    """What answers queries: a :class:`~aqb_rdf.sparql.pool.QueryPool`, or a server's
    publication that follows the build output to newer releases."""

    async def run_async(self, request: QueryRequest) -> QueryResult: ...

    async def call_async(self, work: Callable[[], T]) -> T:
        """``work()`` in a query slot's thread, admitted as a query is (a long guard check)."""
        ...

    def out_of_memory(self) -> AqbError:
        """The error to answer a ``MemoryError`` with (the process may retire)."""
        ...


@dataclass(frozen=True)
class ReleaseEntry:
    """One release a server serves: its id and when it became current (None: not recorded)."""

    id: str
    published: dt.datetime | None


class ServedReleases(Protocol):
    """What a page knows of the releases its server serves (:mod:`aqb_rdf.web.releases`)."""

    def listing(self) -> Sequence[ReleaseEntry]:
        """The releases served, the current one (at ``/``) first, then newest first."""
        ...

    def newest_has(self, iri: str) -> Awaitable[bool]:
        """Whether the current release says anything about ``iri``."""
        ...
