"""Build outputs as releases: each build a new folder, swapped in atomically (I/O edge).

A build output folder ``DIR`` looks like this::

    DIR/.aqb-build                 marker: only such a folder is ever written into; the
                                   build writing into DIR holds an flock on it
    DIR/releases/<id>/aqb.ttl …    one folder per release; <id> is a hash of its content
    DIR/releases/<id>/release.json the base IRI the release was built with (see below), the
                                   software version and the SHA-256 of every input document
    DIR/releases/<id>/dokumente/   each document's decoded text and original file
    DIR/releases/<id>/.published   when the release last became current (ISO 8601, UTC;
                                   not part of its content: the id does not count it)
    DIR/current -> releases/<id>   the published release, replaced by one atomic rename
    DIR/aqb.ttl -> current/aqb.ttl and the other dumps, catalog.ttl, void.ttl: stable paths

A new release is filled in a staging folder (``releases/.new-*``) and only then becomes
``current``, so a reader never sees a half-written release. The releases published last are
kept, ``keep`` of them (the current one and the one before it at least, so a server still
reading that one can finish and switch over; ``build --keep-releases``, default
:data:`KEEP_RELEASES`): the server serves each under ``/release/<id>/``.

A build killed at any moment leaves ``DIR`` usable: the marker is the first thing written into
a fresh ``DIR``, and the next build removes the staging folders of dead builds (and says so).
Only one build writes into ``DIR`` at a time: a second one refuses while the first holds the
lock (the kernel lets go of it when its holder dies, however it dies).

Every IRI of a release is minted under the base it was built with, and the server maps that
base to its root, so a release records it (:data:`RECORD`, written by the build) and the
commands that read a release (``summary``, ``query``, ``serve``, ``push``) take it from there
(:func:`recorded_base`). A release from before releases recorded their base has the default.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from aqb_rdf.config import BUILD_KEEP_RELEASES
from aqb_rdf.errors import AqbError
from aqb_rdf.publish.digests import combined_digest, file_sha256
from aqb_rdf.publish.writing import naming
from aqb_rdf.rdf.files import DOWNLOADS, RELEASE_RECORD, TRIG_DUMP
from aqb_rdf.rdf.iris import DEFAULT_BASE, check_base

MARKER = ".aqb-build"
RELEASES = "releases"
CURRENT = "current"
STAGING = ".new-"
"""The prefix of a release folder still being filled."""
PUBLISHED = ".published"
"""The file in a release folder saying when it last became current (ISO 8601, UTC)."""
KEEP_RELEASES: int = BUILD_KEEP_RELEASES.default
"""Releases a build output keeps by default, the current one included (config's setting)."""
LINKED = tuple(file.name for file in DOWNLOADS)
"""The files of a release that ``DIR`` links to: the dumps, ``catalog.ttl`` and ``void.ttl``."""
RECORD = RELEASE_RECORD.name
"""The file in a release folder that records its base IRI, the software and its inputs:
``{"base": "https://…/", "software": {…}, "documents": [{"file": …, "sha256": …}, …]}``."""
DATASET = TRIG_DUMP.name
"""The dump a release is read from as named graphs (``aqb-rdf diff``)."""
Notice = Callable[[str], None]
"""Told, in one line, what a build did besides building (e.g. what it cleaned up)."""


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


def software_version() -> str:
    """The version of aqb-rdf that builds (the installed distribution's)."""
    try:
        return version("aqb-rdf")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def write_record(
    folder: Path, base: str, documents: Iterable[tuple[str, str]] = (), synthetic: bool = False
) -> None:
    """Record in the release ``folder`` how it was built (deterministic JSON).

    The record holds the ``base`` IRI, the ``software`` that built it (name and version) and
    the ``documents`` read, as ``{"file": name, "sha256": …}`` sorted by name and checksum:
    the same input and software give the same bytes, wherever the documents lay.
    """
    record: dict[str, object] = {
        "base": check_base(base),
        "software": {"name": "aqb-rdf", "version": software_version()},
        "documents": [{"file": name, "sha256": sha256} for name, sha256 in sorted(set(documents))],
    }
    if synthetic:  # invented data (make demo); a real release's record stays as it was
        record["synthetic"] = True
    text = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False)
    with naming(folder / RECORD):
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


def recorded_synthetic(release: Path) -> bool:
    """Whether the release folder ``release`` holds invented data (``make demo``)."""
    try:
        record = json.loads((release / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("synthetic") is True


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


def publish(
    out: Path,
    fill: Callable[[Path], Mapping[str, str] | None],
    notice: Notice | None = None,
    keep: int = KEEP_RELEASES,
) -> Path:
    """Fill a new release of ``out`` with ``fill`` and make it current; return its folder.

    ``fill`` may return the SHA-256s it computed of files it wrote, by name, so that the
    release id does not read those files again.

    A failure anywhere leaves ``out`` as it was (a fresh ``out`` is removed again). ``out``
    must be absent, empty, or an earlier build (it holds :data:`MARKER`): a build never writes
    into a folder it did not make.

    Args:
        out: the build output folder.
        fill: writes the release's files into the folder it is given.
        notice: told what was cleaned up of interrupted builds, one line each.
        keep: the releases to keep, the new one included (at least 2: it and the one before);
            older ones are removed, the least recently published first.

    Raises:
        AqbError: ``out`` is not a build output, or another build is writing into it.
        OSError: a file cannot be written (``filename`` names it).
    """
    fresh = _claim(out, notice)
    releases = out / RELEASES
    with _exclusive(out):  # a refusal undoes nothing: the folder is the other build's
        try:
            _remove_unfinished(releases, notice)
            return _publish_locked(out, releases, fill, max(2, keep))
        except BaseException:
            if fresh:
                _unclaim(out, fresh)
            raise


def _claim(out: Path, notice: Notice | None) -> str:
    """Check that ``out`` may be built into and write the marker first; how fresh it was.

    Returns:
        ``"created"`` (``out`` did not exist), ``"empty"`` (it was empty) or ``""`` (an
        earlier build).
    """
    if out.exists() and not out.is_dir():
        raise AqbError("exists and is not an aqb-rdf build output; choose another --out", str(out))
    if out.is_dir() and not (out / MARKER).exists():
        entries = list(out.iterdir())
        if entries and not _interrupted_first_build(out, entries):
            raise AqbError(
                "exists and is not an aqb-rdf build output; choose another --out", str(out)
            )
        if entries and notice:
            notice(f"{out}: adopted as a build output (an earlier build was interrupted)")
    fresh = "" if (out / MARKER).exists() else "empty" if out.exists() else "created"
    out.mkdir(parents=True, exist_ok=True)
    if fresh:
        with naming(out / MARKER):
            (out / MARKER).write_text("written by aqb-rdf build\n", encoding="utf-8")
    return fresh


def _interrupted_first_build(out: Path, entries: list[Path]) -> bool:
    """Whether ``out`` holds nothing but staging folders: a first build killed before it
    wrote the marker (builds before the marker came first did that)."""
    releases = out / RELEASES
    if entries != [releases] or releases.is_symlink() or not releases.is_dir():
        return False
    return all(entry.name.startswith(STAGING) for entry in releases.iterdir())


def _unclaim(out: Path, fresh: str) -> None:
    """Undo :func:`_claim` after a failed first build: remove what it and the build wrote."""
    if fresh == "created":
        shutil.rmtree(out, ignore_errors=True)
        return
    shutil.rmtree(out / RELEASES, ignore_errors=True)
    with contextlib.suppress(OSError):  # the build's own error is the one to report
        (out / MARKER).unlink(missing_ok=True)


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """Hold the build lock of ``out`` (an flock on its marker); refuse at once if another
    build holds it. The marker is only read, so a read-only marker locks all the same."""
    fd = os.open(out / MARKER, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AqbError(
                "another aqb-rdf build is writing into this folder; wait until it has finished",
                str(out),
            ) from None
        yield
    finally:
        os.close(fd)


def _remove_unfinished(releases: Path, notice: Notice | None) -> None:
    """Remove the staging folders dead builds left in ``releases`` (the lock is held)."""
    if not releases.is_dir():
        return
    unfinished = sorted(p for p in releases.iterdir() if p.name.startswith(STAGING))
    for folder in unfinished:
        _remove(folder)
    if unfinished and notice:
        names = ", ".join(str(p) for p in unfinished)
        notice(
            f"removed {len(unfinished)} unfinished release folder(s) of an interrupted build: {names}"
        )


def _publish_locked(
    out: Path, releases: Path, fill: Callable[[Path], Mapping[str, str] | None], keep: int
) -> Path:
    releases.mkdir(exist_ok=True)
    previous = current_release(out)
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=releases))
    except OSError as error:  # it names the folder it tried to make, which does not exist
        raise OSError(error.errno, error.strerror, str(releases)) from None
    try:
        known = fill(staging)
        os.chmod(staging, 0o755)
        release = releases / release_id(staging, known)
        kept = release.exists()
        if kept:  # the same content again: keep the published folder as it is
            shutil.rmtree(staging)
            if release.resolve() != previous:  # current again: published now (not if it is)
                _stamp(release)
        else:
            _stamp(staging)
            os.replace(staging, release)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        _replace_link(out / CURRENT, f"{RELEASES}/{release.name}")
        for name in LINKED:
            if not (out / name).is_symlink():
                _replace_link(out / name, f"{CURRENT}/{name}")
    except BaseException:
        if not kept and current_release(out) != release:  # never published: not left behind
            shutil.rmtree(release, ignore_errors=True)
        raise
    _prune(releases, keep={release, previous, *releases_of(out, newest_first=True)[:keep]})
    expected = {MARKER, RELEASES, CURRENT, *LINKED}
    for entry in out.iterdir():  # what an older build left: the folder is ours (MARKER)
        if entry.name not in expected:
            _remove(entry)
    return release


def _stamp(folder: Path) -> None:
    """Record in ``folder`` that it becomes current now (:data:`PUBLISHED`), in one step."""
    # To the microsecond: builds a second apart or less must still be told apart in time,
    # or the prune keeps the wrong ones (a CI run saw three releases kept of two).
    moment = dt.datetime.now(dt.UTC).isoformat()
    temporary = folder / f"{PUBLISHED}.new"
    with naming(folder / PUBLISHED):
        temporary.write_text(moment + "\n", encoding="utf-8")
        os.replace(temporary, folder / PUBLISHED)


def published_at(release: Path) -> dt.datetime | None:
    """When the release folder ``release`` last became current (None: not recorded, a release
    built before releases recorded it, or unreadable)."""
    try:
        text = (release / PUBLISHED).read_text(encoding="utf-8").strip()
        moment = dt.datetime.fromisoformat(text)
    except (OSError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _replace_link(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` in one atomic step (a new link renamed over the old).

    Where an older build left a real file or folder instead of a link, it is removed first.
    A failure names ``path`` (``symlink`` names the target, which is not what failed).
    """
    if path.is_symlink() and os.readlink(path) == target:
        return  # already so: nothing to write (a rebuild of the same data into a read-only DIR)
    temporary = path.with_name(f".{path.name}.link")
    try:
        _remove(temporary)
        temporary.symlink_to(target)
        if path.exists() and not path.is_symlink():
            _remove(path)
        os.replace(temporary, path)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None


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


def find_release(name: str, out: Path) -> Path:
    """The release folder ``name`` names: a folder, or the id of a release of ``out``.

    A build output folder (it has ``current``) names its published release; a release folder
    (it has ``aqb.trig``) names itself; otherwise ``name`` is looked up in ``out/releases/``.

    Raises:
        AqbError: ``name`` is none of these (the message lists the releases ``out`` keeps).
    """
    folder = Path(name)
    if folder.is_dir():
        release = current_release(folder) if (folder / CURRENT).is_symlink() else folder
        if release is not None and (release / DATASET).is_file():
            return release
        raise AqbError(f"not a release: {DATASET} is missing; build it first", str(folder))
    kept = releases_of(out)
    by_id = {release.name: release for release in kept}
    if name in by_id and (by_id[name] / DATASET).is_file():
        return by_id[name]
    ids = ", ".join(sorted(by_id)) or "none"
    raise AqbError(f"no such folder, nor a release id of {out} (it keeps: {ids})", name)


def releases_of(out: Path, *, newest_first: bool = False) -> list[Path]:
    """The finished release folders ``out`` keeps (staging folders aside), sorted by id; or,
    ``newest_first``, the current one first and the others by when they were last published
    (:func:`published_at`; a release that does not record it by its folder's age), newest first."""
    releases = out / RELEASES
    if not releases.is_dir():
        return []
    found = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(STAGING))
    if not newest_first:
        return found
    current = current_release(out)

    def age(folder: Path) -> tuple[bool, dt.datetime, str]:
        moment = published_at(folder)
        if moment is None:
            try:
                moment = dt.datetime.fromtimestamp(folder.stat().st_mtime, dt.UTC)
            except OSError:
                moment = dt.datetime.min.replace(tzinfo=dt.UTC)
        return (folder.resolve() == current, moment, folder.name)

    return sorted(found, key=age, reverse=True)
