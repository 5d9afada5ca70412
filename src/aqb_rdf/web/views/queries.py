"""``/queries``, ``/queries/{name}`` and ``/query``: SPARQL for people (I/O).

* ``/queries`` lists the named queries of ``queries/`` offered to people (not the
  ``# internal:`` ones the pages run) with their titles and descriptions in the page's
  language, and their parameters.
* ``/queries/{name}`` has a form with one field per parameter; submitted, it binds the values
  with :func:`aqb_rdf.sparql.named_queries.bind` (typed ``VALUES``; a malformed value is a 400 with the
  reason, shown beside the form), runs the query through the pool and shows the result as a
  table, with links to the same result as CSV and JSON: ``/queries/{name}.csv?PARAM=…`` and
  ``….json`` (SPARQL results CSV and JSON, the whole result, as a download).
* ``/query`` is a SPARQL editor: a textarea, the named queries as examples to load, and a
  results table filled by ``static/query.js`` (``fetch`` to ``/sparql``). Without JavaScript
  the form goes to ``/sparql`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import Response

from aqb_rdf.errors import QueryError, QueryPoolError
from aqb_rdf.rdf import formats
from aqb_rdf.sparql import guard
from aqb_rdf.sparql.execution import QueryRequest
from aqb_rdf.sparql.named_queries import NamedQuery, bind
from aqb_rdf.sparql.results import SelectResult, Term, term_text
from aqb_rdf.sparql.store import available_queries
from aqb_rdf.web.errors import ErrorAnswer, answer_for, error_response
from aqb_rdf.web.pages import Page, Site
from aqb_rdf.web.query_runner import construct_sparql, named_query, select_sparql

MAX_ROWS = 1000
"""Rows a results table shows; the CSV and JSON links give all of them."""


@dataclass(frozen=True)
class Outcome:
    """What running a named query from its form gave: a result, or why there is none."""

    sparql: str
    result: SelectResult | None = None
    problem: str | None = None
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    """What the status needs (``Retry-After`` for 503)."""


def named_queries(site: Site) -> list[NamedQuery]:
    """The packaged named queries offered to people, by name, rebased to the site's base IRI."""
    queries = (named_query(name, site.iris.base) for name in available_queries())
    return [query for query in queries if query.internal is None]


def query_form(query: NamedQuery) -> str:
    """``SELECT``, ``CONSTRUCT`` … of a named query (its header is only comments)."""
    try:
        return str(guard.check_query(query.text).form)
    except guard.QueryRefused:
        return "SELECT"


def parameter_problem(page: Page, query: NamedQuery, params: dict[str, str]) -> str | None:
    """What is wrong with ``params`` for ``query``, in the page's language (``None``: nothing).

    The same checks :func:`bind` makes (its messages are English, for the command line and
    the endpoint): a required parameter missing, a value not of its type's form.
    """
    missing = [p.name for p in query.parameters if p.required and p.name not in params]
    if missing:
        return page.t("needs_parameters", names=", ".join(missing))
    for parameter in query.parameters:
        value = params.get(parameter.name)
        if value is None:
            continue
        try:
            parameter.type.to_term(value.strip())
        except ValueError:
            expected = page.t("expected_" + parameter.type.name)
            return page.t("bad_value", name=parameter.name, expected=expected)
    return None


async def run_named(page: Page, query: NamedQuery, params: dict[str, str]) -> Outcome:
    """Bind ``params`` into ``query`` and run it; a table of rows (triples for CONSTRUCT).
    Problems are told in the page's language."""
    site = page.site
    retry_after = site.settings.retry_after_seconds
    problem = parameter_problem(page, query, params)
    if problem is not None:  # the client's values: its error (400)
        return Outcome(query.text, problem=problem, status=400)
    try:
        sparql = bind(query, params)
    except QueryError as error:
        answer = answer_for(error, retry_after=retry_after)
        return Outcome(query.text, problem=page.t("bad_parameters"), status=answer.status)
    try:
        if query_form(query) in ("CONSTRUCT", "DESCRIBE"):
            triples = await construct_sparql(site.run, sparql)
            rows: tuple[tuple[Term | None, ...], ...] = tuple(
                (t.subject, t.predicate, t.object) for t in triples
            )
            return Outcome(sparql, SelectResult(("subject", "predicate", "object"), rows))
        return Outcome(sparql, await select_sparql(site.run, sparql))
    except QueryPoolError as error:  # the query is the server's: 503 when busy, else 500
        answer = answer_for(error, retry_after=retry_after, server_query=True)
        text = page.t("unavailable_text") if answer.busy else page.t("query_failed_text")
        return Outcome(sparql, problem=text, status=answer.status, headers=answer.headers)


async def queries(site: Site, request: Request) -> Response:
    """``/queries``: every named query."""
    page = Page(site, request)
    listed = [(query, query_form(query)) for query in named_queries(site)]
    return page.render("queries.html", headers={"Vary": "Accept-Language"}, queries=listed)


EXPORTS: Final[Mapping[str, str]] = {
    "csv": formats.RESULTS_CSV.media_type,
    "json": formats.RESULTS_JSON.media_type,
}
"""``/queries/{name}.{ext}``: the result of a named ``SELECT`` as SPARQL results CSV or JSON."""


async def export(site: Site, request: Request, name: str, ext: str) -> Response:
    """``/queries/{name}.csv?PARAM=…`` (or ``.json``): the whole result, its parameters bound
    from the query string as the form binds them; an unknown or malformed one is a 400."""
    page = Page(site, request)
    query = named_query(name, site.iris.base)
    params = {k: v for k, v in request.query_params.items() if k != "lang" and v.strip()}
    retry_after = site.settings.retry_after_seconds
    try:
        sparql = bind(query, params)
        result = await site.run(QueryRequest(sparql, EXPORTS[ext]))
    except QueryError as error:
        return error_response(answer_for(error, retry_after=retry_after), request, page)
    except QueryPoolError as error:
        answer = answer_for(error, retry_after=retry_after, server_query=True)
        return error_response(answer, request, page)
    suffix = "-".join(params.values())
    filename = f"{name}-{suffix}" if suffix else name
    headers = site.headers(**{"Content-Disposition": f'attachment; filename="{filename}.{ext}"'})
    return Response(result.body, media_type=result.media_type, headers=headers)


def export_link(query: NamedQuery, ext: str, params: Mapping[str, str]) -> str:
    """The short link of a named query's result as CSV or JSON, with its parameters."""
    given = urlencode([(k, v) for k, v in params.items() if v.strip()])
    return f"/queries/{query.name}.{ext}" + (f"?{given}" if given else "")


async def one_query(site: Site, request: Request) -> Response:
    """``/queries/{name}``: one named query, its form, and its result once submitted;
    ``/queries/{name}.csv`` and ``.json``: its result (:func:`export`)."""
    page = Page(site, request)
    name = request.path_params["name"]
    stem, dot, ext = name.rpartition(".")
    if dot and ext in EXPORTS and stem in available_queries():
        return await export(site, request, stem, ext)
    if name not in available_queries():
        answer = ErrorAnswer(404, f"no named query {name[:40]!r}")
        return error_response(answer, request, page, text=page.t("not_found_text"))
    query = named_query(name, site.iris.base)
    submitted = "run" in request.query_params
    values = {
        parameter.name: request.query_params.get(parameter.name, "")
        for parameter in query.parameters
    }
    outcome = None
    if submitted:
        params = {key: value for key, value in values.items() if value.strip()}
        outcome = await run_named(page, query, params)
    links: dict[str, str] = {}
    if outcome is not None and outcome.result is not None:
        for label, fmt in (("as_csv", "csv"), ("as_json", "json")):
            if query_form(query) == "SELECT":
                links[label] = page.prefix + export_link(query, fmt, values)
        links["open_in_editor"] = page.local("/query?" + urlencode({"query": outcome.sparql}))
    # The editor binds the parameters itself: the query arrives with the values of the form.
    given = [("name", name), *((k, v) for k, v in values.items() if v.strip())]
    editor_link = page.local("/query?" + urlencode(given))
    cells = [
        [
            (term_text(term), page.href(term.value) if isinstance(term, NamedNode) else None)
            for term in row
        ]
        for row in (outcome.result.rows[:MAX_ROWS] if outcome and outcome.result else ())
    ]
    headers = {"Vary": "Accept-Language", **dict(outcome.headers if outcome else ())}
    return page.render(
        "named_query.html",
        status=outcome.status if outcome else 200,
        headers=headers,
        query=query,
        form=query_form(query),
        values=values,
        outcome=outcome,
        cells=cells,
        max_rows=MAX_ROWS,
        links=links,
        editor_link=editor_link,
    )


async def editor(site: Site, request: Request) -> Response:
    """``/query``: type SPARQL, or load a named query as an example, and see the table.

    ``?query=`` fills the editor (a permalink: with ``run=1`` the page runs it at once);
    ``?name=`` loads a named query, its parameters bound from the same query string
    (``/query?name=region&key=06413``), so that one with required parameters arrives runnable.
    """
    page = Page(site, request)
    offered = {query.name: query for query in named_queries(site)}
    examples = {
        name: {
            "title": query.title_in(page.lang),
            "parameters": [
                {"name": p.name, "required": p.required, "expected": p.type.expected}
                for p in query.parameters
            ],
        }
        for name, query in offered.items()
    }
    text = request.query_params.get("query", "")
    chosen = request.query_params.get("name", "")
    values: dict[str, str] = {}
    problem = None
    if not text and chosen in offered:
        query = offered[chosen]
        values = {
            p.name: request.query_params.get(p.name, "").strip()
            for p in query.parameters
            if request.query_params.get(p.name, "").strip()
        }
        text = query.text
        problem = parameter_problem(page, query, values)
        if problem is None:
            try:
                text = bind(query, values)
            except QueryError:
                problem = page.t("bad_parameters")
    status = 200
    if not text and chosen and chosen not in offered:  # the editor still, saying so (404)
        shown = chosen if len(chosen) <= 40 else chosen[:40] + "…"
        problem = page.t("unknown_query", name=shown, names=", ".join(offered))
        status = 404
    if not text:
        default = offered.get("budget-per-region-year")
        text = default.text if default else ""
    return page.render(
        "query.html",
        status=status,
        headers={"Vary": "Accept-Language"},
        examples=examples,
        chosen=chosen,
        values=values,
        problem=problem,
        prefixes=sorted(site.prefixes.items()),
        text=text[: site.settings.max_query_length],
        run=request.query_params.get("run") == "1",
    )
