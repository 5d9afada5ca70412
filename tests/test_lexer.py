"""The SPARQL lexer (sparql/lexer.py): code apart from strings, IRIs and comments."""

from __future__ import annotations

import pytest

from aqb_rdf.errors import QueryError
from aqb_rdf.sparql.execution import declares_dataset
from aqb_rdf.sparql.lexer import Token, match_token, tokenize, unescape
from aqb_rdf.sparql.named_queries import parse_named_query


def kinds(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(text)]


def test_a_query_splits_into_its_tokens() -> None:
    text = 'SELECT ?s WHERE { ?s rdfs:label "x"@de ; ex:n 1.5e3 . FILTER(?n<=2) } # done'
    assert kinds(text) == [
        ("name", "SELECT"), ("var", "?s"), ("name", "WHERE"), ("punct", "{"), ("var", "?s"),
        ("name", "rdfs:label"), ("string", '"x"'), ("lang", "@de"), ("punct", ";"),
        ("name", "ex:n"), ("number", "1.5e3"), ("punct", "."), ("name", "FILTER"),
        ("punct", "("), ("var", "?n"), ("punct", "<="), ("number", "2"), ("punct", ")"),
        ("punct", "}"),
    ]  # fmt: skip


def test_tokens_know_where_they_start() -> None:
    text = "ASK  {\n  <urn:a> ?p 'b' }"
    assert [text[t.start : t.start + len(t.text)] for t in tokenize(text)] == [
        t.text for t in tokenize(text)
    ]
    assert list(tokenize(text))[2] == Token("iri", "<urn:a>", 9)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("'''a\n'b'\n'''", "string"),
        ('"""x""y"""', "string"),
        ('"a\\"b"', "string"),
        ("<http://example.org/a#b>", "iri"),
        ("<urn:x\\u0041>", "iri"),
        ("$FROM", "var"),
        ("ex:a.b", "name"),
        ("_:b0", "name"),
    ],
)
def test_one_token(text: str, kind: str) -> None:
    assert kinds(text) == [(kind, text)]


def test_comments_and_white_space_are_skipped() -> None:
    assert kinds("# SELECT ?x\n  \t# <urn:a>\r\nASK {}") == [
        ("name", "ASK"), ("punct", "{"), ("punct", "}"),
    ]  # fmt: skip


def test_a_less_than_without_an_iri_after_it_is_punctuation() -> None:
    assert kinds("?a < ?b") == [("var", "?a"), ("punct", "<"), ("var", "?b")]
    assert match_token("<urn:a>", 0) == ("punct", "<")  # the caller decides what < starts


def test_an_unterminated_string_is_a_lone_quote() -> None:
    assert kinds("'abc")[0] == ("punct", "'")
    assert kinds('"abc\ndef"')[0] == ("punct", '"')


def test_unescape_replaces_codepoint_escapes() -> None:
    assert unescape("\\u0053ERVICE <\\U0001F600>") == "SERVICE <\U0001f600>"
    assert unescape("\\U00110000") == "\\U00110000"  # above U+10FFFF: no character


# -- its users ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ['SELECT ?y { ?s ?p "?year" }', "SELECT ?y {\n  # ?year\n}", "SELECT ?y { <urn:?year> ?p ?o }"],
)
def test_a_parameter_needs_its_variable_in_the_code(body: str) -> None:
    header = "# title: t\n# description: d\n# param: year (gYear, optional) y\n"
    with pytest.raises(QueryError, match="has no variable [?]year"):
        parse_named_query("q", header + body)
    bound = body.replace("?y ", "?year ").replace("{", "{\n  # {{values}}\n", 1)
    assert parse_named_query("q", header + bound).parameter("year") is not None


@pytest.mark.parametrize(
    ("query", "declares"),
    [
        ("SELECT * FROM<urn:g> {}", True),
        ('SELECT * { ?s ?p "x" } # FROM <urn:g>', False),
        ("SELECT * { ?s ex:FROM ?o }", False),
        ("SELECT * { ?s ?p 1 } VALUES ?FROM { 1 }", False),
    ],
)
def test_a_dataset_is_declared_by_the_keyword_only(query: str, declares: bool) -> None:
    assert declares_dataset(query) is declares
