"""The README documents every setting, and nothing else, as ``config.py`` defines it.

As datasette's ``tests/test_docs.py``: the README's settings table is parsed and compared with
:data:`aqb_rdf.config.SETTINGS` both ways (names, options, environment variables, defaults), and
every option that ``aqb-rdf <command> --help`` shows with an environment variable must be in
that table. An undocumented or a stale setting fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aqb_rdf import config
from aqb_rdf.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
HEADER = "| setting | CLI option | environment variable | default | meaning |"


@dataclass(frozen=True)
class Row:
    name: str
    option: str
    envvar: str
    default: str


def _cell(text: str) -> str:
    """A cell's value: ``—`` is empty, backticks around the whole cell are dropped."""
    text = text.strip()
    if text == "—":
        return ""
    return text[1:-1] if text.startswith("`") and text.endswith("`") else text


def readme_rows() -> dict[str, Row]:
    """The rows of the README's settings table, by setting name."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert HEADER in lines, f"README.md has no settings table with the header {HEADER!r}"
    start = lines.index(HEADER) + 2  # the header and the |---| line
    rows: dict[str, Row] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == 5, f"README settings row without five cells: {line}"
        name, option, envvar, default, meaning = cells
        assert meaning, f"README: setting {name} has no meaning"
        row = Row(_cell(name), _cell(option), _cell(envvar), _cell(default))
        assert row.name not in rows, f"README lists setting {row.name} twice"
        rows[row.name] = row
    return rows


def defined_rows() -> dict[str, Row]:
    """The same rows made from config.SETTINGS."""
    return {
        s.name: Row(s.name, s.option or "", s.envvar or "", _cell(s.shown_default))
        for s in config.SETTINGS
    }


def test_readme_table_lists_every_setting_and_no_other() -> None:
    documented, defined = readme_rows(), defined_rows()
    undocumented = sorted(set(defined) - set(documented))
    stale = sorted(set(documented) - set(defined))
    assert not undocumented, f"settings missing from README.md: {undocumented}"
    assert not stale, f"README.md documents settings config.py does not have: {stale}"


@pytest.mark.parametrize("name", [s.name for s in config.SETTINGS])
def test_readme_row_matches_the_definition(name: str) -> None:
    documented = readme_rows().get(name)
    assert documented == defined_rows()[name], f"README.md row of {name} is stale"


def _commands() -> list[tuple[str, click.Command]]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands.items())


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_every_option_with_a_variable_in_help_is_documented(
    name: str, command: click.Command
) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    documented = {(row.option, row.envvar) for row in readme_rows().values()}
    options = [p for p in command.params if isinstance(p, click.Option) and p.envvar]
    for option in options:
        assert isinstance(option.envvar, str)
        assert f"env var: {option.envvar}" in shown, f"{name} --help hides {option.envvar}"
        pair = (option.opts[0], option.envvar)
        assert pair in documented, f"{name} {pair[0]} ({pair[1]}) is not in README.md"
    variables = set(re.findall(r"env var: (AQB_[A-Z_]+)", shown))
    assert variables == {o.envvar for o in options}


def test_every_variable_the_readme_and_the_code_name_is_a_setting() -> None:
    defined = {s.envvar for s in config.SETTINGS if s.envvar}
    texts = [README, *sorted((REPO / "src" / "aqb_rdf").rglob("*.py"))]
    for path in texts:
        named = set(re.findall(r"\bAQB_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8")))
        assert named <= defined, f"{path.relative_to(REPO)} names {sorted(named - defined)}"
