"""The words of the pages in German and English, and numbers and dates as each writes them (pure).

German is the default: the agreements, the ministry and most readers are German. English is
chosen by ``?lang=en`` or by ``Accept-Language`` (:func:`choose_language`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

LANGUAGES: Final = ("de", "en")
DEFAULT_LANGUAGE: Final = "de"

_MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_LANGUAGE_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*$")
_QUALITY = re.compile(r"^\s*q\s*=\s*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\s*$")


def choose_language(param: str | None, accept_language: str | None) -> str:
    """The language of a page: ``param`` (``?lang=``) if it names one, else ``Accept-Language``.

    Of the header's languages (RFC 9110 §12.5.4) the one with the highest ``q`` that we have
    wins (``en-GB`` counts as ``en``, ``*`` as the default); malformed entries are skipped.

    Example:
        >>> choose_language(None, "en-US,en;q=0.9,de;q=0.5")
        'en'
    """
    if param and param.strip().lower() in LANGUAGES:
        return param.strip().lower()
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for element in (accept_language or "").split(","):
        tag, *parameters = element.split(";")
        match = _LANGUAGE_RANGE.match(tag)
        if match is None:
            continue
        q: float | None = 1.0
        for parameter in parameters:
            if parameter.strip().lower().startswith("q"):
                quality = _QUALITY.match(parameter)
                q = float(quality.group(1)) if quality is not None else None
        if q is None:  # a malformed q (q=abc, q=2): the entry counts as not there
            continue
        primary = match.group(1).lower()
        language = DEFAULT_LANGUAGE if primary == "*" else primary
        if language in LANGUAGES and q > best_q:
            best, best_q = language, q
    return best


def format_amount(
    amount: Decimal, lang: str, currency: str | None = "EUR", decimals: int = 2
) -> str:
    """``1.011.410,00 €`` in German, ``€1,011,410.00`` in English."""
    text = f"{amount:,.{decimals}f}"  # 1,011,410.00
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return f"{text} €" if currency == "EUR" else f"{text} {currency or ''}".rstrip()
    return f"€{text}" if currency == "EUR" else f"{text} {currency or ''}".rstrip()


def format_integer(number: int, lang: str) -> str:
    """``1.607`` in German, ``1,607`` in English."""
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "de" else text


def format_date(value: str, lang: str) -> str:
    """An ``xsd:date`` as ``6. August 2025`` or ``6 August 2025``; other text unchanged."""
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return value
    if lang == "de":
        return f"{date.day}. {_MONTHS_DE[date.month - 1]} {date.year}"
    return f"{date.day} {_MONTHS_EN[date.month - 1]} {date.year}"


def format_bytes(size: int, lang: str) -> str:
    """A file size: ``87,3 KB`` / ``87.3 KB``."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            break
        value /= 1000
    text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang == 'de' else text} {unit}"


TEXTS: Final[Mapping[str, tuple[str, str]]] = {
    # key: (German, English)
    "site": ("AQB Hessen – Linked Open Data", "AQB Hessen – Linked Open Data"),
    "site_long": (
        "Ausbildungs- und Qualifizierungsbudget Hessen",
        "Hessian training and qualification budget (AQB)",
    ),
    "intro": (
        "Die Zielvereinbarungen des hessischen Arbeitsministeriums mit den Landkreisen und"
        " kreisfreien Städten über das Ausbildungs- und Qualifizierungsbudget (AQB), als"
        " verknüpfte offene Daten: jede Angabe mit ihrer Fundstelle im Dokument.",
        "The target agreements of the Hessian labour ministry with the districts and"
        " district-free cities on the training and qualification budget (AQB), as linked"
        " open data: every fact with the place in the document it comes from.",
    ),
    "home": ("Start", "Home"),
    "search": ("Suche", "Search"),
    "search_placeholder": ("Region, Projekt, Person, Ort …", "Region, project, person, place …"),
    "search_found": ("{count} Treffer für „{query}“", "{count} results for “{query}”"),
    "search_nothing": ("Nichts gefunden für „{query}“.", "Nothing found for “{query}”."),
    "search_more": ("… und {count} weitere", "… and {count} more"),
    "search_corrected": ("Gesucht nach ähnlichen Wörtern:", "Searched for similar words:"),
    "search_unavailable": (
        "Diese Veröffentlichung hat keinen Suchindex; ein neuer Build legt ihn an.",
        "This release has no search index; a new build writes one.",
    ),
    "kind_region": ("Gebietskörperschaften", "Territorial authorities"),
    "kind_agreement": ("Zielvereinbarungen", "Target agreements"),
    "kind_project": ("Projekte", "Projects"),
    "kind_person": ("Personen (Unterzeichnungen)", "Persons (signatures)"),
    "kind_place": ("Orte (Unterzeichnungen)", "Places (signatures)"),
    "kind_organisation": ("Organisationen", "Organisations"),
    "kind_massnahmenart": ("Maßnahmenarten", "Types of measure"),
    "kind_rechtskreis": ("Rechtskreise", "Legal frameworks"),
    "kind_bezugsrahmen": ("Bezugsrahmen", "Frames of reference"),
    "kind_document": ("Quelldokumente", "Source documents"),
    "kind_term": ("Begriffe der Ontologie", "Terms of the ontology"),
    "ontology": ("Ontologie", "Ontology"),
    "queries": ("Abfragen", "Queries"),
    "query": ("SPARQL", "SPARQL"),
    "void": ("VoID-Beschreibung", "VoID description"),
    "catalogue": ("Katalog nach DCAT-AP.de", "Catalogue in DCAT-AP.de"),
    "language": ("Sprache", "Language"),
    "at_a_glance": ("Der Datensatz auf einen Blick", "The dataset at a glance"),
    "agreements": ("Zielvereinbarungen", "Target agreements"),
    "projects": ("Projekte", "Projects"),
    "regions_with_agreement": (
        "Gebietskörperschaften mit Zielvereinbarung",
        "Territorial authorities with an agreement",
    ),
    "triples": ("Tripel", "Triples"),
    "years": ("Jahre", "Years"),
    "year": ("Jahr", "Year"),
    "budgets_chart": (
        "Budget je Gebietskörperschaft und Jahr",
        "Budget per territorial authority and year",
    ),
    "totals_per_year": ("Summe je Jahr", "Total per year"),
    "total": ("Summe", "Total"),
    "budget": ("Budget", "Budget"),
    "region": ("Gebietskörperschaft", "Territorial authority"),
    "key": ("Kreisschlüssel", "District key"),
    "downloads": ("Downloads", "Downloads"),
    "download_all": (
        "Der ganze Datensatz, Release {release}:",
        "The whole dataset, release {release}:",
    ),
    "for_machines": ("Für Programme", "For machines"),
    "endpoint_text": (
        "SPARQL-Endpunkt (SPARQL 1.1 Protocol):",
        "SPARQL endpoint (SPARQL 1.1 Protocol):",
    ),
    "query_pages_text": (
        "Fertige Abfragen mit Parametern ausführen, oder eigene SPARQL-Abfragen schreiben:",
        "Run the ready-made queries with parameters, or write your own SPARQL:",
    ),
    "ontology_text": (
        "Das Vokabular mit allen Klassen und Eigenschaften:",
        "The vocabulary with all classes and properties:",
    ),
    "no_agreements": ("Noch keine Zielvereinbarungen.", "No agreements yet."),
    "iri": ("IRI", "IRI"),
    "type": ("Typ", "Type"),
    "as_rdf": ("Als RDF", "As RDF"),
    "properties": ("Eigenschaften", "Properties"),
    "property": ("Eigenschaft", "Property"),
    "value": ("Wert", "Value"),
    "links_here": ("Verweise hierher", "Links to here"),
    "paging": ("Seiten der Verweise hierher", "Pages of the links to here"),
    "paging_summary": (
        "{total} Ressourcen verweisen hierher; diese Seite zeigt {first} bis {last}"
        " (Seite {number} von {pages}).",
        "{total} resources link here; this page shows {first} to {last}"
        " (page {number} of {pages}).",
    ),
    "untyped": ("ohne Klasse", "without class"),
    "via": ("über", "via"),
    "first_page": ("erste Seite", "first page"),
    "previous_page": ("vorige Seite", "previous page"),
    "next_page": ("nächste Seite", "next page"),
    "last_page": ("letzte Seite", "last page"),
    "no_page": ("Keine solche Seite", "No such page"),
    "bad_page_text": (
        "Der Parameter page nennt die Seite mit einer ganzen Zahl ab 1, z. B. ?page=2.",
        "The page parameter names the page by a whole number from 1, e.g. ?page=2.",
    ),
    "past_last_page_text": (
        "So viele Seiten gibt es nicht: die letzte ist Seite {last}.",
        "There are not that many pages: the last is page {last}.",
    ),
    "instances": ("Instanzen", "Instances"),
    "instances_query": ("alle, als Abfrage", "all of them, as a query"),
    "from": ("von", "from"),
    "ministry": ("Ministerium", "Ministry"),
    "term": ("Laufzeit", "Term"),
    "approving_authority": ("Bewilligungsbehörde", "Approving authority"),
    "approval_form": ("Bewilligungsform", "Form of approval"),
    "legal_spheres": ("Rechtskreise", "Legal spheres"),
    "frameworks": ("Bezugsrahmen", "Frames of reference"),
    "measures": ("Maßnahmenarten und Projekte", "Measure types and projects"),
    "no_projects": ("keine Projekte", "no projects"),
    "as_written": ("im Text", "as written"),
    "signatures": ("Unterzeichnungen", "Signatures"),
    "person": ("Person", "Person"),
    "function": ("Funktion", "Function"),
    "organisation": ("Organisation", "Organisation"),
    "place_date": ("Ort, Datum", "Place, date"),
    "source": ("Quelle", "Source"),
    "provenance": ("Fundstellen im Dokument", "Where each fact stands in the document"),
    "quote": ("Fundstelle", "Source"),
    "quote_title": (
        "Die Stelle im Quelldokument, an der diese Angabe steht",
        "Where this fact stands in the source document",
    ),
    "document": ("Quelldokument", "Source document"),
    "document_text": ("Text des Dokuments", "Text of the document"),
    "document_text_intro": (
        "Der dekodierte Text, in dem die Fundstellen zählen; jede gelesene Angabe ist"
        " markiert und führt zu ihrer Ressource.",
        "The decoded text the source locations count in; every fact read from it is"
        " highlighted and links to its resource.",
    ),
    "document_text_missing": (
        "Diese Veröffentlichung enthält den Text des Dokuments nicht.",
        "This release does not hold the text of the document.",
    ),
    "text_file": ("Text (UTF-8)", "Text (UTF-8)"),
    "original_file": ("Originaldatei", "Original file"),
    "published_at": ("Veröffentlicht unter", "Published at"),
    "derived": ("Daraus gelesen", "Read from it"),
    "facts_in_document": ("Angaben im Dokument", "Facts in the document"),
    "page_number": ("Seite", "Page"),
    "to_resource": ("zur Ressource", "to the resource"),
    "fact": ("Angabe", "Fact"),
    "lines": ("Zeilen", "Lines"),
    "line": ("Zeile", "Line"),
    "characters": ("Zeichen", "Characters"),
    "whole_resource": ("die ganze Ressource", "the whole resource"),
    "agreements_per_year": ("Zielvereinbarungen je Jahr", "Target agreements per year"),
    "budget_per_year": ("Budget je Jahr", "Budget per year"),
    "release": ("Veröffentlichung", "Release"),
    "releases": ("Veröffentlichungen", "Releases"),
    "published_on": ("veröffentlicht am {date}", "published on {date}"),
    "release_shown": ("Veröffentlichung {release}", "Release {release}"),
    "release_older": (
        "Dies ist eine ältere Veröffentlichung, nur zum Lesen; sie bleibt hier, solange der"
        " Server sie aufbewahrt.",
        "This is an older release, read-only; it stays here as long as the server keeps it.",
    ),
    "release_newest": (
        "Dies ist die neueste Veröffentlichung, unter einer Adresse, die bleibt.",
        "This is the newest release, at an address that stays.",
    ),
    "release_see_newest": (
        "Dasselbe in der neuesten Veröffentlichung",
        "The same in the newest release",
    ),
    "release_gone": (
        "Die neueste Veröffentlichung beschreibt dies nicht mehr.",
        "The newest release no longer describes this.",
    ),
    "release_newest_home": ("Zur neuesten Veröffentlichung", "To the newest release"),
    "release_not_served": ("Veröffentlichung nicht vorhanden", "No such release"),
    "release_not_served_text": (
        "Eine Veröffentlichung {release} bewahrt dieser Server nicht (mehr) auf. Die"
        " Startseite nennt alle, die er zeigt.",
        "This server keeps no release {release} (any more). The home page lists every"
        " release it shows.",
    ),
    "releases_text": (
        "Jede Veröffentlichung, die der Server aufbewahrt, bleibt unter /release/<id>/ lesbar:"
        " Seiten, Downloads und SPARQL. Die neueste steht unter /.",
        "Every release the server keeps stays readable under /release/<id>/: pages,"
        " downloads and SPARQL. The newest is at /.",
    ),
    "release_current": ("neueste", "newest"),
    "synthetic_title": ("Synthetische Daten.", "Synthetic data."),
    "synthetic_banner": (
        "Diese Zielvereinbarungen sind synthetisch: erfunden zur Demonstration (make demo),"
        " nur die Gebietskörperschaften sind echt.",
        "These target agreements are synthetic: invented for a demonstration (make demo);"
        " only the territorial authorities are real.",
    ),
    "change_to_year_before": ("Änderung zum Vorjahr", "Change to the year before"),
    "change_percent": ("Änderung in %", "Change in %"),
    "projects_over_the_years": ("Projekte im Lauf der Jahre", "Projects over the years"),
    "timeline_rule": (
        "Ein Projekt läuft weiter, wenn das Vorjahr denselben Titel nennt (Groß- und"
        " Kleinschreibung und Leerraum zählen nicht, sonst nichts).",
        "A project continues when the year before lists the same title (case and white"
        " space do not count, nothing else does).",
    ),
    "status_continued": ("läuft weiter", "continued"),
    "status_new": ("neu", "new"),
    "status_ended": ("entfallen", "ended"),
    "status_first": ("erstes Jahr", "first year"),
    "mix_per_year": ("Maßnahmenarten je Jahr", "Maßnahmenarten per year"),
    "mix_caption": (
        "Projekte je Maßnahmenart und ihr Anteil an den Projekten des Jahres.",
        "Projects per Maßnahmenart and their share of the year's projects.",
    ),
    "nuts3": ("NUTS-3", "NUTS 3"),
    "external": ("Verknüpfungen", "Links to other datasets"),
    "district": ("Regierungsbezirk", "Administrative region"),
    "valid": ("Gültig", "Valid"),
    "valid_from": ("ab", "from"),
    "valid_until": ("bis", "until"),
    "short_name": ("Kurzname", "Short name"),
    "other_names": ("Frühere und andere Namen", "Former and other names"),
    "names_through_time": ("Namen im Lauf der Zeit", "Names through time"),
    "name_in_english": ("englisch", "In English"),
    "first_day": ("erster Tag", "First day"),
    "last_day": ("letzter Tag", "Last day"),
    "not_known": ("nicht bekannt", "not known"),
    "current_name": ("aktueller Name", "current name"),
    "names_source": (
        "Die Namen und ihre Zeiträume stammen aus der Referenztabelle organisationen.csv, nicht"
        " aus den Zielvereinbarungen; über alle Namen hinweg ist es dieselbe Organisation.",
        "The names and their periods come from the reference table organisationen.csv, not"
        " from the target agreements; under all its names it is the same organisation.",
    ),
    "name_on": (
        "Name am {date} (Unterzeichnung des Ministeriums)",
        "Name on {date} (the ministry's signature)",
    ),
    "name_in": ("Name im Jahr {year}", "Name in {year}"),
    "derived_name": (
        "abgeleitet aus den Namenszeiträumen der Referenztabelle, nicht aus dem Dokument gelesen",
        "derived from the periods of its names in the reference table, not read from the document",
    ),
    "derived_by": ("hergeleitet, nicht gelesen:", "derived, not read:"),
    "derived_term": (
        "hergeleitet aus dem Jahr der Zielvereinbarung, nicht aus dem Dokument gelesen",
        "derived from the year of the agreement, not read from the document",
    ),
    "as_ministry": ("Als Ministerium", "As ministry"),
    "as_authority": ("Als Bewilligungsbehörde", "As approving authority"),
    "signed_for": ("Unterzeichnet für", "Signed on behalf of"),
    "notation": ("Nummer", "Number"),
    "definition": ("Definition", "Definition"),
    "scheme": ("Schema", "Scheme"),
    "projects_of_type": ("Projekte dieser Maßnahmenart", "Projects of this measure type"),
    "listed_in": (
        "In {count} Zielvereinbarung(en) aufgeführt.",
        "Listed in {count} target agreement(s).",
    ),
    "position": ("Position", "Position"),
    "project_amount": ("Betrag", "Amount"),
    "agreement": ("Zielvereinbarung", "Target agreement"),
    "project": ("Projekt", "Project"),
    "measure_type": ("Maßnahmenart", "Measure type"),
    "siblings": (
        "Weitere Projekte dieser Maßnahmenart in der Zielvereinbarung",
        "Other projects of this measure type in the agreement",
    ),
    "classes": ("Klassen", "Classes"),
    "object_properties": ("Objekteigenschaften", "Object properties"),
    "datatype_properties": ("Datentyp-Eigenschaften", "Datatype properties"),
    "individuals": ("Individuen (Herleitungsregeln)", "Individuals (derivation rules)"),
    "domain": ("Domäne", "Domain"),
    "range": ("Wertebereich", "Range"),
    "subclass_of": ("Unterklasse von", "Subclass of"),
    "subproperty_of": ("Untereigenschaft von", "Subproperty of"),
    "characteristics": ("Merkmale", "Characteristics"),
    "namespace": ("Namensraum", "Namespace"),
    "version": ("Version", "Version"),
    "licence": ("Lizenz", "Licence"),
    "see_also": ("Siehe auch", "See also"),
    "contents": ("Inhalt", "Contents"),
    "or": ("oder", "or"),
    "graph": ("Benannter Graph", "Named graph"),
    "graph_of": ("Benannter Graph: {label}", "Named graph: {label}"),
    "graph_reference": ("Referenzdaten", "reference data"),
    "graph_ontology": ("Ontologie", "ontology"),
    "graph_resources": ("Ressourcen in diesem Graphen", "Resources in this graph"),
    "not_found": ("Nicht gefunden", "Not found"),
    "not_found_text": (
        "Über diese Adresse sagt der Datensatz nichts.",
        "The dataset says nothing about this address.",
    ),
    "unavailable": ("Gerade nicht verfügbar", "Unavailable right now"),
    "unavailable_text": (
        "Die Abfrage wurde nicht beantwortet: Entweder ist der Server ausgelastet (dann bitte in "
        "ein paar Sekunden noch einmal versuchen), oder sie brauchte länger als erlaubt – die "
        "Meldung sagt, was. Eine zu lange Abfrage braucht auch beim nächsten Versuch zu lange: "
        "Muster enger fassen oder ein LIMIT setzen.",
        "The query was not answered: either the server is busy (then please try again in a few "
        "seconds) or it took longer than allowed – the message says which. A query that took too "
        "long will take too long next time as well: narrow its patterns or add a LIMIT.",
    ),
    "over_budget": ("Zu viele Abfragen", "Too many queries"),
    "over_budget_text": (
        "Von Ihrer Adresse kommen gerade mehr Abfragen, als der Server einer Adresse "
        "zugesteht. Bitte etwas später noch einmal versuchen.",
        "More queries are coming from your address than the server allows one address. "
        "Please try again a little later.",
    ),
    "error": ("Fehler", "Error"),
    "queries_intro": (
        "Die benannten Abfragen aus queries/: jede mit Beschreibung und Parametern."
        " Ein Formular führt sie aus und zeigt das Ergebnis als Tabelle.",
        "The named queries from queries/, each with its description and parameters."
        " A form runs one and shows the result as a table.",
    ),
    "parameters": ("Parameter", "Parameters"),
    "none": ("keine", "none"),
    "required": ("erforderlich", "required"),
    "optional": ("optional", "optional"),
    "run": ("Ausführen", "Run"),
    "results": ("Ergebnis", "Result"),
    "rows": ("{count} Zeile(n)", "{count} row(s)"),
    "as_csv": ("als CSV", "as CSV"),
    "as_json": ("als JSON", "as JSON"),
    "open_in_editor": ("im SPARQL-Editor öffnen", "open in the SPARQL editor"),
    "query_text": ("SPARQL-Text", "SPARQL text"),
    "bad_parameter": ("Ungültiger Parameter", "Invalid parameter"),
    "query_intro": (
        "Eine beliebige SPARQL-Abfrage an den Endpunkt /sparql stellen. Die fertigen Abfragen"
        " können als Beispiele geladen werden.",
        "Send any SPARQL query to the endpoint /sparql. The ready-made queries can be loaded"
        " as examples.",
    ),
    "example": ("Beispiel", "Example"),
    "prefixes": ("Präfixe", "Prefixes"),
    "run_keys": ("Strg+Enter führt aus.", "Ctrl+Enter runs."),
    "download_result": ("Ergebnis herunterladen:", "Download the result:"),
    "permalink": ("Link zu dieser Abfrage", "Permalink"),
    "unknown_query": (
        "Eine benannte Abfrage {name} gibt es nicht; es gibt: {names}.",
        "There is no named query {name}; the named queries are: {names}.",
    ),
    "needs_parameters": (
        "Diese Abfrage braucht einen Wert für: {names}. Eintragen und noch einmal laden.",
        "This query needs a value for: {names}. Fill it in and load again.",
    ),
    "bad_value": (
        "Der Parameter {name} muss {expected} sein.",
        "The parameter {name} must be {expected}.",
    ),
    "expected_gYear": ("eine vierstellige Jahreszahl, z. B. 2025", "a 4-digit year, e.g. 2025"),
    "expected_kreisschluessel": (
        "ein fünfstelliger Kreisschlüssel, z. B. 06413",
        "a 5-digit Kreisschlüssel, e.g. 06413",
    ),
    "expected_notation": (
        "eine Nummer wie in skos:notation, z. B. 3",
        "a number as in skos:notation, e.g. 3",
    ),
    "expected_iri": (
        "eine absolute http(s)-IRI, z. B. https://aqb-rdf.example/id/gebietskoerperschaft/06413",
        "an absolute http(s) IRI, e.g. https://aqb-rdf.example/id/gebietskoerperschaft/06413",
    ),
    "query_failed_text": (
        "Die Abfrage ist auf dem Server gescheitert. Bitte später noch einmal versuchen.",
        "The query failed on the server. Please try again later.",
    ),
    "bad_parameters": (
        "Ein Parameterwert hat nicht die verlangte Form; die Abfrage steht ohne Werte da.",
        "A parameter value is not of the required form; the query is shown without values.",
    ),
    "query_refused": (
        "Die Abfrage ist fehlerhaft oder wird nicht ausgeführt (Meldung des Servers):",
        "The query is malformed or refused (the server's message):",
    ),
    "load": ("Laden", "Load"),
    "format": ("Format", "Format"),
    "table": ("Tabelle", "Table"),
    "needs_js": (
        "Ohne JavaScript antwortet der Endpunkt selbst (SPARQL-Ergebnis als JSON).",
        "Without JavaScript the endpoint answers itself (SPARQL results as JSON).",
    ),
    "publisher": ("Herausgeber", "Publisher"),
    "dataset": ("Datensatz", "Dataset"),
    "keywords": ("Schlagwörter", "Keywords"),
    "time_span": ("Zeitraum", "Time span"),
    "issued": ("Veröffentlicht", "Issued"),
    "modified": ("Zuletzt geändert", "Modified"),
    "endpoint": ("SPARQL-Endpunkt", "SPARQL endpoint"),
    "distributions": ("Downloads mit Größe und Prüfsumme", "Downloads with size and checksum"),
    "file": ("Datei", "File"),
    "size": ("Größe", "Size"),
    "attribution": ("Namensnennung", "Attribution"),
    "source_documents": (
        "Jede Angabe nennt ihre Fundstelle im Quelldokument.",
        "Every fact names the place in its source document.",
    ),
    "lists": ("Listen", "Lists"),
    "lists_text": (
        "Alles, was die Zielvereinbarungen nennen, als Liste zum Filtern, Sortieren und"
        " Herunterladen (CSV, JSON):",
        "Everything the agreements state, as lists to filter, sort and download (CSV, JSON):",
    ),
    "regions": ("Gebietskörperschaften", "Territorial authorities"),
    "massnahmenbereiche": (
        "Maßnahmenarten der Zielvereinbarungen",
        "Measure types of the agreements",
    ),
    "regions_intro": (
        "Alle Landkreise und kreisfreien Städte Hessens, mit der Zahl ihrer Zielvereinbarungen"
        " und der Summe der Budgets (gefiltert nach Jahr: in diesem Jahr).",
        "Every Landkreis and kreisfreie Stadt of Hesse, with the number of its agreements and"
        " their budgets in all (filtered by year: in that year).",
    ),
    "agreements_intro": (
        "Jede Zielvereinbarung mit Jahr, Gebietskörperschaft, Budget, Zahl der Projekte und"
        " den Rechtskreisen, die sie nennt.",
        "Every target agreement with its year, territorial authority, budget, number of"
        " projects and the legal spheres it names.",
    ),
    "projects_intro": (
        "Jedes Projekt jeder Zielvereinbarung, mit seiner Maßnahmenart.",
        "Every project of every agreement, with its measure type.",
    ),
    "signatures_intro": (
        "Jede Unterschrift unter einer Zielvereinbarung: Person, Funktion, Organisation, Ort"
        " und Datum.",
        "Every signature under an agreement: person, function, organisation, place and date.",
    ),
    "massnahmenbereiche_intro": (
        "Jede Maßnahmenart, wie eine Zielvereinbarung sie aufführt, mit dem Titel im Text und"
        " der Zahl ihrer Projekte (0: ohne Projekt aufgeführt).",
        "Every measure type as an agreement lists it, with its title as written and its"
        " number of projects (0: listed without a project).",
    ),
    "name": ("Name", "Name"),
    "kind_of_region": ("Art", "Kind"),
    "title": ("Titel", "Title"),
    "place": ("Ort", "Place"),
    "date": ("Datum", "Date"),
    "agreement_label": ("Zielvereinbarung {year} – {region}", "Target agreement {year} – {region}"),
    "filters": ("Filter", "Filters"),
    "legal_sphere": ("Rechtskreis", "Legal sphere"),
    "all": ("alle", "all"),
    "apply_filters": ("Anzeigen", "Show"),
    "reset_filters": ("Filter zurücksetzen", "Clear filters"),
    "list_summary": (
        "{total} Einträge; Seite {number} von {pages}.",
        "{total} entries; page {number} of {pages}.",
    ),
    "list_summary_one": ("1 Eintrag.", "1 entry."),
    "list_empty": ("Kein Eintrag passt zu diesen Filtern.", "No entry matches these filters."),
    "download_list": ("Die ganze Liste herunterladen:", "Download the whole list:"),
    "sort_by": ("sortieren nach {column}", "sort by {column}"),
    "no_filter": (
        "Diese Liste lässt sich nicht nach {name} filtern.",
        "This list cannot be filtered by {name}.",
    ),
    "no_list_text": (
        "Unter dieser Adresse steht keine Liste. Listen gibt es hier: {lists}.",
        "There is no list at this address. The lists are: {lists}.",
    ),
    "unknown_parameter": (
        "Diese Liste kennt den Parameter {name} nicht; sie kennt: {known}.",
        "This list has no parameter {name}; it takes: {known}.",
    ),
    "bad_filter": (
        "Der Filter {name} hat keinen solchen Wert: {value}.",
        "The filter {name} has no such value: {value}.",
    ),
    "bad_sort": (
        "Sortiert werden kann nur nach einer Spalte der Liste ({names}).",
        "A list can only be sorted by one of its columns ({names}).",
    ),
    "lists_of_region": ("Listen dieser Gebietskörperschaft", "Lists of this territorial authority"),
    "chart_caption": (
        "Balken: Budget in Euro; ein Balken je Jahr. Ein Klick öffnet die Zielvereinbarung.",
        "Bars: budget in euros, one bar per year. A click opens the agreement.",
    ),
}


COUNTED: Mapping[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # key: ((German one, German many), (English one, English many))
    "agreements": (
        ("Zielvereinbarung", "Zielvereinbarungen"),
        ("target agreement", "target agreements"),
    ),
    "projects": (("Projekt", "Projekte"), ("project", "projects")),
    "regions_with_agreement": (
        ("Gebietskörperschaft mit Zielvereinbarung", "Gebietskörperschaften mit Zielvereinbarung"),
        ("territorial authority with an agreement", "territorial authorities with an agreement"),
    ),
    "triples": (("Tripel", "Tripel"), ("triple", "triples")),
    "years": (("Jahr", "Jahre"), ("year", "years")),
}
"""Words that follow a number, in the singular and the plural of each language."""


def counted(key: str, count: int, lang: str) -> str:
    """The word ``key`` for ``count`` things: ``1 Zielvereinbarung``, ``2 Zielvereinbarungen``.

    Raises:
        KeyError: there is no such word (a template bug, caught by the page tests).
    """
    german, english = COUNTED[key]
    one, many = english if lang == "en" else german
    return one if count == 1 else many


def text(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Raises:
        KeyError: there is no such text (a template bug, caught by the page tests).
    """
    german, english = TEXTS[key]
    template = english if lang == "en" else german
    return template.format(**values) if values else template
