"""Turn a decided edition into a published, versioned archive entry, and check archive entries.

archive/<org>/<year>/v<n>/ holds the PDF, the web edition, the exact sources and manifest.json
with a SHA-256 for every file. An entry is staged in a temporary folder and renamed into place
only if v<n> does not exist yet; nothing ever writes into an existing version. A correction is
published as v<n+1>, naming its predecessor. `verify` re-hashes an entry against its manifest.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path

from .errors import BuildError, ContentError, Problem

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Published:
    path: Path
    version: int
    new: bool  # False: the same sources were already published as this version


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha256(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def _versions(year_dir: Path) -> list[int]:
    return sorted(int(p.name[1:]) for p in year_dir.glob("v*") if p.is_dir() and p.name[1:].isdigit())


def publish(folder: Path) -> Published:
    """Build the edition afresh and archive it as the next version (or report it as already published)."""
    from .build import build, load_edition

    edition = load_edition(folder)
    if edition.ausgabe.status != "beschlossen":
        from .load import load_yaml
        from .errors import Collector

        doc = load_yaml(Path(folder) / "ausgabe.yaml", Collector())
        raise ContentError([Problem(doc.where(("status",)), "Nur beschlossene Ausgaben werden veröffentlicht.",
                                    "Setzen Sie „status: beschlossen“, wenn die Trägerversammlung zugestimmt hat.")])
    year_dir = edition.root / "archive" / edition.organisation_slug / str(edition.ausgabe.jahr)
    year_dir.mkdir(parents=True, exist_ok=True)
    with _lock(year_dir):
        staging = Path(tempfile.mkdtemp(prefix=".neu-", dir=year_dir))
        try:
            sources = staging / "quellen"
            _copy_sources(edition, sources)
            source_hash = hashlib.sha256(json.dumps(_files(sources), sort_keys=True).encode()).hexdigest()
            versions = _versions(year_dir)
            if versions:
                latest = year_dir / f"v{versions[-1]}"
                previous = json.loads((latest / MANIFEST).read_text(encoding="utf-8"))
                if previous.get("quellen_sha256") == source_hash:
                    shutil.rmtree(staging)
                    return Published(latest, versions[-1], False)
            number = (versions[-1] + 1) if versions else 1
            result = build(folder, staging / "ausgabe")
            (staging / "ausgabe" / ".amip.lock").unlink(missing_ok=True)
            for leftover in (staging / "ausgabe").glob(".amip-*"):
                leftover.unlink()
            manifest = {
                "organisation": edition.traeger.name,
                "jahr": edition.ausgabe.jahr,
                "version": number,
                "vorgaenger": f"v{number - 1}" if number > 1 else None,
                "stand": edition.ausgabe.stand,
                "amip": package_version("amip"),
                "pdf": f"ausgabe/{result.pdf.name}",
                "seiten": result.pages,
                "quellen_sha256": source_hash,
                "dateien": _files(staging),
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            for path in staging.rglob("*"):
                os.chmod(path, 0o555 if path.is_dir() else 0o444)
            os.chmod(staging, 0o555)
            final = year_dir / f"v{number}"
            if final.exists():  # guarded by the lock; never write into an existing version
                raise BuildError(f"{final} existiert bereits – veröffentlichte Versionen werden nie überschrieben.")
            os.rename(staging, final)
        except BaseException:
            _force_remove(staging)
            raise
    return Published(final, number, True)


def _copy_sources(edition, target: Path) -> None:
    """The edition folder and the organisation files it depends on, as they were published."""
    org = edition.folder.resolve().parent
    shutil.copytree(edition.folder, target / org.name / edition.folder.name)
    for name in ("traeger.yaml", "abkuerzungen.yaml", "silbentrennung.txt"):  # organisation files the build reads
        if (org / name).is_file():
            shutil.copy2(org / name, target / org.name / name)


def verify(entry: Path) -> list[str]:
    """German findings for one archive entry; empty if every file matches the manifest."""
    manifest_path = entry / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected = manifest["dateien"]
    except (OSError, ValueError, KeyError):
        return [f"{entry}: manifest.json fehlt oder ist unlesbar."]
    found = _files(entry)
    problems = [f"{entry}/{name}: fehlt." for name in sorted(set(expected) - set(found))]
    problems += [f"{entry}/{name}: nicht im Manifest (nachträglich hinzugefügt)." for name in sorted(set(found) - set(expected))]
    problems += [f"{entry}/{name}: Inhalt verändert (Prüfsumme stimmt nicht)." for name in sorted(set(found) & set(expected))
                 if found[name] != expected[name]]
    return problems


def entries(path: Path) -> list[Path]:
    """Every archive entry (folder with a manifest) at or below `path`."""
    if (path / MANIFEST).is_file():
        return [path]
    return sorted(p.parent for p in path.rglob(MANIFEST))


def _force_remove(path: Path) -> None:
    if not path.exists():
        return
    for p in [path, *path.rglob("*")]:
        with contextlib.suppress(OSError):
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _lock(year_dir: Path):
    with open(year_dir / ".archiv.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"In {year_dir} wird gerade veröffentlicht. Warten Sie, bis das fertig ist.") from None
        yield
