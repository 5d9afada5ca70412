"""Reference tables: Gebietskörperschaften and organisations, and resolving names against them.

The tables are CSV files (``gebietskoerperschaften.csv``, ``organisationen.csv``; see
``data/reference/README.md``). Resolution never guesses: a name that matches no row, several
rows, or a row without a confirmed district key is an error that says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass

from aqb_rdf.errors import AqbError, ResolveError
from aqb_rdf.rdf import external
from aqb_rdf.source.model import Gebietskoerperschaft, Kreistyp, Organisation, OrganisationName

REGIONS_FILE = "gebietskoerperschaften.csv"
ORGANISATIONS_FILE = "organisationen.csv"

_CITY_WORDS = (
    "kreisfreie stadt",
    "kreisfreien stadt",
    "universitätsstadt",
    "wissenschaftsstadt",
    "landeshauptstadt",
    "documenta-stadt",
    "stadt",
)
_DISTRICT_WORDS = ("landkreises", "landkreis", "kreises", "kreis")
_ARTICLE = re.compile(r"^(?:der|dem|den|des|die|das)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """The reference data one build resolves against."""

    regions: tuple[Gebietskoerperschaft, ...]
    """Every row, including rows without a confirmed key (they are never published)."""
    organisations: tuple[Organisation, ...]

    @property
    def published_regions(self) -> tuple[Gebietskoerperschaft, ...]:
        """Rows with a district key, sorted by key."""
        return tuple(sorted((r for r in self.regions if r.key), key=lambda r: r.key))

    @functools.cached_property
    def _names(self) -> dict[str, list[Gebietskoerperschaft]]:
        """Regions by normalised name, and by the part before " am " ("offenbach")."""
        names: dict[str, list[Gebietskoerperschaft]] = {}
        for region in self.regions:
            own = normalise_name(region.name)
            names.setdefault(own, []).append(region)
            if " am " in own:
                names.setdefault(own.split(" am ", 1)[0], []).append(region)
        return names

    def regions_named(self, name: str) -> list[Gebietskoerperschaft]:
        """Regions whose normalised name is ``name`` or starts with ``name + " am "``."""
        return self._names.get(name, [])

    def organisation(self, slug: str) -> Organisation:
        for org in self.organisations:
            if org.slug == slug:
                return org
        raise KeyError(slug)


def load_reference(regions_csv: str, organisations_csv: str, source: str = "") -> Reference:
    """Parse the two reference tables (CSV text); ``source`` names the folder in errors."""
    return Reference(
        tuple(_read_regions(regions_csv, f"{source}{REGIONS_FILE}")),
        tuple(_read_organisations(organisations_csv, f"{source}{ORGANISATIONS_FILE}")),
    )


def _rows(text: str, path: str, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = required - set(reader.fieldnames or ())
    if missing:
        raise AqbError(f"missing column(s) {', '.join(sorted(missing))}", path, 1)
    return [(i, {k: (v or "").strip() for k, v in row.items()}) for i, row in enumerate(reader, 2)]


def _date(value: str, path: str, line: int) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AqbError(f"not an ISO date: {value!r}", path, line) from None


def _read_regions(text: str, path: str) -> list[Gebietskoerperschaft]:
    regions = []
    keys: set[str] = set()
    for line, row in _rows(text, path, {"kreisschluessel", "name", "typ"}):
        key = row["kreisschluessel"]
        if key and not re.fullmatch(r"\d{5}", key):
            raise AqbError(f"district key must have five digits: {key!r}", path, line)
        if key in keys:
            raise AqbError(f"district key {key} appears twice", path, line)
        if key:
            keys.add(key)
        _check_links(row, key, path, line)
        try:
            typ = Kreistyp(row["typ"])
        except ValueError:
            raise AqbError(
                f"typ must be 'Landkreis' or 'kreisfreie Stadt', not {row['typ']!r}", path, line
            ) from None
        regions.append(
            Gebietskoerperschaft(
                key=key,
                name=row["name"],
                typ=typ,
                name_destatis=row.get("name_destatis", ""),
                nuts3=row.get("nuts3", ""),
                regierungsbezirk_key=row.get("regierungsbezirk_key", ""),
                regierungsbezirk=row.get("regierungsbezirk", ""),
                wikidata=row.get("wikidata", ""),
                dcatde_district_key=row.get("dcatde_districtKey", ""),
                valid_from=_date(row.get("gueltig_ab", ""), path, line),
                valid_until=_date(row.get("gueltig_bis", ""), path, line),
            )
        )
    return regions


def _check_links(row: dict[str, str], key: str, path: str, line: int) -> None:
    """The link columns hold what their names say; the DCAT-AP.de IRI names the row's key."""
    qid, nuts3 = row.get("wikidata", ""), row.get("nuts3", "")
    dcatde = row.get("dcatde_districtKey", "")
    if qid and not external.is_qid(qid):
        raise AqbError(f"wikidata must be an item id such as 'Q3042', not {qid!r}", path, line)
    if nuts3 and not external.is_nuts3(nuts3):
        raise AqbError(f"nuts3 must be a NUTS 3 code such as 'DE713', not {nuts3!r}", path, line)
    if dcatde and (not key or dcatde != external.dcatde_district_key_iri(key)):
        raise AqbError(
            f"dcatde_districtKey must be {external.DCATDE_DISTRICT_KEY}{key or '<key>'}, "
            f"not {dcatde!r}",
            path,
            line,
        )


def _read_organisations(text: str, path: str) -> list[Organisation]:
    names: dict[str, list[tuple[int, OrganisationName]]] = {}
    meta: dict[str, tuple[str, str]] = {}
    qids: dict[str, str] = {}
    for line, row in _rows(text, path, {"slug", "typ", "name"}):
        slug = row["slug"]
        if not re.fullmatch(r"[a-z0-9-]+", slug):
            raise AqbError(f"slug must be lower-case letters, digits and '-': {slug!r}", path, line)
        qid = row.get("wikidata", "")
        if qid and not external.is_qid(qid):
            raise AqbError(f"wikidata must be an item id such as 'Q3042', not {qid!r}", path, line)
        if qid and qids.setdefault(slug, qid) != qid:
            raise AqbError(f"{slug} has two Wikidata items: {qids[slug]} and {qid}", path, line)
        name = OrganisationName(
            row["name"],
            row.get("name_en", ""),
            _date(row.get("gueltig_ab", ""), path, line),
            _date(row.get("gueltig_bis", ""), path, line),
        )
        if name.valid_from and name.valid_until and name.valid_from > name.valid_until:
            raise AqbError(
                f"gueltig_ab {name.valid_from} is after gueltig_bis {name.valid_until}", path, line
            )
        names.setdefault(slug, []).append((line, name))
        meta[slug] = (row["typ"], row.get("kurzname", ""))
    return [
        Organisation(
            slug,
            meta[slug][0],
            _name_periods(slug, rows, path),
            meta[slug][1],
            wikidata=qids.get(slug, ""),
        )
        for slug, rows in names.items()
    ]


def _name_periods(
    slug: str, rows: list[tuple[int, OrganisationName]], path: str
) -> tuple[OrganisationName, ...]:
    """An organisation's names in time order; they may not overlap, only the oldest may lack
    its first day and only the newest its last, and each name stands once."""
    seen: dict[str, int] = {}
    for line, name in rows:
        if name.name in seen:
            raise AqbError(
                f"{slug} has the name {name.name!r} twice (also on line {seen[name.name]}): "
                "one row per name and period",
                path,
                line,
            )
        seen[name.name] = line
    rows = sorted(rows, key=lambda row: row[1].valid_from or dt.date.min)
    for position, (line, name) in enumerate(rows):
        if position and name.valid_from is None:
            raise AqbError(
                f"{slug} has several names without gueltig_ab: only its oldest may lack it",
                path,
                line,
            )
        if position + 1 < len(rows):
            following = rows[position + 1][1]
            if name.valid_until is None or (
                following.valid_from is not None and name.valid_until >= following.valid_from
            ):
                until = name.valid_until.isoformat() if name.valid_until else "open"
                raise AqbError(
                    f"{slug}: the name {name.name!r} (until {until}) overlaps the next one, "
                    f"{following.name!r} (from {following.valid_from}); only the newest name "
                    "may be open-ended",
                    path,
                    line,
                )
    return tuple(name for _, name in rows)


def normalise_name(text: str) -> str:
    """A comparable form of an organisation or place name: case, inflection, spacing folded."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[\s\u00a0]+", " ", text).strip(" .,;:")
    text = _ARTICLE.sub("", text)
    text = re.sub(r"\bhessisch(?:en|es|e|er)\b", "hessisch", text)
    text = re.sub(r"\bministeriums\b", "ministerium", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return text


def resolve_organisation(reference: Reference, text: str, typ: str) -> Organisation:
    """The organisation of type ``typ`` that has ever been called ``text``."""
    wanted = normalise_name(text)
    for org in reference.organisations:
        if org.typ == typ and any(normalise_name(n.name) == wanted for n in org.names):
            return org
    raise ResolveError(f"unknown {typ} {text!r}: not in the reference table {ORGANISATIONS_FILE}")


def split_region_name(text: str) -> tuple[Kreistyp | None, str]:
    """("Stadt Offenbach am Main") → (KREISFREIE_STADT, "offenbach am main"), and so on."""
    name = normalise_name(text)
    for word in _CITY_WORDS:
        if name.startswith(word + " "):
            return Kreistyp.KREISFREIE_STADT, name[len(word) + 1 :]
    for word in _DISTRICT_WORDS:
        if name.startswith(word + " "):
            return Kreistyp.LANDKREIS, name[len(word) + 1 :]
    if re.search(r"kreis(?:es)?$", name):
        return Kreistyp.LANDKREIS, re.sub(r"kreises$", "kreis", name)
    return None, name


def _valid_in(region: Gebietskoerperschaft, year: int) -> bool:
    starts = region.valid_from is None or region.valid_from.year <= year
    ends = region.valid_until is None or region.valid_until.year >= year
    return starts and ends


def resolve_region(reference: Reference, text: str, year: int) -> Gebietskoerperschaft:
    """The Gebietskörperschaft ``text`` names in ``year``; ResolveError if none or several."""
    text = _ARTICLE.sub("", " ".join(text.split()))
    typ, name = split_region_name(text)
    # "Stadt Frankfurt" names Frankfurt am Main; so a bare "Offenbach" names two.
    candidates = [r for r in reference.regions_named(name) if typ is None or r.typ is typ]
    if not candidates:
        raise ResolveError(
            f"unknown Gebietskörperschaft {text!r}: not in the reference table {REGIONS_FILE}"
        )
    valid = [r for r in candidates if _valid_in(r, year)]
    if not valid:
        periods = ", ".join(_period(r) for r in candidates)
        # A city that becomes kreisfrei (Hanau, 2026) belonged to a Landkreis before, and
        # the AQB agreement of those years is that Landkreis's: it does not sign one itself.
        later_city = all(
            r.typ is Kreistyp.KREISFREIE_STADT and r.valid_from and r.valid_from.year > year
            for r in candidates
        )
        hint = (
            "; until then it belonged to a Landkreis, whose agreement covers it"
            if later_city
            else ""
        )
        raise ResolveError(
            f"{text!r} is not a Gebietskörperschaft in {year} (valid {periods}){hint}"
        )
    if len(valid) > 1:
        options = " or ".join(f"{r.display_name} ({r.key or 'no key'})" for r in valid)
        raise ResolveError(f"ambiguous Gebietskörperschaft {text!r}: {options}")
    region = valid[0]
    if not region.key:
        raise ResolveError(
            f"{text!r} is a {region.typ.value} in {year}, but its district key is not "
            f"confirmed: add it to the reference table {REGIONS_FILE}"
        )
    return region


def _period(region: Gebietskoerperschaft) -> str:
    start = region.valid_from.isoformat() if region.valid_from else "…"
    end = region.valid_until.isoformat() if region.valid_until else "…"
    return f"{start} to {end}" if region.valid_until else f"from {start}"
