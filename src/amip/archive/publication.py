"""Turn a decided edition into the next write-once version of the archive, built from a frozen copy.

archive/<träger>/<jahr>/v<n>/ is staged in a hidden folder .neu-… beside it: the sources are copied
first and the edition is built *from that copy*, then PDF, druck.html and web edition, the copy
and manifest.json (with the SHA-256 of the predecessor's manifest) are sealed as a BagIt bag and
renamed into place, and archive/index.json records the version with the SHA-256 of its manifest.
Nothing ever writes into an existing version; a correction becomes v<n+1>. All of it runs under
one archive-wide lock, which also lets a publish remove the leftovers of a killed one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..output import exclusive, lock_path
from ..errors import BuildError, Collector, ContentError, EnvironmentProblem, Problem, environment_problem
from . import bag, index, snapshot
from .verification import VERSION_NAME, check

ARCHIVE = "archive"
STAGING = ".neu-"
LOCK = ".archiv.lock"
EXIT_DAMAGED = 4   # `amip verify` found a difference; publishing on top of it is refused as well


@dataclass(frozen=True)
class Published:
    path: Path
    version: int
    new: bool  # False: the same input set was already published as this version


def publish(folder: Path, key: Path | None = None, progress=None) -> Published:
    """Archive the edition in `folder` as the next version (or report it as already published).

    With `key` (an SSH private key, or a public key held by ssh-agent) the archive index is signed.
    """
    from ..build import load_edition

    from ..terminal.progress import silent

    progress = progress or silent
    edition = load_edition(folder, progress)
    _require_decided(Path(folder), edition)
    archive = edition.root / ARCHIVE
    where = f"{edition.organisation_slug}/{edition.ausgabe.jahr}"
    year_dir = archive / where
    with _lock(archive):
        _remove_leftovers(archive)
        _require_intact(archive, key)
        year_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=year_dir))
        try:
            sealed = _stage(edition, staging, year_dir, progress)
            if isinstance(sealed, Published):
                _force_remove(staging)
                return sealed
            final = year_dir / f"v{sealed['version']}"
            _refuse_existing(final)
            _record(archive, index.entry(f"{where}/{final.name}", sealed, bag.manifest_digest(staging)), key)
        except OSError as exc:  # disk full, no write permission …: the environment, not the text
            _force_remove(staging)
            raise _environment("Veröffentlichen nicht möglich", exc) from None
        except BaseException:
            _force_remove(staging)
            raise
        # The index names the version now; a kill before the rename leaves a staging folder that
        # the next publish moves into place (see _remove_leftovers).
        _move_into_place(staging, final)
    return Published(final, sealed["version"], True)


def _record(archive: Path, entry: dict, key: Path | None) -> None:
    """Add the version to the index (and sign it); on failure the index is as it was."""
    before = (archive / index.INDEX).read_bytes() if (archive / index.INDEX).is_file() else None
    try:
        index.write(archive, [*(index.read(archive) or []), entry])
        if key is not None:
            index.sign(archive, key)
    except BaseException:
        from ..output import atomic_write

        if before is None:
            (archive / index.INDEX).unlink(missing_ok=True)
        else:
            atomic_write(archive / index.INDEX, before)
        raise


def _move_into_place(staging: Path, final: Path) -> None:
    os.rename(staging, final)


def _stage(edition, staging: Path, year_dir: Path, progress) -> dict | Published:
    """Snapshot, compare with the latest version, build from the snapshot, seal. → manifest or Published."""
    from ..build import build

    sources_root = staging / bag.PAYLOAD / "quellen"
    copy = snapshot.take(edition, sources_root)
    sources = bag.files_below(sources_root, f"{bag.PAYLOAD}/quellen/")
    inputs = snapshot.inputs()
    sources_digest = bag.tree_digest(sources)
    fingerprint = snapshot.fingerprint(sources_digest, inputs)
    numbers = _versions(year_dir)
    previous = year_dir / f"v{numbers[-1]}" if numbers else None
    if previous is not None and (bag.read_manifest(previous) or {}).get("eingaben_sha256") == fingerprint:
        return Published(previous, numbers[-1], False)
    number = numbers[-1] + 1 if numbers else 1
    _refuse_existing(year_dir / f"v{number}")
    copied = _decided_copy(copy)
    result = build(copy, staging / ".bau", version=number, progress=progress)
    _force_remove(sources_root / "build")   # the chart cache of the build, not a source
    if bag.files_below(sources_root, f"{bag.PAYLOAD}/quellen/") != sources:
        raise BuildError("Die kopierten Quellen haben sich während des Builds verändert – es wurde nichts veröffentlicht.")
    _take_outputs(result, staging / bag.PAYLOAD / "ausgabe")
    _force_remove(staging / ".bau")
    lock_path(staging / ".bau").unlink(missing_ok=True)  # the build's lock file lies beside its output
    manifest = {
        "format": bag.FORMAT,
        "traeger": copied.organisation_slug,
        "organisation": copied.traeger.name,
        "jahr": copied.ausgabe.jahr,
        "version": number,
        "vorgaenger": f"v{number - 1}" if previous else None,
        "vorgaenger_manifest_sha256": bag.manifest_digest(previous) if previous else None,
        "stand": copied.ausgabe.stand,
        "veroeffentlicht": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pdf": f"{bag.PAYLOAD}/ausgabe/{result.pdf.name}",
        "seiten": result.pages,
        "quellen_sha256": sources_digest,
        "eingaben": inputs,
        "eingaben_sha256": fingerprint,
        "dateien": bag.payload(staging),
    }
    bag.seal(staging, manifest)
    for path in staging.rglob("*"):
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    os.chmod(staging, 0o555)
    return manifest


def _refuse_existing(final: Path) -> None:
    """Never write into an existing version (checked before the build and again before the rename)."""
    if final.exists():
        raise BuildError(f"{final} existiert bereits – veröffentlichte Versionen werden nie überschrieben.")


def _decided_copy(copy: Path):
    """The snapshot loaded once more: an edit between the first check and the copy is caught here."""
    from ..build import load_edition

    edition = load_edition(copy)
    _require_decided(copy, edition)
    return edition


def _take_outputs(result, target: Path) -> None:
    """PDF, druck.html and web edition of a build move into the bag; build bookkeeping stays behind."""
    target.mkdir(parents=True)
    os.replace(result.pdf, target / result.pdf.name)
    os.replace(result.pdf.parent / "druck.html", target / "druck.html")
    os.replace(result.web.parent, target / "web")


def _require_decided(folder: Path, edition) -> None:
    if edition.ausgabe.status == "beschlossen":
        return
    from ..load import load_yaml

    doc = load_yaml(folder / "ausgabe.yaml", Collector())
    raise ContentError([Problem(doc.where(("status",)), "Nur beschlossene Ausgaben werden veröffentlicht.",
                                "Setzen Sie „status: beschlossen“, wenn die Trägerversammlung zugestimmt hat.")])


def _require_intact(archive: Path, key: Path | None) -> None:
    """A new version is chained to the archive as it is: refuse to build on a damaged or re-signed one."""
    if key is not None:
        index.require_key(key)
    report = check(archive)
    if report.findings:
        raise BuildError("Das Archiv ist nicht unversehrt, deshalb wird nichts veröffentlicht:\n  "
                         + "\n  ".join(report.lines())
                         + "\nKlären Sie die Abweichungen mit der Archivverantwortlichen („amip verify“).",
                         exit_code=EXIT_DAMAGED)
    if (archive / index.SIGNATURE).is_file():
        if key is None:
            raise BuildError("Das Archiv ist signiert: Veröffentlichen Sie mit „--signieren <Schlüssel>“, "
                             "sonst passt die Signatur nicht mehr zum Archivindex.", exit_code=EXIT_DAMAGED)
        problem = index.check_with_key(archive, key)
        if problem:
            raise BuildError(f"{problem} Es wird nichts veröffentlicht.", exit_code=EXIT_DAMAGED)


def _versions(year_dir: Path) -> list[int]:
    return sorted(int(m[1]) for p in year_dir.iterdir() if p.is_dir() and (m := VERSION_NAME.fullmatch(p.name)))


def _remove_leftovers(archive: Path) -> None:
    """Staging folders of a killed publish (safe: we hold the archive lock). A sealed one that the
    index already names – killed between index and rename – is moved into place; any other is removed."""
    try:
        indexed = {e["pfad"]: e["manifest_sha256"] for e in index.read(archive) or []}
    except index.UnreadableIndex:
        indexed = {}
    for leftover in sorted(archive.glob(f"*/*/{STAGING}*")):
        manifest = bag.read_manifest(leftover) or {}
        final = leftover.parent / f"v{manifest.get('version')}"
        where = final.relative_to(archive).as_posix()
        digest = bag.manifest_digest(leftover)
        if digest is not None and indexed.get(where) == digest and not final.exists():
            _move_into_place(leftover, final)
        else:
            _force_remove(leftover)


def _force_remove(path: Path) -> None:
    if not path.exists():
        return
    for p in [path, *path.rglob("*")]:
        with contextlib.suppress(OSError):
            if not p.is_symlink():
                os.chmod(p, 0o755 if p.is_dir() else 0o644)
    shutil.rmtree(path, ignore_errors=True)


def _environment(what: str, exc: OSError) -> EnvironmentProblem:
    known = environment_problem(exc)
    return EnvironmentProblem(f"{what}: {known.message if known else exc} Es wurde keine Version angelegt.")


@contextlib.contextmanager
def _lock(archive: Path):
    try:
        archive.mkdir(parents=True, exist_ok=True)
        (archive / LOCK).touch()
    except OSError as exc:
        raise _environment(f"Das Archiv {archive} lässt sich nicht anlegen oder sperren", exc) from None
    with exclusive(archive / LOCK, f"In {archive} wird gerade veröffentlicht. Warten Sie, bis das fertig ist."):
        yield
