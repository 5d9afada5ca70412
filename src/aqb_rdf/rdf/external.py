"""IRIs of the datasets aqb-rdf links to, minted from the reference tables' codes (pure).

One function per target, so the link policy can be read in one place; README.md ("Links to
other datasets") says which property carries which link and why.

- Wikidata: ``http://www.wikidata.org/entity/Q…``, the concept IRI of an item (not its page).
- NUTS: ``http://data.europa.eu/nuts/code/{code}``, the EU Publications Office's NUTS vocabulary.
- DCAT-AP.de political geocoding: ``http://dcat-ap.de/def/politicalGeocoding/districtKey/{key}``.
"""

from __future__ import annotations

import re

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
NUTS_CODE = "http://data.europa.eu/nuts/code/"
DCATDE_DISTRICT_KEY = "http://dcat-ap.de/def/politicalGeocoding/districtKey/"

_QID = re.compile(r"Q[1-9][0-9]*")
_NUTS3 = re.compile(r"[A-Z]{2}[0-9A-Z]{3}")


def is_qid(text: str) -> bool:
    """``"Q3042"`` is a Wikidata item id; ``"q3042"``, ``"Q03042"``, ``"P440"`` are not."""
    return _QID.fullmatch(text) is not None


def is_nuts3(text: str) -> bool:
    return _NUTS3.fullmatch(text) is not None


def wikidata_iri(qid: str) -> str:
    """The entity IRI of an item: ``"Q3042"`` → ``http://www.wikidata.org/entity/Q3042``."""
    if not is_qid(qid):
        raise ValueError(f"not a Wikidata item id: {qid!r}")
    return WIKIDATA_ENTITY + qid


def qid_of(iri: str) -> str | None:
    """The item id of a Wikidata entity IRI, or None for any other IRI."""
    if iri.startswith(WIKIDATA_ENTITY) and is_qid(iri[len(WIKIDATA_ENTITY) :]):
        return iri[len(WIKIDATA_ENTITY) :]
    return None


def nuts_iri(code: str) -> str:
    """``"DE713"`` → ``http://data.europa.eu/nuts/code/DE713``."""
    if not is_nuts3(code):
        raise ValueError(f"not a NUTS 3 code: {code!r}")
    return NUTS_CODE + code


def dcatde_district_key_iri(key: str) -> str:
    """``"06413"`` → ``http://dcat-ap.de/def/politicalGeocoding/districtKey/06413``."""
    if not re.fullmatch(r"[0-9]{5}", key):
        raise ValueError(f"not a district key: {key!r}")
    return DCATDE_DISTRICT_KEY + key


def describe(iri: str) -> str:
    """A short label for a link target: ``"Wikidata Q3042"``, ``"NUTS DE713"`` …"""
    for base, name in (
        (WIKIDATA_ENTITY, "Wikidata"),
        (NUTS_CODE, "NUTS"),
        (DCATDE_DISTRICT_KEY, "DCAT-AP.de"),
    ):
        if iri.startswith(base):
            return f"{name} {iri[len(base) :]}"
    return iri
