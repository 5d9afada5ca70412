"""``aqb-rdf link``: check the reference tables' Wikidata links against a SPARQL endpoint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from aqb_rdf.cli.common import reports_errors
from aqb_rdf.remote import sparql
from aqb_rdf.source.reference import ORGANISATIONS_FILE, REGIONS_FILE


@click.command()
@click.option(
    "--endpoint",
    default=sparql.WIKIDATA_ENDPOINT,
    show_default=True,
    help="SPARQL endpoint with Wikidata's data model (wdt:P440, wdt:P605, rdfs:label).",
)
@click.option(
    "--reference",
    "reference_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("data/reference"),
    show_default=True,
    help="Folder with the reference tables to check and, with --write, to update.",
)
@click.option("--write", is_flag=True, help="Write confirmed links (default: only report).")
@click.option(
    "--replace",
    is_flag=True,
    help="With --write, also replace links the endpoint contradicts by its single candidate.",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--timeout", type=click.FloatRange(0.1, 600), default=30.0, show_default=True,
    help="Seconds to wait for each answer.",
)  # fmt: skip
@click.option(
    "--retries", type=click.IntRange(0, 10), default=3, show_default=True,
    help="Further attempts after a network error, timeout, 429 or 5xx.",
)  # fmt: skip
@click.option(
    "--user-agent",
    envvar="AQB_USER_AGENT",
    default=sparql.default_user_agent,
    help="User-Agent header; add a contact address (env AQB_USER_AGENT).",
)
@reports_errors
def link(
    endpoint: str,
    reference_dir: Path,
    write: bool,
    replace: bool,
    format_name: str,
    timeout: float,
    retries: int,
    user_agent: str,
) -> None:
    """Check the reference tables' Wikidata links against a SPARQL endpoint.

    Finds the items with each Gebietskörperschaft's district key (P440) and with each
    organisation's names as label, and reports per row: match, missing (one candidate, the
    table has none), mismatch, ambiguous or not-found. Nothing is written unless --write is
    given; then matches and missing links are written with their provenance (columns
    wikidata_checked, wikidata_endpoint), both tables replaced atomically. Mismatches are
    only reported, unless --replace is given too.

    \b
    Example:
      aqb-rdf link                       # report against Wikidata
      aqb-rdf link --write               # and write confirmed links
      aqb-rdf link --endpoint http://127.0.0.1:7878/query --format json
    """
    from aqb_rdf import resources
    from aqb_rdf.link import reconcile, table_update

    sparql.check_http_url(endpoint, "--endpoint")
    reference = resources.reference(reference_dir)
    policy = sparql.RetryPolicy(attempts=retries + 1, timeout=timeout)

    def select(query: str) -> list[sparql.Binding]:
        return sparql.select(
            endpoint,
            query,
            user_agent=user_agent,
            policy=policy,
            on_retry=lambda message: click.echo(f"aqb-rdf: {message}", err=True),
        )

    subjects = reconcile.subjects(reference, REGIONS_FILE, ORGANISATIONS_FILE)
    findings = reconcile.find(subjects, select)
    today = dt.date.today().isoformat()
    if format_name == "json":
        click.echo(reconcile.report_json(findings, endpoint, today), nl=False)
    else:
        click.echo("\n".join(reconcile.report_lines(findings)))
    if write:
        confirmed = reconcile.confirmed_links(findings, endpoint, today, replace)
        rows = table_update.write_links(reference_dir, confirmed)
        click.echo(
            f"wrote {len(confirmed)} link(s) with provenance into {rows} row(s) of "
            f"{reference_dir}/",
            err=True,
        )
