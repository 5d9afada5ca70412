"""Build outputs as releases: each build a new folder, swapped in atomically (I/O edge).

A build output folder ``DIR`` looks like this::

    DIR/.aqb-build                 marker: only such a folder is ever written into
    DIR/releases/<id>/aqb.ttl …    one folder per release; <id> is a hash of its content
    DIR/releases/<id>/release.json the base IRI the release was built with (see below)
    DIR/current -> releases/<id>   the published release, replaced by one atomic rename
    DIR/aqb.ttl -> current/aqb.ttl and the other dumps, catalog.ttl, void.ttl: stable paths

A new release is filled in a staging folder and only then becomes ``current``, so a reader never
sees a half-written release; the release ``current`` pointed to before stays until the next
build, so a server still reading it can finish and switch over.

Every IRI of a release is minted under the base it was built with, and the server maps that
base to its root, so a release records it (:data:`RECORD`, written by the build) and the
commands that read a release (``summary``, ``query``, ``serve``, ``push``) take it from there
(:func:`recorded_base`). A release from before releases recorded their base has the default.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from aqb_rdf.errors import AqbError
from aqb_rdf.publish.digests import combined_digest, file_sha256
from aqb_rdf.rdf.files import DOWNLOADS, RELEASE_RECORD
from aqb_rdf.rdf.iris import DEFAULT_BASE, check_base

MARKER = ".aqb-build"
RELEASES = "releases"
CURRENT = "current"
LINKED = tuple(file.name for file in DOWNLOADS)
"""The files of a release that ``DIR`` links to: the dumps, ``catalog.ttl`` and ``void.ttl``."""
RECORD = RELEASE_RECORD.name
"""The file in a release folder that records its base IRI: ``{"base": "https://…/"}``."""


def release_id(folder: Path, known: Mapping[str, str] | None = None) -> str:
    """A hash of the release's content: the same input gives the same id.

    Args:
        folder: the release folder.
        known: SHA-256s already computed, by file name (those the catalogue states); the
            other files of :data:`LINKED` and the :data:`RECORD` in ``folder`` are hashed here.
    """
    known = known or {}
    return combined_digest(
        (name, known.get(name) or file_sha256(folder / name))
        for name in (*LINKED, RECORD)
        if (folder / name).exists()
    )


def write_record(folder: Path, base: str) -> None:
    """Record in the release ``folder`` that it was built with ``base`` (deterministic JSON)."""
    text = json.dumps({"base": check_base(base)}, sort_keys=True, indent=2)
    (folder / RECORD).write_text(text + "\n", encoding="utf-8")


def recorded_base(data: Path) -> str:
    """The base IRI the release in ``data`` was built with.

    Args:
        data: a build output folder (its ``current`` release is read) or a release folder.

    Returns:
        The recorded base; :data:`~aqb_rdf.rdf.iris.DEFAULT_BASE` for a release that records
        none (built before releases recorded their base) or a folder that is no release.

    Raises:
        AqbError: the record is not JSON with a ``base`` that is a base IRI.
    """
    for folder in (data, current_release(data)):
        if folder is None or not (folder / RECORD).is_file():
            continue
        path = folder / RECORD
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            return check_base(record["base"])
        except (ValueError, KeyError, TypeError) as error:
            raise AqbError(f"not a record of the release's base IRI: {error}", str(path)) from None
    return DEFAULT_BASE


def release_base(recorded: str, wanted: str | None) -> str:
    """The base to read a release with: ``recorded``, if ``wanted`` is none or the same.

    Raises:
        AqbError: ``wanted`` differs from ``recorded`` (one line naming both).
    """
    if wanted is None or wanted == recorded:
        return recorded
    raise AqbError(
        f"the release was built with base {recorded}, not {wanted} (--base or AQB_BASE);"
        f" leave out --base and AQB_BASE, or build again with --base {wanted}"
    )


def current_release(out: Path) -> Path | None:
    """The folder of the published release of ``out``, or None if there is none."""
    link = out / CURRENT
    return link.resolve() if link.is_symlink() else None


def publish(out: Path, fill: Callable[[Path], Mapping[str, str] | None]) -> Path:
    """Fill a new release of ``out`` with ``fill`` and make it current; return its folder.

    ``fill`` may return the SHA-256s it computed of files it wrote, by name, so that the
    release id does not read those files again.

    A failure anywhere leaves ``out`` exactly as it was. ``out`` must be absent, empty, or an
    earlier build (it holds :data:`MARKER`): a build never writes into a folder it did not make.
    """
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise AqbError("exists and is not an aqb-rdf build output; choose another --out", str(out))
    created = not out.exists()
    releases = out / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=releases))
    try:
        known = fill(staging)
        os.chmod(staging, 0o755)
        release = releases / release_id(staging, known)
        if release.exists():  # the same content again: keep the published folder as it is
            shutil.rmtree(staging)
        else:
            os.replace(staging, release)
    except BaseException:
        shutil.rmtree(out if created else staging, ignore_errors=True)
        if not created and not any(releases.iterdir()):
            releases.rmdir()
        raise
    (out / MARKER).write_text("written by aqb-rdf build\n", encoding="utf-8")
    previous = current_release(out)
    _replace_link(out / CURRENT, f"{RELEASES}/{release.name}")
    for name in LINKED:
        if not (out / name).is_symlink():
            _replace_link(out / name, f"{CURRENT}/{name}")
    _prune(releases, keep={release, previous})
    expected = {MARKER, RELEASES, CURRENT, *LINKED}
    for entry in out.iterdir():  # what an older build left: the folder is ours (MARKER)
        if entry.name not in expected:
            _remove(entry)
    return release


def _replace_link(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` in one atomic step (a new link renamed over the old).

    Where an older build left a real file or folder instead of a link, it is removed first.
    """
    temporary = path.with_name(f".{path.name}.link")
    _remove(temporary)
    temporary.symlink_to(target)
    if path.exists() and not path.is_symlink():
        _remove(path)
    os.replace(temporary, path)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _prune(releases: Path, keep: set[Path | None]) -> None:
    """Remove the releases other than ``keep`` (and staging folders of failed builds)."""
    kept = {p.resolve() for p in keep if p is not None}
    for folder in releases.iterdir():
        if folder.resolve() not in kept:
            shutil.rmtree(folder, ignore_errors=True)
