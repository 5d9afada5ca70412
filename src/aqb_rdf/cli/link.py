"""``aqb-rdf link``: check the reference tables' Wikidata links against a SPARQL endpoint;
httpx loads only when linking."""

from __future__ import annotations

import datetime as dt

import click

from aqb_rdf.cli.common import reports_errors
from aqb_rdf.cli.options import settings_options
from aqb_rdf.config import Settings
from aqb_rdf.remote import policy
from aqb_rdf.source.reference import ORGANISATIONS_FILE, REGIONS_FILE


@click.command()
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
@settings_options("link")
@reports_errors
def link(write: bool, replace: bool, format_name: str, settings: Settings) -> None:
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
    from aqb_rdf.remote import sparql  # httpx loads only when linking

    endpoint, reference_dir = settings.link.endpoint, settings.link.reference
    user_agent = settings.link.user_agent or sparql.default_user_agent()
    policy.check_http_url(endpoint, "--endpoint")
    reference = resources.reference(reference_dir)
    retries_policy = policy.RetryPolicy(attempts=settings.link.retries + 1)
    limits = sparql.Limits(
        timeout=settings.link.timeout, max_answer_bytes=settings.link.max_answer_bytes
    )

    def select(query: str) -> list[sparql.Binding]:
        return sparql.select(
            endpoint,
            query,
            user_agent=user_agent,
            policy=retries_policy,
            limits=limits,
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
