"""The stage packages as the README's "Layout" section draws them and pyproject.toml checks them.

A newcomer reads the layout in the README; import-linter enforces the contracts in
pyproject.toml. These tests keep the two and the tree itself from drifting apart.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

import aqb_rdf

REPO = Path(__file__).resolve().parents[1]
DATA_PACKAGES = {"ontology", "shapes", "queries", "reference_data"}  # RDF assets, not code


def _layout_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Layout\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def _stage_packages() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules(aqb_rdf.__path__)
        if info.ispkg and info.name not in DATA_PACKAGES
    )


def _contract_layers() -> list[list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return [
        [p.strip().removeprefix("aqb_rdf.") for p in re.split(r"[|:]", layer)] for layer in layers
    ]


def test_every_stage_package_says_its_job_and_is_drawn_in_the_readme() -> None:
    layout = _layout_section()
    for name in _stage_packages():
        module = importlib.import_module(f"aqb_rdf.{name}")
        assert module.__doc__ and len(module.__doc__.strip()) > 40, f"aqb_rdf.{name} has no job"
        assert f"  {name}/" in layout, f"README's layout does not draw src/aqb_rdf/{name}/"


def test_the_readme_table_of_allowed_imports_is_the_contract() -> None:
    layout = _layout_section()
    table = layout[layout.index("Allowed imports") : layout.index("Where to look first")]
    rows = re.findall(r"^\|[^|]*\| (`.*`) \|$", table, flags=re.M)
    drawn = [re.findall(r"`(\w+)`", row) for row in rows]
    flattened = [sorted(names) for names in drawn]
    checked = [sorted(layer) for layer in _contract_layers()]
    # The README draws the bottom layer ("rdf, then errors") on one row.
    assert flattened[:-1] == checked[:-2]
    assert flattened[-1] == sorted(checked[-2] + checked[-1])


def test_every_stage_package_is_in_the_contract() -> None:
    contracted = {name for layer in _contract_layers() for name in layer}
    modules = {info.name for info in pkgutil.iter_modules(aqb_rdf.__path__)}
    assert set(_stage_packages()) - {"demo"} <= contracted
    assert contracted <= modules
