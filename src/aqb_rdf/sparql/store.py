"""Load a built dataset into an Oxigraph store and run named queries on it (I/O).

The store is in memory and loaded from ``aqb.trig`` in the build's output directory, which
holds one named graph per agreement plus ``…/graph/reference`` and ``…/graph/ontology``.
Queries run with the union of all graphs as their default graph, so a query never needs a
``GRAPH`` clause. No inference is run: a query that wants every Gebietskörperschaft must match
``aqb:Landkreis`` and ``aqb:KreisfreieStadt`` (or ``aqb:kreisschluessel``), not the superclass.

Named queries are the ``*.rq`` files of the package ``aqb_rdf.queries`` (the repository's
``queries/`` directory), written under the default base IRI; :func:`find_query` rebases them
to the base of the release they are run on, and also reads any ``.rq`` file given by path
(as it is).
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources import files
from pathlib import Path

from pyoxigraph import DefaultGraph, Quad, QuerySolutions, RdfFormat, Store, parse

from aqb_rdf.errors import AqbError, QueryError, first_line, quote_input
from aqb_rdf.rdf.base import DEFAULT_BASE, rebase_text
from aqb_rdf.rdf.files import TRIG_DUMP
from aqb_rdf.sparql.named_queries import NamedQuery, bind, parse_named_query, parse_query_file
from aqb_rdf.sparql.results import SelectResult

DATASET_FILE = TRIG_DUMP.name
"""The dump :func:`load_dataset` reads from a build's output directory."""

RELEASE_STORE = "store"
"""The folder beside a release's ``aqb.trig`` where its persisted store is kept."""

QUERIES_PACKAGE = "aqb_rdf.queries"
_QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def load_dataset(out_dir: Path) -> Store:
    """Load ``out_dir/aqb.trig`` into a new in-memory store.

    Args:
        out_dir: the output directory of ``aqb-rdf build``, e.g. ``dist``.

    Returns:
        The store, with every named graph of the dump.

    Raises:
        AqbError: the directory or the dump is missing, or the dump is not valid TriG.
    """
    dump = dataset_file(out_dir)
    store = Store()
    try:
        store.bulk_load(path=dump, format=RdfFormat.TRIG)
    except SyntaxError as error:
        raise AqbError(f"not valid TriG: {first_line(error)}", str(dump)) from None
    except OSError as error:
        raise AqbError(f"cannot read the dataset: {error.strerror or error}", str(dump)) from None
    return store


def dataset_file(out_dir: Path) -> Path:
    """The dump ``out_dir/aqb.trig`` of a build.

    Raises:
        AqbError: the directory or the dump is missing.
    """
    dump = out_dir / DATASET_FILE
    if not out_dir.is_dir():
        raise AqbError(f"no dataset at {out_dir}/: run `aqb-rdf build` first")
    if not dump.is_file():
        raise AqbError(
            f"no dataset at {out_dir}/ ({DATASET_FILE} is missing): run `aqb-rdf build` first"
        )
    return dump


def run_select(store: Store, sparql: str, source: str | None = None) -> SelectResult:
    """Run a SPARQL ``SELECT`` query over the union of all graphs in the store.

    Args:
        store: a store from :func:`load_dataset`.
        sparql: the query text, parameters already bound (see :func:`aqb_rdf.sparql.named_queries.bind`).
        source: where the query came from, for error messages.

    Returns:
        The variables and rows, in the query's order.

    Raises:
        QueryError: the query is malformed, is not a ``SELECT``, or fails to run.
    """
    try:
        solutions = store.query(sparql, use_default_graph_as_union=True)
        if not isinstance(solutions, QuerySolutions):
            raise QueryError("not a SELECT query", source)
        variables = tuple(variable.value for variable in solutions.variables)
        rows = tuple(
            tuple(solution[index] for index in range(len(variables))) for solution in solutions
        )
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {first_line(error)}", source) from None
    except OSError as error:
        raise QueryError(f"query failed: {first_line(error)}", source) from None
    return SelectResult(variables, rows)


def run_query(store: Store, query: NamedQuery, params: Mapping[str, str]) -> SelectResult:
    """Bind ``params`` into a named query and run it; what ``aqb-rdf query`` does.

    Raises:
        QueryError: a parameter is unknown, missing or malformed, or the query fails.
    """
    return run_select(store, bind(query, params), query.source or f"{query.name}.rq")


def available_queries() -> tuple[str, ...]:
    """Return the names of the packaged named queries, sorted."""
    return tuple(
        sorted(
            entry.name.removesuffix(".rq")
            for entry in files(QUERIES_PACKAGE).iterdir()
            if entry.name.endswith(".rq") and entry.is_file()
        )
    )


def offered_queries(base: str = DEFAULT_BASE) -> tuple[NamedQuery, ...]:
    """The packaged named queries offered to people, by name: all but the ``# internal:`` ones.

    The pages run the internal ones (``describe-resource``, ``resource-links``) themselves;
    ``/queries`` and the editor's examples list only these.
    """
    queries = (find_query(name, base) for name in available_queries())
    return tuple(query for query in queries if query.internal is None)


def find_query(name_or_path: str, base: str = DEFAULT_BASE) -> NamedQuery:
    """Load a named query by name (``total-per-year``) or from a file (``my/query.rq``).

    An argument with a ``/`` or a file suffix (``.rq``) is a path; anything else is the name
    of a packaged query. A packaged query is rebased to ``base``, the base IRI of the release
    it is for (:func:`~aqb_rdf.rdf.base.rebase_text`); a file is read as it is.

    Raises:
        QueryError: no such query (the message suggests the closest names and lists the
            available ones), the file cannot be read, or its header is malformed.
    """
    path = Path(name_or_path)
    if "/" in name_or_path or path.suffix or path.parent != Path("."):
        return _read_query_file(path)
    name = name_or_path
    resource = files(QUERIES_PACKAGE).joinpath(f"{name}.rq")
    if _QUERY_NAME.fullmatch(name) is None or not resource.is_file():
        known = available_queries()
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        guess = f"did you mean {' or '.join(close)}? " if close else ""
        names = ", ".join(known) or "none"
        raise QueryError(f"unknown query {quote_input(name)}; {guess}available: {names}")
    text = rebase_text(resource.read_text(encoding="utf-8"), base)
    return parse_named_query(name, text, f"queries/{name}.rq")


def _read_query_file(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"no query file at {path}") from None
    except UnicodeDecodeError:
        raise QueryError("query file is not UTF-8 text", str(path)) from None
    except OSError as error:
        raise QueryError(f"cannot read query file: {error.strerror or error}", str(path)) from None
    return parse_query_file(path.stem, text, str(path))


def build_store(trig: Path, store_dir: Path) -> None:
    """Load a TriG dump into a new persistent Oxigraph store at ``store_dir``, each named
    graph as it is and every triple once more in the default graph (see :data:`UNION_MARKER`).

    The store is flushed, optimised and closed before this returns, so it can be opened with
    :meth:`pyoxigraph.Store.read_only` (by a :class:`QueryPool`) right away.

    Args:
        trig: the dump, e.g. ``dist/aqb.trig``.
        store_dir: where the store goes; it must not exist yet or be empty.

    Raises:
        AqbError: ``store_dir`` holds files, or the dump cannot be read or is not valid TriG.
    """
    if store_dir.exists() and any(store_dir.iterdir()):
        raise AqbError("the store directory is not empty", str(store_dir))
    try:
        _load_store(trig, store_dir)
    except SyntaxError as error:
        shutil.rmtree(store_dir, ignore_errors=True)
        raise AqbError(f"not valid TriG: {first_line(error)}", str(trig)) from None
    except OSError as error:
        shutil.rmtree(store_dir, ignore_errors=True)
        raise AqbError(f"cannot build the store: {first_line(error)}", str(trig)) from None


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove the staging folders ``.store-<pid>`` of loads whose process is gone (a server
    or ``aqb-rdf query`` killed while it loaded); a running load's folder stays. Returns
    those removed."""
    removed = []
    for staging in folder.glob(f".{RELEASE_STORE}-*"):
        pid = staging.name.removeprefix(f".{RELEASE_STORE}-")
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        shutil.rmtree(staging, ignore_errors=True)
        removed.append(staging)
    return removed


def ensure_store(folder: Path) -> Path:
    """The release's persisted store, loading it from ``aqb.trig`` if it is not there yet.

    The server and ``aqb-rdf query`` share it: whichever comes first loads it, once per
    release (``releases/<id>/store``).

    The load goes into ``.store-<pid>``, renamed to ``store`` when complete; the staging
    folders of loads that were killed are removed first, so none is ever left behind.
    """
    store = folder / RELEASE_STORE
    remove_stale_staging(folder)
    if store.is_dir():
        return store
    staging = folder / f".{RELEASE_STORE}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    build_store(folder / DATASET_FILE, staging)
    try:
        os.replace(staging, store)
    except OSError:  # another process loaded it first: use theirs
        shutil.rmtree(staging, ignore_errors=True)
    return store


UNION_MARKER = "aqb-default-graph-is-union"
"""A file in a store built by :func:`build_store`: its default graph holds every triple of its
named graphs. Queries then read the default graph instead of asking the engine for the union
of all graphs, which is about three times faster for a lookup (measured at 1M triples)."""


def has_union_default_graph(store_dir: Path) -> bool:
    """Whether the store at ``store_dir`` was built with its default graph as the union."""
    return (store_dir / UNION_MARKER).is_file()


def _load_store(trig: Path, store_dir: Path) -> None:
    # The Store object is closed when its last reference goes, i.e. when this function returns.
    store = Store(str(store_dir))
    # One parse for both copies, so a blank node is the same node in its named graph and in
    # the default graph (separate loads would rename blank nodes apart).
    store.bulk_extend(_with_default_graph_copy(parse(path=trig, format=RdfFormat.TRIG)))
    store.flush()
    store.optimize()
    (store_dir / UNION_MARKER).write_text(
        "The default graph of this store is the union of its named graphs (aqb-rdf).\n"
    )


def _with_default_graph_copy(quads: Iterable[Quad]) -> Iterator[Quad]:
    for quad in quads:
        yield quad
        if not isinstance(quad.graph_name, DefaultGraph):
            yield Quad(quad.subject, quad.predicate, quad.object)
