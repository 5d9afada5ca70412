"""The schema.org ``Dataset`` the landing page embeds as JSON-LD, for dataset search engines (pure).

What Google Dataset Search reads (https://developers.google.com/search/docs/appearance/structured-data/dataset):
name, description, url, license, creator and publisher, keywords, the distributions
(``DataDownload`` with ``contentUrl`` and ``encodingFormat``), ``spatialCoverage`` and
``temporalCoverage``; the same facts as the DCAT-AP.de catalogue (:mod:`aqb_rdf.publish.dcat`),
in German, the dataset's language.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aqb_rdf.publish.dcat import HESSEN, KEYWORDS, LICENSE
from aqb_rdf.publish.void import DESCRIPTION, TITLE
from aqb_rdf.rdf.files import BY_NAME, DISTRIBUTIONS
from aqb_rdf.rdf.iris import Iris


@dataclass(frozen=True)
class Download:
    name: str
    size: int | None


def dataset(
    iris: Iris,
    publisher: tuple[str, str],
    downloads: Sequence[Download],
    years: tuple[str, str] | None,
) -> dict[str, Any]:
    """The ``Dataset`` node; ``publisher`` is (IRI, name), ``years`` the first and last."""
    organisation = {"@type": "GovernmentOrganization", "@id": publisher[0], "name": publisher[1]}
    distributions = [
        {
            "@type": "DataDownload",
            "name": BY_NAME[d.name].title_de,
            "contentUrl": str(iris.download(d.name)),
            "encodingFormat": BY_NAME[d.name].format.media_type,
            **({"contentSize": f"{d.size} B"} if d.size is not None else {}),
        }
        for d in downloads
        if BY_NAME.get(d.name) in DISTRIBUTIONS
    ]
    node: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(iris.dataset),
        "name": TITLE["de"],
        "alternateName": TITLE["en"],
        "description": DESCRIPTION["de"],
        "url": iris.base,
        "inLanguage": ["de", "en"],
        "isAccessibleForFree": True,
        "license": LICENSE,
        "keywords": [*KEYWORDS["de"], *KEYWORDS["en"]],
        "creator": organisation,
        "publisher": organisation,
        "distribution": distributions,
        "spatialCoverage": {
            "@type": "Place",
            "name": "Hessen",
            "sameAs": list(HESSEN),
        },
    }
    if years is not None:
        node["temporalCoverage"] = f"{years[0]}-01-01/{years[1]}-12-31"
    return node


def script(node: dict[str, Any]) -> str:
    """``node`` as the text of a ``<script type="application/ld+json">``: ``<`` escaped, so
    no value can close the element."""
    return json.dumps(node, ensure_ascii=False, indent=1).replace("<", "\\u003c")
