"""Which files of the source folders a build reads, and what it says of the others.

``find_sources`` in ``build/pipeline.py``: agreement documents (.md, .txt, .pdf) are read; any
other file found in a folder is reported as skipped with the reason, hidden files and folders
aside; ``check`` and ``build`` carry that list to the commands (their output: test_cli.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aqb_rdf.build.pipeline import build, check, find_sources
from aqb_rdf.errors import AqbError

REPO = Path(__file__).resolve().parent.parent
AGREEMENTS = REPO / "data" / "agreements" / "2025"


def folder_with_others(tmp_path: Path) -> Path:
    """The two agreements of data/agreements, a .docx, an .html and hidden files beside them."""
    folder = tmp_path / "agreements"
    shutil.copytree(AGREEMENTS, folder)
    (folder / "vereinbarung-kassel.docx").write_bytes(b"PK\x03\x04")
    (folder / "sub").mkdir()
    (folder / "sub" / "seite.html").write_text("<html></html>", encoding="utf-8")
    (folder / "sub" / "notes.odx").write_text("?", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]", encoding="utf-8")
    return folder


def test_other_files_are_skipped_with_the_reason(tmp_path: Path) -> None:
    folder = folder_with_others(tmp_path)
    documents, skipped = find_sources([folder])
    assert [p.name for p in documents] == ["bergstrasse.txt", "offenbach-am-main-stadt.md"]
    assert [(Path(s.path).relative_to(folder).as_posix(), s.reason) for s in skipped] == [
        ("sub/notes.odx", "not an agreement document: only .md, .txt and .pdf are read"),
        ("sub/seite.html", "a web page: only .md, .txt and .pdf are read; save it as PDF or text"),
        (
            "vereinbarung-kassel.docx",
            "a word-processor document: only .md, .txt and .pdf are read; save it as PDF",
        ),
    ]
    assert str(skipped[0]) == f"{folder / 'sub' / 'notes.odx'}: {skipped[0].reason}"


def test_a_folder_of_other_files_only_says_how_many(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"PK")
    with pytest.raises(AqbError) as caught:
        find_sources([tmp_path])
    assert str(caught.value).endswith("; 1 other file(s) skipped"), str(caught.value)


def test_check_and_build_report_the_skipped_files(tmp_path: Path) -> None:
    folder = folder_with_others(tmp_path)
    report = check([folder], workers=1)
    assert len(report.conforming) == 2 and not report.problems
    assert [Path(s.path).name for s in report.skipped] == [
        "notes.odx",
        "seite.html",
        "vereinbarung-kassel.docx",
    ]
    notices: list[str] = []
    built = build([folder], tmp_path / "dist", workers=1, notice=notices.append)
    assert built.skipped == report.skipped
    assert notices == [f"skipped {s}" for s in report.skipped]
