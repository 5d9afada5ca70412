"""Write confirmed Wikidata links into the reference tables (CSV text), atomically.

``aqb-rdf link --write`` uses it: :func:`update_table` changes only the ``wikidata`` cell and
the provenance cells (``wikidata_checked``, ``wikidata_endpoint``) of the rows it links, and
:func:`write_atomically` replaces the files by rename, so a failure leaves them as they were.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aqb_rdf.link.reconcile import Link
from aqb_rdf.source.reference import ORGANISATIONS_FILE, REGIONS_FILE

CHECKED_COLUMN = "wikidata_checked"
ENDPOINT_COLUMN = "wikidata_endpoint"


def update_table(text: str, id_column: str, new_links: Sequence[Link]) -> tuple[str, int]:
    """``text`` (a reference table) with ``new_links`` written into every row of their ids, and
    the number of rows written.

    Columns and unchanged cells stay as they are; the provenance columns are appended when the
    table lacks them.
    """
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text, 0
    written = 0
    header = rows[0]
    for column in ("wikidata", CHECKED_COLUMN, ENDPOINT_COLUMN):
        if column not in header:
            header.append(column)
    by_id = {link.id: link for link in new_links}
    index = {name: header.index(name) for name in header}
    for row in rows[1:]:
        row.extend([""] * (len(header) - len(row)))
        link = by_id.get(row[index[id_column]])
        if link is not None and row[index[id_column]]:
            row[index["wikidata"]] = link.qid
            row[index[CHECKED_COLUMN]] = link.date
            row[index[ENDPOINT_COLUMN]] = link.endpoint
            written += 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), written


def write_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary file beside it first, then rename each into place.

    A failure before the renames leaves every file untouched; a reader never sees a half-written
    file, because each rename is atomic.
    """
    temporary: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            temporary.append((Path(name), path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        for tmp, path in temporary:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temporary:
            tmp.unlink(missing_ok=True)


def write_links(folder: Path, new_links: Sequence[Link]) -> int:
    """Write ``new_links`` into both reference tables in ``folder``; returns the rows written.

    Organisation links are keyed by slug, region links by district key; a table is rewritten
    only when its text changes.
    """
    tables = {REGIONS_FILE: "kreisschluessel", ORGANISATIONS_FILE: "slug"}
    changed: dict[Path, str] = {}
    rows = 0
    for name, id_column in tables.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        updated, written = update_table(text, id_column, new_links)
        rows += written
        if updated != text:
            changed[path] = updated
    write_atomically(changed)
    return rows
