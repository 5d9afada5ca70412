"""``aqb-rdf diff OLD NEW``: what changed between two releases, as diff(1) reports it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aqb_rdf.cli.common import DEFAULT_OUT, reports_errors_with
from aqb_rdf.diff.changes import compare_dumps
from aqb_rdf.diff.graphs import read_graphs
from aqb_rdf.diff.output import FORMATS, as_json, patch_chunks, text_lines
from aqb_rdf.publish.release import DATASET, find_release, recorded_base
from aqb_rdf.rdf.iris import Iris


@click.command(
    epilog="""\b
Examples:
  aqb-rdf diff dist-2025 dist                 # two build output folders
  aqb-rdf diff 1f0c9a2e 8f96e63c --out dist   # two releases dist keeps
  aqb-rdf diff old new --format patch > update.rq"""
)
@click.argument("old")
@click.argument("new")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="The build output folder whose releases/ a release id is looked up in.",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json, or patch: a SPARQL 1.1 Update that turns OLD into NEW.",
)
@reports_errors_with(2)
def diff(old: str, new: str, out: Path, format_name: str) -> None:
    """Compare the releases OLD and NEW: per agreement the facts added, removed and changed.

    OLD and NEW are build output folders (their current release), release folders, or release
    ids of --out (a build keeps the current and the previous release). Blank nodes are
    compared canonically and numbers by value. Exits with status 0 if the releases hold the
    same data, 1 if they differ, 2 on an error (as diff does).
    """
    before, after = find_release(old, out), find_release(new, out)
    iris = Iris(recorded_base(after))
    result = compare_dumps(before / DATASET, after / DATASET, iris)
    names = before.name, after.name
    if format_name == "json":
        click.echo(as_json(result, *names), nl=False)
    elif format_name == "patch":
        for chunk in patch_chunks(result, lambda: read_graphs(after / DATASET), *names):
            click.echo(chunk, nl=False)
    else:
        for line in text_lines(result, iris):
            click.echo(line)
    sys.exit(0 if result.same else 1)
