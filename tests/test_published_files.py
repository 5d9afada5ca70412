"""The registry of published files (rdf/files.py) and the digests of a release.

One real build of ``data/agreements``: the release holds exactly the registered files, the
catalogue and VoID describe them as the registry says, and the release id combines the same
SHA-256s the catalogue states, each file hashed once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from aqb_rdf.publish import dcat, digests, dumps, metadata, release, void
from aqb_rdf.publish.release import CURRENT, publish, release_id
from aqb_rdf.rdf import files
from aqb_rdf.rdf.files import PUBLISHED_FILES, Role
from aqb_rdf.rdf.iris import DEFAULT_BASE, Iris
from aqb_rdf.rdf.namespaces import DCAT, DCTERMS, RDF, SPDX, VOID
from aqb_rdf.sparql.store import DATASET_FILE
from aqb_rdf.web.app import DUMP_TYPES

NOT_DUMPS = (Role.DESCRIPTION, Role.INDEX, Role.RECORD)


@pytest.fixture(scope="module")
def built(built_default_dataset: Path) -> Path:
    """The current release folder of the session's build of ``data/agreements`` (conftest.py)."""
    return (built_default_dataset / CURRENT).resolve()


def test_names_are_unique_and_every_view_comes_from_the_registry() -> None:
    names = [file.name for file in PUBLISHED_FILES]
    assert len(set(names)) == len(names)
    assert release.LINKED == tuple(f.name for f in files.DOWNLOADS) == tuple(names[:-2])
    assert files.SEARCH_INDEX.name == names[-2]  # in the release, not linked nor downloaded
    assert release.RECORD == names[-1] == files.RELEASE_RECORD.name
    assert dumps.DUMPS == tuple(f.name for f in PUBLISHED_FILES if f.role not in NOT_DUMPS)
    assert metadata.DESCRIPTIONS == (metadata.CATALOG, metadata.VOID) == ("catalog.ttl", "void.ttl")
    assert tuple(dcat.FORMATS) == tuple(f.name for f in files.DISTRIBUTIONS)
    assert void.RDF_DUMPS == ("aqb.ttl", "aqb.nt", "aqb.jsonld", "aqb.trig")
    assert DATASET_FILE == files.TRIG_DUMP.name
    assert DUMP_TYPES == {f.name: f.format.content_type for f in files.DOWNLOADS}
    assert all(f.title_de and f.title_en and f.format.eu_file_type for f in files.DISTRIBUTIONS)


def test_a_release_holds_exactly_the_registered_files(built: Path) -> None:
    assert {p.name for p in built.iterdir() if not p.name.startswith(".")} >= set(release.LINKED)
    # Besides them only the record of when the release became current, which is not part of
    # the release (nor of its id).
    assert sorted(p.name for p in built.iterdir() if p.is_file()) == sorted(
        [release.PUBLISHED, *(f.name for f in PUBLISHED_FILES)]
    )


def test_the_catalogue_describes_each_distribution_as_registered(built: Path) -> None:
    catalogue = Graph().parse(built / metadata.CATALOG, format="turtle")
    for file in files.DISTRIBUTIONS:
        distribution = Iris(DEFAULT_BASE).distribution(file.name)
        assert (distribution, RDF.type, DCAT.Distribution) in catalogue
        assert catalogue.value(distribution, DCAT.mediaType) == URIRef(file.format.iana_iri)
        assert catalogue.value(distribution, DCTERMS["format"]) == URIRef(
            str(file.format.eu_file_type_iri)
        )
        checksum = catalogue.value(distribution, SPDX.checksum)
        stated = catalogue.value(checksum, SPDX.checksumValue)
        assert str(stated) == digests.file_sha256(built / file.name)
    described = set(catalogue.objects(None, DCAT.distribution))
    assert len(described) == len(files.DISTRIBUTIONS)


def test_void_lists_the_rdf_dumps(built: Path) -> None:
    description = Graph().parse(built / metadata.VOID, format="turtle")
    listed = {str(o).rsplit("/", 1)[1] for o in description.objects(None, VOID.dataDump)}
    assert listed == {f.name for f in files.DISTRIBUTIONS if f.is_rdf}


def test_the_release_id_combines_the_catalogues_digests(built: Path) -> None:
    every = [
        (name, digests.file_sha256(built / name)) for name in (*release.LINKED, release.RECORD)
    ]
    assert built.name == release_id(built) == digests.combined_digest(every)
    catalogue = Graph().parse(built / metadata.CATALOG, format="turtle")
    version = catalogue.value(Iris(DEFAULT_BASE).dataset, DCAT.version)
    assert str(version) == digests.combined_digest(every[: len(files.DISTRIBUTIONS)])


def test_digests_the_build_computed_are_not_computed_again(tmp_path: Path) -> None:
    def fill(folder: Path) -> dict[str, str]:
        for name in release.LINKED:
            (folder / name).write_text(name, encoding="utf-8")
        return {"aqb.ttl": "0" * 64}  # what the catalogue would have stated

    folder = publish(tmp_path / "out", fill)
    assert folder.name == release_id(folder, {"aqb.ttl": "0" * 64})
    assert folder.name != release_id(folder)  # so aqb.ttl was not read again


def test_the_release_id_follows_the_content(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "aqb.trig").write_bytes(b"one")
    first = release_id(folder)
    (folder / "aqb.trig").write_bytes(b"two")
    assert release_id(folder) != first
    (folder / "aqb.trig").write_bytes(b"one")
    assert release_id(folder) == first
