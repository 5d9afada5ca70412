"""The vocabularies: defined once in ``rdf/namespaces.py``, written out nowhere else in src/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib.namespace
from rdflib import URIRef

import aqb_rdf
from aqb_rdf.rdf import namespaces
from aqb_rdf.rdf.namespaces import SH, STANDARD_PREFIXES, VOCABULARIES, XSD, Vocabulary

PACKAGE = Path(aqb_rdf.__file__).parent
HOME = PACKAGE / "rdf" / "namespaces.py"

ALLOWED: dict[str, set[str]] = {}
"""File (relative to the package) → vocabularies it may still write out, with the reason in a
comment. Empty: every module imports the namespace from ``rdf/namespaces.py``."""


def _source_files() -> list[Path]:
    """Every text file of the package (modules, templates, static files) but the home."""
    return [
        path
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".html", ".js", ".css"} and path != HOME
    ]


def test_the_package_has_source_files_to_check() -> None:
    names = {path.relative_to(PACKAGE).as_posix() for path in _source_files()}
    assert {"web/render/description.py", "publish/dcat.py", "push/sync.py"} <= names


def _offenders(prefix: str, root: Path, files: list[Path]) -> list[str]:
    """The files under ``root`` that write out the IRI of ``prefix`` without leave."""
    iri = str(VOCABULARIES[prefix])
    return [
        path.relative_to(root).as_posix()
        for path in files
        if iri in path.read_text(encoding="utf-8")
        and prefix not in ALLOWED.get(path.relative_to(root).as_posix(), set())
    ]


@pytest.mark.parametrize("prefix", sorted(VOCABULARIES))
def test_no_module_writes_out_a_vocabulary_iri(prefix: str) -> None:
    offenders = _offenders(prefix, PACKAGE, _source_files())
    assert offenders == [], f"{prefix}: IRI written out in {offenders}; import it instead"


def test_the_check_finds_a_vocabulary_iri_written_out(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text('XSD = "http://www.w3.org/2001/XMLSchema#"\n', encoding="utf-8")
    assert _offenders("xsd", tmp_path, [module]) == ["module.py"]
    assert _offenders("rdf", tmp_path, [module]) == []


def test_every_vocabulary_is_in_the_table() -> None:
    defined = {
        name: value
        for name, value in vars(namespaces).items()
        if isinstance(value, Vocabulary) and name.isupper()
    }
    assert set(map(str, defined.values())) == set(map(str, VOCABULARIES.values()))


@pytest.mark.parametrize(
    "prefix", ["rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org", "sh", "vann", "void",
               "dcat", "foaf"]
)  # fmt: skip
def test_a_vocabulary_rdflib_knows_has_rdflibs_iri(prefix: str) -> None:
    assert str(VOCABULARIES[prefix]) == str(getattr(rdflib.namespace, prefix.upper()))


def test_one_definition_serves_rdflib_and_pyoxigraph() -> None:
    assert XSD.integer == URIRef("http://www.w3.org/2001/XMLSchema#integer")
    plain = XSD + "integer"
    assert type(plain) is str
    literal = pyoxigraph.Literal("1", datatype=pyoxigraph.NamedNode(plain))
    assert literal.datatype.value == plain
    assert namespaces.RDF_TYPE == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_standard_prefixes_keep_their_order() -> None:
    assert list(STANDARD_PREFIXES) == [
        "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "prov", "org", "cpov", "schema",
        "dcat", "spdx", "oa", "skosxl",
    ]  # fmt: skip


@pytest.mark.slow  # starts a Python process
def test_the_sparql_workers_start_without_rdflib() -> None:
    """The pool respawns workers while it serves; rdflib would make each start 10 times slower."""
    check = "import sys, aqb_rdf.sparql.worker; print('rdflib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_terms_are_rdflib_iris_and_concatenation_gives_strings() -> None:
    assert SH.property == SH["property"] == URIRef("http://www.w3.org/ns/shacl#property")
    assert type(SH + "property") is str
    assert repr(XSD) == "Vocabulary('http://www.w3.org/2001/XMLSchema#')"
    with pytest.raises(AttributeError):
        XSD.__wrapped__  # noqa: B018 - special names are no terms
