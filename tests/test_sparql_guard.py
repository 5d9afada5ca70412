"""The static guard in front of the public SPARQL endpoint (``aqb_rdf.sparql.guard``), issue 3.

Every refusal below is tested with the exact hostile query. The spellings that call a service
although they do not look like ``SERVICE`` (``SERVICESILENT<u>{}``, ``trueSERVICE``,
``1SERVICE``, ``ex:a.b.SERVICE``, ``ex:SERVICE`` under ``PREFIX ex: <http://a:>``, a quote
hidden behind ``IF(?a<?b,'>',1)`` or ``?b<?a)SERVICE:x#>``) were each seen to make pyoxigraph
0.5.13 connect to a canary listener on loopback; the guard must refuse all of them. The HTTP
tests repeat the canary check against the running server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from aqb_rdf.errors import QueryError
from aqb_rdf.sparql.guard import Limits, QueryForm, QueryRefused, Verdicts, check_query
from aqb_rdf.sparql.named_queries import bind
from aqb_rdf.sparql.store import available_queries, find_query

CANARY = "http://127.0.0.1:9/"
MANIFEST = Path(__file__).parent / "w3c" / "sparql-protocol" / "protocol" / "manifest.ttl"


def refusal(query: str, limits: Limits = Limits()) -> str:
    """The one-line message ``check_query`` refuses ``query`` with (fails if it passes)."""
    with pytest.raises(QueryRefused) as caught:
        check_query(query, limits)
    message = str(caught.value)
    assert "\n" not in message and message
    return message


# --- SERVICE --------------------------------------------------------------------------------

SERVICE_QUERIES = {
    "upper": f"SELECT * WHERE {{ SERVICE <{CANARY}> {{ ?s ?p ?o }} }}",
    "lower": f"select * where {{ service <{CANARY}> {{ ?s ?p ?o }} }}",
    "mixed": f"SELECT * WHERE {{ SeRvIcE <{CANARY}> {{ ?s ?p ?o }} }}",
    "u escape": f"SELECT * WHERE {{ \\u0053ERVICE <{CANARY}> {{ ?s ?p ?o }} }}",
    "U escape": f"SELECT * WHERE {{ \\U00000053ERVICE <{CANARY}> {{ ?s ?p ?o }} }}",
    "escape inside": f"SELECT * WHERE {{ SER\\u0056ICE <{CANARY}> {{ }} }}",
    "silent": f"SELECT * WHERE {{ SERVICE SILENT <{CANARY}> {{ ?s ?p ?o }} }}",
    "variable": f"SELECT * WHERE {{ BIND(<{CANARY}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "$variable": "SELECT * WHERE { VALUES $u { <%s> } SERVICE $u { } }" % CANARY,
    "prefixed name": f"PREFIX c: <{CANARY}> SELECT * WHERE {{ SERVICE c:x {{ }} }}",
    "no space": f"SELECT*{{SERVICE<{CANARY}>{{}}}}",
    "comments between": f"ASK {{ SERVICE # a\n SILENT # b\n <{CANARY}> # c\n {{ }} }}",
    "optional": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{CANARY}> {{ }} }} }}",
    "union": f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{CANARY}> {{ }} }} }}",
    "subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{CANARY}> {{ }} }} }} }}",
    "filter exists": f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{CANARY}> {{ }} }} }}",
    "filter not exists": f"ASK {{ FILTER (NOT EXISTS {{ SERVICE <{CANARY}> {{ }} }}) }}",
    "graph": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{CANARY}> {{ }} }} }}",
    "minus": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{CANARY}> {{ }} }} }}",
    "deep": "SELECT * WHERE { OPTIONAL { { SELECT * WHERE { GRAPH ?g { FILTER EXISTS { { } UNION"
    " { MINUS { SERVICE <%s> { } } } } } } } } }" % CANARY,  # nine groups deep
    "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{CANARY}> {{ ?s ?p ?o }} }}",
    "describe": f"DESCRIBE ?s WHERE {{ SERVICE <{CANARY}> {{ ?s ?p ?o }} }}",
    "ask": f"ASK {{ SERVICE <{CANARY}> {{ }} }}",
    # Seen to call the canary with pyoxigraph 0.5.13 (see the module docstring):
    "glued SILENT": f"SELECT * WHERE {{ SERVICESILENT<{CANARY}>{{}} }}",
    "glued to true": f"SELECT * WHERE {{ <s> <p> trueSERVICE<{CANARY}>{{}} }}",
    "glued to true, prefix": f"PREFIX : <{CANARY}> SELECT * WHERE {{ <s> <p> trueSERVICE:x{{}} }}",
    "glued to a number": f"SELECT * WHERE {{ <s> <p> 1SERVICE<{CANARY}>{{}} }}",
    "keyword then prefix": f"PREFIX : <{CANARY}> SELECT * WHERE {{ SERVICE:x {{}} }}",
    "local name dots": f"PREFIX ex: <http://e/> SELECT * {{ ?s ?p ex:a.b.SERVICE<{CANARY}>{{}} }}",
    "prefix IRI trick": f"PREFIX ex: <http://a:> SELECT * WHERE {{ ?s ?p ex:SERVICE <{CANARY}> {{}} }}",
    "quote behind less-than": "SELECT * WHERE { BIND(2 AS ?a) BIND(1 AS ?b) BIND(IF(?a<?b,'>',1)"
    f" AS ?z) SERVICE <{CANARY}> {{}} BIND('x' AS ?w) #'\n}}",
    "comment behind less-than": f"PREFIX : <{CANARY}> SELECT * WHERE {{ BIND(2 AS ?a) BIND(1 AS ?b)"
    " FILTER(?b<?a)SERVICE:x#>\n{} }",
    "escaped quote in a string": f'SELECT * WHERE {{ BIND("\\u0022" AS ?x) SERVICE <{CANARY}> {{ }} }}',
    "escaped line break in a comment": f"SELECT * WHERE {{ # \\u000A SERVICE <{CANARY}> {{ }}\n }}",
    "glued FILTER before": f"SELECT * WHERE {{ <s> <p> true FILTERregex('a','a') SERVICE<{CANARY}>{{}} }}",
}


@pytest.mark.parametrize("query", SERVICE_QUERIES.values(), ids=SERVICE_QUERIES.keys())
def test_service_is_refused(query: str) -> None:
    message = refusal(query)
    assert message.startswith("SERVICE: this endpoint queries no other endpoint (line ")


def test_service_refusal_says_where() -> None:
    assert refusal("SELECT *\nWHERE {\n  SERVICE <x> { }\n}").endswith("(line 3, column 3)")
    escaped = refusal("ASK {\n \\u0053ERVICE <x> { } }")
    assert escaped.endswith("(line 2, column 2, once \\u escapes are replaced)")


HARMLESS_SERVICE = {
    "string": 'SELECT * WHERE { ?s ?p "SERVICE" }',
    "single quotes": "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1:9/> { }' }",
    "long string": "SELECT * WHERE { ?s ?p '''a\nSERVICE <http://127.0.0.1:9/> {\n} '' ' ''' }",
    "long double string": 'SELECT * WHERE { ?s ?p """x " "" SERVICE ?u { } \\""" """ }',
    "escaped string": 'SELECT * WHERE { ?s ?p "\\u0053ERVICE <http://127.0.0.1:9/> { }" }',
    "IRI": "SELECT * WHERE { ?s ?p <http://x/SERVICE> }",
    "IRI then group": "SELECT * WHERE { GRAPH <http://x/SERVICE> { ?s ?p ?o } }",
    "comment": "SELECT * WHERE { ?s ?p ?o # SERVICE <http://127.0.0.1:9/> { }\n}",
    "prefixed name": "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:SERVICE ?o }",
    "prefixed object": "PREFIX ex: <http://x/> SELECT * WHERE { ?s a ex:Service . ?s ?p ?o }",
    "graph named service": "PREFIX ex: <http://x/> SELECT * WHERE { GRAPH ex:service { ?s ?p ?o } }",
    "predicate before OPTIONAL": "PREFIX ex: <x:> SELECT * { ?s ex:SERVICE ?o OPTIONAL { ?o ?p ?q } }",
    "variable": "SELECT ?SERVICE WHERE { ?SERVICE ?p ?o }",
    "variable, no WHERE": "SELECT ?service ?x { ?x ?p ?service }",
    "function argument": 'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SERVICE")) }',
}


@pytest.mark.parametrize("query", HARMLESS_SERVICE.values(), ids=HARMLESS_SERVICE.keys())
def test_the_word_service_elsewhere_is_harmless(query: str) -> None:
    assert check_query(query).form == QueryForm.SELECT


def _literal(text: str, quote: str) -> str:
    """``text`` as a SPARQL string literal between ``quote`` (one of the four forms)."""
    text = text.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    if len(quote) == 1:
        text = text.replace("\n", "\\n").replace("\r", "\\r")
    return quote + text + quote


@given(
    before=st.text(st.characters(codec="utf-8"), max_size=30),
    after=st.text(st.characters(codec="utf-8"), max_size=30),
    quote=st.sampled_from(["'", '"', "'''", '"""']),
    word=st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "\\u0053ERVICE"]),
)
def test_any_string_literal_holding_service_is_harmless(
    before: str, after: str, quote: str, word: str
) -> None:
    literal = _literal(f"{before}{word} <{CANARY}> {{ }}{after}", quote)
    assert check_query(f"SELECT * WHERE {{ ?s ?p {literal} }}").form == QueryForm.SELECT


@given(
    case=st.lists(st.booleans(), min_size=7, max_size=7),
    escape=st.sampled_from([None, 0, 3, 6]),
    silent=st.sampled_from(["", "SILENT", "silent", "Silent"]),
    separators=st.lists(
        st.sampled_from(["", " ", "\n", "\t", "#c\n", " # SERVICE {\n"]), min_size=2, max_size=2
    ),
    target=st.sampled_from([f"<{CANARY}>", "?u", "$u", ":x", "ex:x"]),
    glue=st.sampled_from(
        ["", "?s ?p ?o . ", "?s ?p true ", "?s ?p true", "?s ?p 1", "?s ?p ex:a.b."]
    ),
    context=st.sampled_from(
        [
            "{ X }",
            "{ ?s ?p ?o OPTIONAL { X } }",
            "{ { } UNION { X } }",
            "{ FILTER EXISTS { X } }",
            "{ GRAPH ?g { X } }",
            "{ MINUS { X } }",
            "{ { SELECT * WHERE { X } } }",
            "{ FILTER(!EXISTS { X }) }",
        ]
    ),
)
def test_any_spelling_of_a_service_clause_is_refused(
    case: list[bool],
    escape: int | None,
    silent: str,
    separators: list[str],
    target: str,
    glue: str,
    context: str,
) -> None:
    letters = [c.upper() if up else c.lower() for c, up in zip("service", case)]
    if escape is not None:
        letters[escape] = f"\\u{ord(letters[escape]):04X}"
    keyword = "".join(letters)
    if silent:
        keyword += separators[0] + silent
    clause = glue + keyword + separators[1] + target + " { ?s ?p ?o }"
    prologue = f"PREFIX : <{CANARY}> PREFIX ex: <http://a:> "
    assert refusal(prologue + "SELECT * WHERE " + context.replace("X", clause)).startswith(
        "SERVICE"
    )


# --- updates --------------------------------------------------------------------------------

UPDATES = [
    ("LOAD", f"LOAD <{CANARY}x>"),
    ("LOAD", f"LOAD SILENT <{CANARY}x> INTO GRAPH <g>"),
    ("INSERT", "INSERT DATA { <s> <p> <o> }"),
    ("INSERT", "INSERT { ?s <p> 1 } WHERE { ?s ?p ?o }"),
    ("DELETE", "DELETE DATA { <s> <p> <o> }"),
    ("DELETE", "DELETE WHERE { ?s ?p ?o }"),
    ("CLEAR", "CLEAR ALL"),
    ("DROP", "DROP GRAPH <g>"),
    ("CREATE", "CREATE GRAPH <g>"),
    ("COPY", "COPY DEFAULT TO <g>"),
    ("MOVE", "MOVE DEFAULT TO <g>"),
    ("ADD", "ADD DEFAULT TO <g>"),
    ("WITH", "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"),
    ("INSERT", "insert data { <s> <p> <o> }"),
    ("DELETE", "PREFIX ex: <http://x/> BASE <http://y/> DELETE WHERE { ex:s ?p ?o }"),
    ("CLEAR", "SELECT * WHERE { } ; CLEAR DEFAULT"),
    ("INSERTDATA", "INSERTDATA{<s> <p> <o>}"),
]


@pytest.mark.parametrize(("word", "update"), UPDATES)
def test_updates_are_refused(word: str, update: str) -> None:
    message = refusal(update)
    assert message.startswith(f"{word}: this endpoint refuses updates (line 1, column ")


def test_function_names_and_terms_are_no_update_keywords() -> None:
    query = (
        "PREFIX ex: <http://x/> SELECT ?insert WHERE { ?insert ex:delete ?o ; ex:p 'DROP' , <x:LOAD> ."
        " FILTER(STRSTARTS(STR(?o), 'a') && STRENDS(?o, 'b') && REPLACE(?o, 'c', 'd') != '')"
        " BIND(COALESCE(?o) AS ?with) } # CLEAR ALL"
    )
    assert check_query(query).form == QueryForm.SELECT


# --- nesting --------------------------------------------------------------------------------


def test_2500_nested_braces_are_refused_as_too_deep() -> None:
    query = "SELECT * WHERE " + "{" * 2500 + "}" * 2500
    assert refusal(query) == "nested more than 64 levels deep (line 1, column 80)"


NESTED = {
    "braces": lambda n: "SELECT * WHERE " + "{" * n + "}" * n,
    "parentheses": lambda n: "SELECT * WHERE { FILTER" + "(" * n + "true" + ")" * n + " }",
    "collections": lambda n: "SELECT * WHERE { ?s ?p " + "(" * n + "1" + ")" * n + " }",
    "blank nodes": lambda n: "SELECT * WHERE { ?s ?p " + "[ <p> " * n + "1" + " ]" * n + " }",
    "negations": lambda n: "SELECT * WHERE { FILTER(" + "!" * n + "true) }",
    "reifiers": lambda n: (
        "SELECT * WHERE { "
        + "<< " * n
        + "<http://s> <http://p> <http://o>"
        + " >> <http://p> <http://o>" * n
        + " }"
    ),
}


@pytest.mark.parametrize("nested", NESTED.values(), ids=NESTED.keys())
def test_nesting_beyond_the_limit_is_refused(nested: Callable[[int], str]) -> None:
    """``{ ( [ <<`` count alike, and so do prefix operators in a row (``!!!…``)."""
    assert check_query(nested(60)).form == QueryForm.SELECT
    assert refusal(nested(70)).startswith("nested more than 64 levels deep (line 1, column ")


WRAPPERS = [  # group patterns around a leaf: opening, closing, levels
    ("{ ", " }", 1),
    ("OPTIONAL { ", " }", 1),
    ("{ } UNION { ", " }", 1),
    ("FILTER EXISTS { ", " }", 1),
    ("FILTER (NOT EXISTS { ", " })", 2),
    ("GRAPH ?g { ", " }", 1),
    ("MINUS { ", " }", 1),
    ("{ SELECT * WHERE { ", " } }", 2),
]


@given(
    wrappers=st.lists(st.sampled_from(WRAPPERS), max_size=40),
    parentheses=st.integers(0, 40),
    blank_nodes=st.integers(0, 40),
    max_depth=st.integers(4, 64),
)
def test_nesting_up_to_the_limit_passes_and_beyond_is_refused(
    wrappers: list[tuple[str, str, int]], parentheses: int, blank_nodes: int, max_depth: int
) -> None:
    leaf = (
        "?s ?p "
        + "[ ?q " * blank_nodes
        + "1"
        + " ]" * blank_nodes
        + " FILTER("
        + "(" * parentheses
        + "?o < 3"
        + ")" * parentheses
        + ")"
    )
    depth = 1 + max(blank_nodes, 1 + parentheses)  # WHERE { … }, then the deeper part
    for opening, closing, levels in wrappers:
        leaf = opening + leaf + closing
        depth += levels
    query = "SELECT * WHERE { " + leaf + " }"
    limits = Limits(max_depth=max_depth)
    if depth <= max_depth:
        assert check_query(query, limits).form == QueryForm.SELECT
    else:
        assert refusal(query, limits).startswith(f"nested more than {max_depth} levels deep")


def test_long_chains_are_refused_by_their_tokens() -> None:
    """``1+1+…`` with 7,000 operands (14 KB) segfaults pyoxigraph 0.5.13 when evaluated."""
    query = "SELECT * WHERE { BIND(" + "+".join(["1"] * 7000) + " AS ?x) }"
    assert refusal(query).startswith("more than 8,000 tokens (line 1, column ")
    chain = "SELECT * WHERE { BIND(" + "+".join(["1"] * 3000) + " AS ?x) }"
    assert check_query(chain).form == QueryForm.SELECT


def test_long_queries_are_refused() -> None:
    query = "ASK {}"
    assert check_query(query + " " * (100_000 - len(query))).form == QueryForm.ASK
    assert refusal(query + " " * (100_001 - len(query))) == (
        "100,001 characters: at most 100,000 are accepted"
    )


# --- the guard's own cost (issue 11, item 4) ------------------------------------------------


def many_variables(count: int) -> str:
    """The issue's query: ``count`` variables (7,985: 55 KB), then ``\\u0053ERVICE``, which
    only the second reading (escapes replaced) sees: both readings are lexed whole."""
    names = " ".join(f"?v{i}" for i in range(count))
    return f"SELECT {names} WHERE {{ \\u0053ERVICE <{CANARY}> {{ }} }}"


def fastest_check(query: str, tries: int = 5) -> float:
    """The fewest seconds ``check_query`` took to refuse ``query`` in ``tries``."""
    best = float("inf")
    for _ in range(tries):
        started = time.perf_counter()
        refusal(query)
        best = min(best, time.perf_counter() - started)
    return best


def test_7985_variables_then_an_escaped_service_are_refused_in_linear_time() -> None:
    """Before: 50-90 ms for the 55 KB query, read twice; now about 17 ms (3.5 µs a token a
    reading before, 1 µs now), and eight times the text costs eight times the time."""
    query = many_variables(7_985)
    assert len(query) > 54_000
    assert refusal(query) == (
        "SERVICE: this endpoint queries no other endpoint "
        "(line 1, column 54801, once \\u escapes are replaced)"
    )
    small, large = fastest_check(many_variables(998)), fastest_check(query)
    assert large < 0.1, f"{large * 1000:.0f} ms"
    assert large < 16 * small, f"{small * 1000:.1f} ms → {large * 1000:.1f} ms: not linear"


def test_verdicts_remember_refusals_and_passes_within_their_bound() -> None:
    verdicts = Verdicts(size=2)
    hostile = many_variables(7_985)
    message = refusal(hostile)
    assert verdicts.known(hostile) is None
    with pytest.raises(QueryRefused) as checked:
        verdicts.check(hostile)
    with pytest.raises(QueryRefused) as remembered:  # by its digest, without a second check
        verdicts.known(hostile)
    assert str(checked.value) == str(remembered.value) == message
    assert verdicts.check("ASK {}").form == QueryForm.ASK
    assert verdicts.known("ASK {}") == check_query("ASK {}")
    verdicts.check("SELECT * {}")  # a third verdict: the least recently used goes
    assert len(verdicts) == 2
    assert verdicts.known(hostile) is None


# --- VALUES ---------------------------------------------------------------------------------


def nested_values(levels: int) -> str:
    """``SELECT * WHERE { VALUES ?v0 {1 2} { VALUES ?v1 {1 2} { … } } }``, ``levels`` deep."""
    opening = "".join(f"VALUES ?v{i} {{1 2}} {{ " for i in range(levels))
    return "SELECT * WHERE { " + opening + "}" * levels + " }"


def test_nine_nested_values_blocks_are_refused() -> None:
    message = refusal(nested_values(9))
    assert message == "VALUES in 3 nested groups with VALUES (at most 2) (line 1, column 56)"


def test_two_nested_values_blocks_pass_and_three_do_not() -> None:
    assert check_query(nested_values(2)).form == QueryForm.SELECT
    assert refusal(nested_values(3)).startswith("VALUES in 3 nested groups")
    assert check_query(nested_values(3), Limits(max_values_nesting=3)).form == QueryForm.SELECT


def test_values_groups_each_holding_the_next_twice_are_refused() -> None:
    """Seven levels of this take pyoxigraph 0.7 s, eight times more for each further one."""

    def level(n: int) -> str:
        inner = level(n - 1) if n > 1 else "{}"
        return f"{{ VALUES ?a {{1 2}} {inner} {inner} }}"

    assert refusal("SELECT * WHERE " + level(9)).startswith("VALUES")


def test_values_nesting_does_not_depend_on_order() -> None:
    later = "SELECT * WHERE { { { VALUES ?c {1} } VALUES ?b {1} } VALUES ?a {1} }"
    assert refusal(later).startswith("VALUES in 3 nested groups")
    trailing = "SELECT * WHERE { { VALUES ?b {1} { VALUES ?c {1} } } } VALUES ?a {1}"
    assert refusal(trailing).startswith("VALUES in 3 nested groups")
    siblings = "SELECT * WHERE { VALUES ?a {1} { VALUES ?b {1} } { VALUES ?c {1} } }"
    assert check_query(siblings).form == QueryForm.SELECT


def test_more_than_16_values_blocks_are_refused() -> None:
    blocks = " ".join(f"{{ VALUES ?v{i} {{ 1 }} }}" for i in range(17))
    assert refusal(f"SELECT * WHERE {{ {blocks} }}").startswith("VALUES: at most 16 blocks")
    sixteen = " ".join(f"VALUES ?v{i} {{ 1 2 }}" for i in range(16))
    assert check_query(f"SELECT * WHERE {{ {sixteen} }}").form == QueryForm.SELECT


def test_values_that_join_into_too_many_rows_are_refused() -> None:
    """Twenty blocks of two rows took 2.4 s; the product of the rows bounds such joins."""
    rows = " ".join(str(n) for n in range(20))
    four = " ".join(f"VALUES ?v{i} {{ {rows} }}" for i in range(4))  # 160,000 rows
    assert refusal(f"SELECT * WHERE {{ {four} }}").startswith("VALUES: at most 16 blocks, 100,000")
    three = " ".join(f"VALUES ?v{i} {{ {rows} }}" for i in range(3))  # 8,000 rows
    assert check_query(f"SELECT * WHERE {{ {three} }}").form == QueryForm.SELECT


def test_values_rows_are_counted_as_written() -> None:
    table = "VALUES (?a ?b) { (1 2) (3 UNDEF) () }"  # three rows
    typed = 'VALUES ?y { "2025"^^<http://www.w3.org/2001/XMLSchema#gYear> "x"@de <x> }'
    query = f"SELECT * WHERE {{ {table} {typed} }}"  # 3 × 3 rows
    assert check_query(query, Limits(max_values_rows=9)).form == QueryForm.SELECT
    assert refusal(query, Limits(max_values_rows=8)).startswith("VALUES")


def test_values_as_a_name_is_no_values_block() -> None:
    query = "PREFIX ex: <x:> SELECT ?values WHERE { GRAPH ex:values { ?values ex:values ?o } }"
    assert check_query(query, Limits(max_values_blocks=0)).form == QueryForm.SELECT


# --- string growth --------------------------------------------------------------------------


def test_concat_doubling_is_left_to_the_worker_memory_limit() -> None:
    """Not refused: no lexical rule bounds memory (see the module docstring).

    Measured: 2**29 characters after 5 s, an abort at 2**31 under a 3 GiB RLIMIT_AS. The same
    growth needs no BIND chain (``REPLACE(?s, ".", "$0$0")`` nested, ``GROUP_CONCAT`` over a
    join), so the worker's memory limit ends it and the pool replaces the worker.
    """
    binds = " ".join(f"BIND(CONCAT(?a{i},?a{i}) AS ?a{i + 1})" for i in range(40))
    assert check_query(f'SELECT ?x WHERE {{ BIND("a" AS ?a0) {binds} }}').form == QueryForm.SELECT


# --- forms, reading, errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", QueryForm.SELECT),
        ("# a comment\nPREFIX ex: <http://x/>\nBASE <http://y/>\nselect distinct ?s {}", "SELECT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", QueryForm.CONSTRUCT),
        ("PREFIX ex:<http://x/> construct { ?s ex:p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/>", QueryForm.DESCRIBE),
        ("ASK {}", QueryForm.ASK),
        ("ASK{}", QueryForm.ASK),
        ('VERSION "1.2" SELECT * {}', QueryForm.SELECT),
    ],
)
def test_query_form(query: str, form: str) -> None:
    assert check_query(query).form == form


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "# only a comment", "PREFIX ex: <http://x/>", "hello world", "{ ?s ?p ?o }"],
)
def test_text_that_is_no_query_is_refused(text: str) -> None:
    assert refusal(text) == "not a SPARQL query (SELECT, CONSTRUCT, DESCRIBE or ASK)"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('SELECT * WHERE { ?s ?p "abc }', "unterminated string (line 1, column 24)"),
        ("SELECT *\nWHERE {\n  ?s ?p 'x\n}", "unterminated string (line 3, column 9)"),
        # '' is an empty string, for the engine too; the third quote opens the unterminated one
        ("SELECT * WHERE { ?s ?p '''abc }", "unterminated string (line 1, column 26)"),
        (
            "SELECT * WHERE { ?s <http://x/a b> ?o }",
            "unterminated or malformed IRI (line 1, column 21)",
        ),
        ("SELECT * WHERE { ?s ?p <http://x", "unterminated or malformed IRI (line 1, column 24)"),
        (
            "PREFIX filter: <x:> ASK { FILTER:f(?a<?b) }",
            "'filter:f(' may be FILTER :f( or a predicate (line 1, column 27)",
        ),
    ],
)
def test_unreadable_queries_are_refused_with_the_position(query: str, message: str) -> None:
    assert refusal(query) == message


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o FILTER(?o<3) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?a<=?b&&?c>?d||STRLEN(?o)<3) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o < -1 && true<false) }",
        "SELECT * WHERE { BIND(IF(?a<?b,'>',1) AS ?z) } # the quote is a string, not an IRI",
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(?s)<3)",
        "SELECT * WHERE { { SELECT ?a (?a<?b AS ?c) WHERE { } ORDER BY ?a (?a<?b) } }",
        "SELECT * WHERE { ?s ?p (<http://x/a#b> <http://x/c#d>) }",
        "SELECT * WHERE { ?s a (<http://x/a#b> <http://x/it's>) }",
        "SELECT * WHERE { VALUES (?p ?o) { (<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        " <http://www.w3.org/2002/07/owl#Class>) } }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?p IN (<http://x/#a>, <http://x/#b>)) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?p = <http://www.w3.org/2000/01/rdf-schema#label>) }",
        "SELECT * WHERE { ?s (<http://x/#p>|^<http://x/#q>)/!(<http://x/#r>) ?o }",
        "SELECT * WHERE { BIND(<<(<http://s> <http://p#x> <http://o>)>> AS ?t) }",
        "SELECT * WHERE { << <http://s> <http://p#x> <http://o> >> <http://p#y> ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER(<http://x/#f>(?o) < <http://x/#g>(?o)) }",
    ],
)
def test_less_than_and_iris_are_told_apart(query: str) -> None:
    assert check_query(query).form == QueryForm.SELECT


@given(st.text(max_size=200))
def test_any_text_is_answered_or_refused_in_one_line(text: str) -> None:
    try:
        check_query(text)
    except QueryRefused as error:
        assert "\n" not in str(error)


FRAGMENTS = [
    "SELECT",
    "*",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    "<<",
    ">>",
    "'",
    '"',
    "'''",
    "#",
    "\n",
    " ",
    "?x",
    "ex:a",
    "SERVICE",
    "VALUES",
    "\\u0022",
    "\\u0053",
    "<http://x/#a>",
    "FILTER",
    "true",
    "1",
    ".",
    ",",
    "'s'",
    "a",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_any_token_soup_is_answered_or_refused(fragments: list[str]) -> None:
    try:
        check_query("".join(fragments))
    except QueryRefused as error:
        assert "\n" not in str(error)


def test_refusals_are_query_errors() -> None:
    assert issubclass(QueryRefused, QueryError)


# --- real queries ---------------------------------------------------------------------------

SAMPLE_VALUES = {  # a value for each parameter type of querying.PARAMETER_TYPES
    "gYear": "2025",
    "kreisschluessel": "06413",
    "notation": "2",
    "iri": "https://aqb-rdf.example/id/gebietskoerperschaft/06413",
}


@pytest.mark.parametrize("name", available_queries())
def test_named_queries_pass_as_written_and_bound(name: str) -> None:
    query = find_query(name)
    form = check_query(query.text).form
    params = {p.name: SAMPLE_VALUES[p.type.name] for p in query.parameters}
    assert check_query(bind(query, params)).form == form


def test_the_named_queries_are_all_there() -> None:
    assert {"budget-per-region-year", "projects-per-massnahmenart", "region"} <= set(
        available_queries()
    )
    assert {"regions-without-project", "total-per-year"} <= set(available_queries())


MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")


def w3c_operations() -> list[tuple[str, str, str, str]]:
    """``(test, parameter, text, expected format)`` for every request of the W3C manifest.

    ``parameter`` is ``query`` or ``update``, taken from the path's query string, from a form
    body, or from a body sent directly (``application/sparql-query``, ``…-update``).
    """
    graph = Graph().parse(MANIFEST, format="turtle")
    operations = []
    for test, action in sorted(graph.subject_objects(MF.action)):
        requests = graph.value(action, HT.requests)
        assert isinstance(requests, Node)
        for request in Collection(graph, requests):
            fields = parse_qs(str(graph.value(request, HT.absolutePath)).partition("?")[2])
            expected = str(graph.value(graph.value(request, HT.resp), MF.expectedFormat) or "")
            body = graph.value(request, HT.body)
            chars = str(graph.value(body, CNT.chars)) if body is not None else ""
            headers = graph.value(request, HT.headers)
            content_type = ""
            for header in Collection(graph, headers) if headers is not None else []:
                if str(graph.value(header, HT.fieldName)).lower() == "content-type":
                    content_type = str(graph.value(header, HT.fieldValue))
            name = str(test).rsplit("#", 1)[1]
            media_type = content_type.partition(";")[0].strip()
            if media_type == "application/x-www-form-urlencoded" or chars.startswith(FORM_FIELDS):
                for key, values in parse_qs(chars).items():  # with or without the right type
                    fields.setdefault(key, []).extend(values)
            elif chars:  # a direct POST; some tests send it with a wrong media type on purpose
                kind = media_type.removeprefix("application/sparql-")
                kind = kind if kind in ("query", "update") else "update" * ("update" in name)
                fields.setdefault(kind or "query", []).append(chars)
            for parameter in ("query", "update"):
                operations += [
                    (name, parameter, text, expected) for text in fields.get(parameter, [])
                ]
    return operations


FORM_FIELDS = ("query=", "update=")
W3C_OPERATIONS = w3c_operations()
W3C_QUERIES = [op for op in W3C_OPERATIONS if op[0].startswith("query_") and op[1] == "query"]
W3C_UPDATES = [op for op in W3C_OPERATIONS if op[1] == "update"]
FORMATS = {"boolean": {"ASK"}, "tabular": {"SELECT"}, "RDF": {"CONSTRUCT", "DESCRIBE"}}


def test_every_w3c_query_test_is_read() -> None:
    assert len({name for name, *_ in W3C_QUERIES}) == 13  # every query_* test
    updating = {name for name, *_ in W3C_UPDATES}
    assert len(updating) == 14  # update_*, bad_update_* and bad_multiple_updates


@pytest.mark.parametrize(
    ("name", "parameter", "text", "expected"), W3C_QUERIES, ids=[op[0] for op in W3C_QUERIES]
)
def test_w3c_protocol_queries_pass(name: str, parameter: str, text: str, expected: str) -> None:
    assert check_query(text).form in FORMATS[expected]


@pytest.mark.parametrize(
    ("name", "parameter", "text", "expected"), W3C_UPDATES, ids=[op[0] for op in W3C_UPDATES]
)
def test_w3c_protocol_updates_are_refused(
    name: str, parameter: str, text: str, expected: str
) -> None:
    assert "this endpoint refuses updates" in refusal(text)


def test_literal_helper_round_trips_through_rdflib() -> None:
    """The literals built by ``_literal`` mean their text: checked with rdflib's parser."""
    for quote in ("'", '"', "'''", '"""'):
        text = "a'b\"c\\d\ne ''' \"\"\""
        graph = Graph().parse(data=f"<x:s> <x:p> {_literal(text, quote)} .", format="turtle")
        assert graph.value(URIRef("x:s"), URIRef("x:p")) == Literal(text)
