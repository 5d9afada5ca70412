"""A synthetic corpus of Zielvereinbarungen for benchmarks, tests and demonstrations.

Every document is a full agreement in one of the two formats of the real seeds in
``data/agreements/2025/``: Markdown-like (``offenbach-am-main-stadt.md``) or plain text from a PDF
(``bergstrasse.txt``). The boilerplate is the seeds' text; only the facts change: year, region,
budget, projects and signatures. The regions are invented and come with their own reference
table, so a build can resolve them.

    from aqb_rdf.demo.corpus import generate_corpus
    agreements = generate_corpus(Path("/tmp/corpus"), regions=20, years=5)

The same seed always gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

REAL_REFERENCE: Traversable = files("aqb_rdf.reference_data")
"""The real reference tables (``data/reference``), as the package ships them."""

# -- the facts of one agreement -------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """An invented Landkreis or kreisfreie Stadt."""

    key: str
    name: str
    stadt: bool
    seat: str
    """Where the region signs: the city itself, or the Landkreis' Kreisstadt."""
    regierungsbezirk: str

    @property
    def slug(self) -> str:
        return slugify(self.name, self.stadt)

    # The grammatical cases the boilerplate needs ("die Stadt X" / "der Landkreis X").
    @property
    def nom(self) -> str:
        return f"die Stadt {self.name}" if self.stadt else f"der Landkreis {self.name}"

    @property
    def dat(self) -> str:
        return f"der Stadt {self.name}" if self.stadt else f"dem Landkreis {self.name}"

    @property
    def gen(self) -> str:
        return f"der Stadt {self.name}" if self.stadt else f"des Landkreises {self.name}"

    @property
    def acc(self) -> str:
        return f"die Stadt {self.name}" if self.stadt else f"den Landkreis {self.name}"


@dataclass(frozen=True)
class Signature:
    place: str
    date: dt.date
    person: str
    initialled: str
    """The handwritten signature, rendered in italics in Markdown and lost in the PDF text."""
    role: str
    organisation: tuple[str, ...]
    """The organisation as printed under the signature, one line each."""


@dataclass(frozen=True)
class Agreement:
    year: int
    region: Region
    ministry: str
    """The ministry's name after "Hessisches Ministerium", e.g. "für Soziales und Integration"."""
    budget: str
    """The amount as written, e.g. "1.011.410 Euro" or "987.350,00 Euro"."""
    measures: tuple[tuple[int, str, tuple[str, ...]], ...]
    """(number, title, projects) per Maßnahmenart listed."""
    signatures: tuple[Signature, Signature]


MASSNAHMENARTEN = {
    1: "Ausbildungsvorbereitung",
    2: "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
    3: "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
    4: "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der "
    "fachlichen Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung",
}

# The ministry was renamed when the cabinet Rhein II took office on 18 January 2024.
MINISTRY_BEFORE_2024 = "für Soziales und Integration"
MINISTRY_FROM_2024 = "für Arbeit, Integration, Jugend und Soziales"
MINISTRY_SIGNATURE_LINES = {
    MINISTRY_BEFORE_2024: ("Hessisches Ministerium", "für Soziales und Integration"),
    MINISTRY_FROM_2024: (
        "Hessisches Ministerium",
        "für Arbeit, Integration,",
        "Jugend und Soziales",
    ),
}

# -- rendering: the seeds' text with the facts substituted ----------------------------------------

# offenbach-am-main-stadt.md with its facts replaced by fields; bergstrasse.txt is this text with
# the Markdown markup removed (see markdown_to_text).
TEMPLATE = """

## **Zielvereinbarung**

**{year}**

**zwischen**

**dem Hessischen Ministerium {ministry}**

**und {dat}**

**zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets**

### **Präambel**

Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure des Arbeitsmarktes in eine gemeinsame, auf die Zukunftsanforderungen fokussierte Strategie ein. Dafür will das Hessische Ministerium {ministry} (HMSI) regionale Handlungs- und Entscheidungsspielräume eröffnen und vereinbart dazu Ziele mit den Kreisen und kreisfreien Städten. Bei allen Maßnahmen und Angeboten, die über das Ausbildungs- und Qualifizierungsbudget umgesetzt werden, orientiert sich das HMSI an den landespolitischen Zielsetzungen der Arbeitsmarktpolitik, dem „Bündnis für Ausbildung für die Jahre {alliance_from} bis {alliance_to}“, dem Fachkonzept „Arbeitswelt Hessen“ des HMSI sowie an der regionalen Arbeitsmarkt- und Ausbildungsstrategie {gen}. Die Maßnahmen sind grundsätzlich genderadäquat, ohne Altersbegrenzungen und inklusiv angelegt und überdies den Leitlinien der UN-Behindertenrechtskonvention verpflichtet.

## **§ 1**

### **Ausbildungs- und Qualifizierungsbudget**

#### **Ziele des Landes**

Das HMSI verfolgt mit dem Ausbildungs- und Qualifizierungsbudget {year} das Ziel, die Ausbildungsfähigkeit von benachteiligten Menschen zu steigern, ihre Beschäftigungsfähigkeit zu sichern, ihnen Ausbildungsabschlüsse zu ermöglichen und sie durch längerfristige, flexible und arbeitsmarktnahe Qualifizierung zu einer eigenständigen Existenzsicherung zu befähigen. Der flexible und ganzheitliche Handlungsansatz des Budgets bietet den Kreisen und kreisfreien Städten die Möglichkeit, bedarfsorientierte berufliche und qualifikatorische Angebote für unterschiedliche Zielgruppen auf Basis der regional entwickelten Arbeitsmarkt- und Ausbildungsstrategie umzusetzen. Menschen mit ihren jeweiligen Bedürfnissen und Herausforderungen ernst zu nehmen und bei ihrem Weg in Ausbildung und Beschäftigung zu unterstützen, betrachtet das HMSI als zentralen Baustein für eine erfolgversprechende und nachhaltige Integration in unsere Gesellschaft.

Bei der Erreichung dieses Ziels setzt das HMSI auf einen rechtskreisübergreifenden Förderansatz in den hessischen Kreisen und kreisfreien Städten. Nur wenn die einzelnen Rechtskreise SGB II, III, VIII, XII und AsylbLG sinnvoll zusammenwirken, alle Zielgruppen – inklusive der sog. Stillen Reserve – und weitere regionale Akteure aus Arbeitsmarkt und Wirtschaft potenziell einbezogen sind, können Unterstützungsstrukturen geschaffen werden, die ein selbstbestimmtes Leben auch in herausfordernden Lebenslagen ermöglichen.

Dem Land Hessen ist es wichtig, Menschen mit familiensorgenden Tätigkeiten einen vollqualifizierenden Berufsabschluss zu ermöglichen. Daher werden spezifisch Mittel für Maßnahmen zur Ermöglichung von Teilzeitausbildungen bereitgestellt. Über die im Rahmen des ESF Hessen geförderte „Servicestelle Teilzeit-Ausbildung“ unterstützt das HMSI die Zusammenarbeit aller regionalen Akteure am Übergang Schule-Beruf.

Schwerpunkte im Ausbildungs- und Qualifizierungsbudget sind Maßnahmen zur Ausbildungs- und Qualifizierungsvorbereitung, zu Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen, Qualifizierungsprojekte zur

Arbeitsmarktintegration und Fachkräftesicherung sowie Weiterbildungen für Fachpersonal der Gebietskörperschaften mit Bezug zu Teilnehmenden des AQB.

## **§ 2**

### **Verpflichtungen der Vereinbarungspartner**

Das Hessische Ministerium {ministry} und {nom} setzen die ihnen zur Verfügung stehenden Kompetenzen dafür ein, dass die in § 5 vereinbarten Ziele erreicht werden. Die Entscheidung über den Mitteleinsatz erfolgt im Kontext der von {dat} bereits erarbeiteten und regelmäßig zu aktualisierenden regionalen Ausbildungs- und Arbeitsmarktstrategie, die mit den regionalen Akteuren der Rechtskreise SGB II, III, VIII, XII und AsylbLG, der Wirtschaft und – für den Bereich des Übergangs von der Schule in den Beruf – mit den regionalen OloV-Steuerungsgruppen abgestimmt ist.

Im Jahr {year} werden im Rahmen des AQB erneut Landesmittel für spezifische Angebote zur Integration von Menschen mit Migrationshintergrund zur Verfügung gestellt. Die geförderten Angebote sind durch eine hohe Individualität und Vielfalt gekennzeichnet.

## **§ 3**

### **Umsetzung der UN-Behindertenrechtskonvention**

Die Integration in das Erwerbsleben stellt aus der Sicht des Hessischen Ministeriums {ministry} eine der vordringlichsten Maßnahmen zur Förderung der Teilhabe von Menschen mit Behinderungen dar. Auch angesichts der demografischen Entwicklung und eines damit verbundenen aktuellen und zukünftigen Fachkräftemangels kommt der nachhaltigen Förderung von Maßnahmen zur Integration von Menschen mit Behinderungen in den Arbeitsprozess eine große Bedeutung zu.

## § 4

### Haushaltsmittel und Eckdaten

Das HMSI stellt {dat} im Jahr {year} Haushaltsmittel in Höhe von insgesamt

**{budget}**

aus dem Ausbildungs- und Qualifizierungsbudget {year} zur Verfügung.

## § 5

### Ziele für die Umsetzung {gen}

{Nom} finanziert mit den Mitteln des **Ausbildungs- und Qualifizierungsbudgets {year}** in den jeweiligen Maßnahmenarten folgende Projekte:

{measures}

Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach Antragstellung durch {acc} vom Regierungspräsidium Kassel erlassenen – Bescheides.

## **§ 6**

### **Zielsteuerung**

{Nom} und das HMSI bleiben über die Entwicklung des Budgets {year} im engen Austausch. Dazu wird unter anderem eine Umsetzungsbesprechung im Herbst angesetzt.

Unterjährige Abweichungen von den in § 4 genannten Haushaltsmitteln und Eckdaten werden bei der Beurteilung der Zielerreichung berücksichtigt.

## **§ 7**

### **Kontinuierlicher Verbesserungsprozess**

{Nom} beteiligt sich an Umfragen und Tagungen des HMSI mit dem Ziel, Erfahrungen auszutauschen, gute Praxis zu identifizieren und neue Impulse für die regionale Arbeitsmarkt- und Ausbildungspolitik zu setzen.

Die Zielvereinbarungen werden auf dem Internetportal des HMSI „Arbeitswelt Hessen“ veröffentlicht.

{signatures}"""


def render_markdown(agreement: Agreement) -> str:
    """The agreement in the Markdown-like format of ``offenbach-am-main-stadt.md``."""
    region = agreement.region
    measures = []
    # Numbered 1, 2, 3 … in order, also where a Maßnahmenart is not listed (the parser
    # refuses a skipped number: it cannot tell a lost heading from one not listed).
    for number, (_, title, projects) in enumerate(agreement.measures, start=1):
        measures.append(f"{number}. {title}")
        measures.extend(f"  - {project}" for project in projects)
    # The "Bündnis für Ausbildung" runs in five-year periods (2025 bis 2029 in the seeds).
    alliance_from = agreement.year - agreement.year % 5
    return TEMPLATE.format(
        year=agreement.year,
        ministry=agreement.ministry,
        alliance_from=alliance_from,
        alliance_to=alliance_from + 4,
        nom=region.nom,
        Nom=region.nom[0].upper() + region.nom[1:],
        dat=region.dat,
        gen=region.gen,
        acc=region.acc,
        budget=agreement.budget,
        measures="\n".join(measures),
        signatures="\n\n".join(render_signature(s) for s in agreement.signatures),
    )


def render_signature(signature: Signature) -> str:
    d = signature.date
    printed = [signature.person, signature.role, *signature.organisation]
    return (
        f"{signature.place}, den {d.day}.{d.month}.{d.year}\n\n"
        f"*{signature.initialled}*\n\n" + "  \n".join(printed)  # two spaces: Markdown line break
    )


def markdown_to_text(markdown: str) -> str:
    """What the PDF text extraction of the same agreement looks like (``bergstrasse.txt``).

    Headings and whole-line bold lose their markup, the italic signature becomes an empty line,
    bullets are indented by one space; bold inside a sentence survives, as in the seed.
    """
    lines = []
    for line in markdown.split("\n"):
        line = re.sub(r"^#+ ", "", line).removesuffix("  ")
        if len(line) > 4 and line.startswith("**") and line.endswith("**"):
            line = line[2:-2]
        elif re.fullmatch(r"\*[^*].*\*", line):
            line = ""
        elif line.startswith("  - "):
            line = line[1:]
        lines.append(line)
    return "\n".join(lines)


# -- inventing facts ------------------------------------------------------------------------------

# Syllables for invented place names. Hyphenated pairs ("Dornfeld-Mettingen") for Landkreise make
# collisions with real names unlikely; the real table is checked as well.
PREFIXES = (
    "Ahl", "Brom", "Dorn", "Eller", "Fal", "Gor", "Hag", "Ilm", "Kalt", "Lohr", "Mett", "Nord",
    "Orl", "Pell", "Quern", "Reck", "Sell", "Tann", "Ulr", "Wend", "Wiss", "Zell", "Hesel", "Mos",
)  # fmt: skip
SUFFIXES = (
    "bach", "feld", "heim", "hausen", "born", "dorf", "au", "rode", "tal", "berg", "burg",
    "ingen", "lar", "brunn", "wang", "stedt",
)  # fmt: skip
FIRST_NAMES_F = (
    "Anna", "Birgit", "Claudia", "Doris", "Elke", "Franziska", "Gabriele", "Ines", "Julia",
    "Katrin", "Lena", "Monika", "Nadine", "Petra", "Sabine", "Ulrike", "Verena",
)  # fmt: skip
FIRST_NAMES_M = (
    "Andreas", "Bernd", "Christian", "Dirk", "Frank", "Georg", "Holger", "Jan", "Klaus", "Lars",
    "Markus", "Norbert", "Ralf", "Stefan", "Thomas", "Uwe", "Wolfgang",
)  # fmt: skip
SURNAMES = (
    "Albrecht", "Becker", "Brückner", "Dietz", "Dörr", "Engel", "Fischer", "Gerlach", "Hahn",
    "Heß", "Jäger", "Keller", "Kühn", "Lorenz", "Möller", "Neumann", "Ortmann", "Pfeiffer",
    "Roth", "Schäfer", "Seibert", "Vogt", "Weber", "Ziegler",
)  # fmt: skip
# (role for a man, role for a woman)
ROLES_LANDKREIS = (
    ("Landrat", "Landrätin"),
    ("Erster Kreisbeigeordneter", "Erste Kreisbeigeordnete"),
    ("Kreisbeigeordneter", "Kreisbeigeordnete"),
)
ROLES_STADT = (
    ("Oberbürgermeister", "Oberbürgermeisterin"),
    ("Bürgermeister", "Bürgermeisterin"),
    ("Stadtrat/Stadtkämmerer", "Stadträtin/Stadtkämmerin"),
)

# Project titles are built from these, after the patterns of the seeds' titles.
PROJECT_NOUNS = (
    "Jobcoach", "Jobdatings", "Fallmanagement", "Absolventenmanagement", "Berufsvorbereitung",
    "Sprachförderung", "Bewerbungstraining", "Ausbildungsbegleitung", "Übergangsmanagement",
    "Kompetenzfeststellung", "Praxiswerkstatt", "Mentoring", "Lernwerkstatt", "Coaching",
    "Berufsorientierung", "Einstiegsqualifizierung", "Nachqualifizierung", "Schulungen",
    "Teilzeitausbildung", "Gesundheitsmaßnahme", "Werkstattjahr", "BaE",
)  # fmt: skip
PROJECT_ADJECTIVES = (
    "Interkulturelle", "Sprachkursbegleitende", "Aufsuchende", "Assistierte", "Digitale",
    "Berufsbezogene", "Modulare", "Gewerblich-technische",
)  # fmt: skip
PROJECT_FEMININE_NOUNS = ("Gruppe", "Unterstützung", "Förderung", "Qualifizierung", "Beratung")
PROJECT_FIELDS = (
    "Elektro", "Pflege", "Metall", "Gastronomie", "Lager und Logistik", "Holz",
    "Hauswirtschaft", "Einzelhandel", "IT", "Teilzeit",
)  # fmt: skip
PROJECT_TARGETS = (
    "Erziehende", "Alleinerziehende", "junge Geflüchtete", "Langzeitarbeitslose",
    "junge Wohnungssuchende", "Menschen mit Behinderungen", "Mitarbeiter/innen", "Zugewanderte",
)  # fmt: skip
PROJECT_MOTTOS = ("Fit in den Beruf", "Neue Wege", "Perspektive Ausbildung", "Durchstarten")
PROJECT_ACRONYMS = ("CUBA", "BASS", "JUMP", "KOMPASS", "STARK", "PIA")


def slugify(name: str, stadt: bool) -> str:
    """The file name stem, as in the seeds: "offenbach-am-main-stadt", "bergstrasse"."""
    slug = name.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        slug = slug.replace(umlaut, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    return f"{slug}-stadt" if stadt else slug


def place_word(rng: random.Random) -> str:
    return rng.choice(PREFIXES) + rng.choice(SUFFIXES)


def region_name(rng: random.Random, stadt: bool) -> str:
    if not stadt:
        if rng.random() < 0.7:
            return f"{place_word(rng)}-{place_word(rng)}"
        return place_word(rng)
    form = rng.random()
    if form < 0.2:
        return f"Bad {place_word(rng)}"
    if form < 0.4:
        return f"{place_word(rng)} am {rng.choice(PREFIXES)}bach"
    return place_word(rng)


def head_word(name: str) -> str:
    """What must be unique among names: "Stadt Tannau" may mean "Tannau am Sellbach" too, as
    "Stadt Frankfurt" means Frankfurt am Main; and documents name a region without its type."""
    return slugify(name.split(" am ")[0], False)


def make_regions(rng: random.Random, count: int) -> list[Region]:
    """``count`` regions with keys 10001…, unique names, about one in five a kreisfreie Stadt."""
    if not 0 < count <= 89_999:
        raise ValueError("regions must be between 1 and 89999 (5-digit keys from 10001)")
    with (REAL_REFERENCE / "gebietskoerperschaften.csv").open(encoding="utf-8") as f:
        taken = {head_word(row["name"]) for row in csv.DictReader(f)}
    regions = []
    for i in range(count):
        stadt = rng.random() < 0.2
        name = region_name(rng, stadt)
        while head_word(name) in taken:
            name = region_name(rng, stadt)
        taken.add(head_word(name))
        seat = name if stadt else place_word(rng)
        bezirk = rng.choice(("Darmstadt", "Gießen", "Kassel"))
        regions.append(Region(f"{10001 + i:05d}", name, stadt, seat, bezirk))
    return regions


def make_person(rng: random.Random) -> tuple[str, str, bool]:
    """(full name, initialled signature, female)."""
    female = rng.random() < 0.5
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    last = rng.choice(SURNAMES)
    initialled = f"{first} {last}" if rng.random() < 0.5 else f"{first[0]}. {last}"
    return f"{first} {last}", initialled, female


def make_projects(rng: random.Random, count: int) -> tuple[str, ...]:
    titles: list[str] = []
    while len(titles) < count:
        noun = rng.choice(PROJECT_NOUNS)
        title = rng.choice(
            (
                noun,
                f"{noun} {rng.choice(PROJECT_FIELDS)}",
                f"{rng.choice(PROJECT_ADJECTIVES)} {rng.choice(PROJECT_FEMININE_NOUNS)}",
                (
                    f"{rng.choice(PROJECT_ADJECTIVES)} {rng.choice(PROJECT_FEMININE_NOUNS)} "
                    f"{place_word(rng)}"
                ),
                f"{noun} für {rng.choice(PROJECT_TARGETS)}",
                f'{noun} "{rng.choice(PROJECT_MOTTOS)}"',
                f"{noun} {rng.choice(('I', 'II', 'III'))}",
                f"{noun} ({rng.choice(PROJECT_ACRONYMS)})",
                f"{rng.choice(PROJECT_ACRONYMS)} {noun}",
            )
        )
        if title not in titles:
            titles.append(title)
    return tuple(titles)


def make_measures(rng: random.Random) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """0–3 projects per Maßnahmenart; now and then one is not listed, or has no project."""
    missing = rng.choice((1, 2, 3, 4)) if rng.random() < 0.3 else None
    measures = []
    for number, title in MASSNAHMENARTEN.items():
        if number == missing:
            continue
        if number == 2 and rng.random() < 0.3:
            title = title.replace("Ausbildungscoaching", "Ausbildungskoaching")
        measures.append((number, title, make_projects(rng, rng.choice((0, 1, 1, 2, 2, 3, 3)))))
    return tuple(measures)


def make_budget(rng: random.Random) -> str:
    amount = f"{rng.randrange(30_000, 300_000) * 10:,}".replace(",", ".")
    return f"{amount},00 Euro" if rng.random() < 0.4 else f"{amount} Euro"


def make_agreement(
    rng: random.Random,
    region: Region,
    year: int,
    minister: tuple[str, str, bool],
    signer: tuple[str, str, bool, int],
) -> Agreement:
    ministry = MINISTRY_FROM_2024 if year >= 2024 else MINISTRY_BEFORE_2024
    # Signed between March and December, the region a few days after the ministry.
    signed = dt.date(year, 3, 1) + dt.timedelta(days=rng.randrange(255))
    countersigned = signed + dt.timedelta(days=rng.randrange(1, 21))
    name, initialled, female = minister
    ministry_signature = Signature(
        "Wiesbaden",
        signed,
        name,
        initialled,
        "Staatsministerin" if female else "Staatsminister",
        MINISTRY_SIGNATURE_LINES[ministry],
    )
    name, initialled, female, role = signer
    roles = ROLES_STADT if region.stadt else ROLES_LANDKREIS
    organisation = ("der Stadt", region.name) if region.stadt else ("des Landkreises", region.name)
    region_signature = Signature(
        region.seat, countersigned, name, initialled, roles[role][female], organisation
    )
    return Agreement(
        year,
        region,
        ministry,
        make_budget(rng),
        make_measures(rng),
        (ministry_signature, region_signature),
    )


# -- writing --------------------------------------------------------------------------------------

REFERENCE_HEADER = (
    "kreisschluessel", "name", "typ", "name_destatis", "nuts3", "regierungsbezirk_key",
    "regierungsbezirk", "wikidata", "dcatde_districtKey", "wikidata_checked", "wikidata_endpoint",
    "gueltig_ab", "gueltig_bis", "anmerkung",
)  # fmt: skip
BEZIRK_KEYS = {"Darmstadt": "064", "Gießen": "065", "Kassel": "066"}


def write_reference(out_dir: Path, regions: list[Region]) -> None:
    """The regions' reference table, in the format of data/reference/gebietskoerperschaften.csv."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "gebietskoerperschaften.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(REFERENCE_HEADER)
        for r in regions:
            writer.writerow(
                (
                    r.key,
                    r.name,
                    "kreisfreie Stadt" if r.stadt else "Landkreis",
                    f"{r.name}, Stadt" if r.stadt else r.name,
                    "",  # no NUTS-3 code: invented regions have none
                    BEZIRK_KEYS[r.regierungsbezirk],
                    r.regierungsbezirk,
                    "",  # no Wikidata item: a made-up Q-number would name a real thing
                    f"http://dcat-ap.de/def/politicalGeocoding/districtKey/{r.key}",
                    "",  # no Wikidata link, so no provenance either
                    "",
                    "",
                    "",
                    "synthetic region (aqb_rdf.demo.corpus)",
                )
            )
    organisations = (REAL_REFERENCE / "organisationen.csv").read_bytes()
    (out_dir / "organisationen.csv").write_bytes(organisations)


def generate_corpus(
    out_dir: Path, regions: int = 400, years: int = 25, first_year: int = 2014, seed: int = 0
) -> Path:
    """Write ``regions × years`` agreements and their reference tables under ``out_dir``.

    Args:
        out_dir: gets ``agreements/{year}/{slug}.{md|txt}`` and ``reference/*.csv``.
        regions: number of invented Gebietskörperschaften, one agreement each per year.
        years: number of consecutive years from ``first_year``; the default 2014 is the first
            year of the ministry's name "für Soziales und Integration" (18 January 2014), so
            every agreement names the ministry as it was called when it was signed.
        seed: the same seed gives byte-identical files.

    Returns:
        The agreements directory, ``out_dir / "agreements"``.
    """
    rng = random.Random(seed)
    all_regions = make_regions(rng, regions)
    write_reference(out_dir / "reference", all_regions)
    # The same people sign for a while: a minister per five years, a signer per region per six.
    ministers: dict[int, tuple[str, str, bool]] = {}
    signers: dict[tuple[str, int], tuple[str, str, bool, int]] = {}
    agreements_dir = out_dir / "agreements"
    for year in range(first_year, first_year + years):
        year_dir = agreements_dir / str(year)
        year_dir.mkdir(parents=True, exist_ok=True)
        if year // 5 not in ministers:
            ministers[year // 5] = make_person(rng)
        minister = ministers[year // 5]
        for index, region in enumerate(all_regions):
            signer = signers.get((region.key, year // 6))
            if signer is None:
                signer = signers[region.key, year // 6] = (*make_person(rng), rng.randrange(3))
            agreement = make_agreement(rng, region, year, minister, signer)
            text = render_markdown(agreement)
            # Alternate the formats, so every region and every year has both.
            if (index + year) % 2:
                path = year_dir / f"{region.slug}.txt"
                text = markdown_to_text(text)
            else:
                path = year_dir / f"{region.slug}.md"
            path.write_bytes(text.encode("utf-8"))
    return agreements_dir
