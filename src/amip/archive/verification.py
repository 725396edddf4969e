"""Turn an archive folder into German findings, each naming the version it concerns.

For every version: folder name against its manifest, every payload file against the manifest, the
manifest's own sums (quellen_sha256, eingaben_sha256) and its BagIt tag files. For every
organisation and year: the chain v1 → v2 → … (each manifest records the SHA-256 of its
predecessor's manifest.json; no number may be missing). For the archive: the index (every version
listed with the SHA-256 of its manifest, nothing missing, nothing added) and, given the allowed
signers, the signature of the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, Location
from . import bag, index, snapshot

VERSION_NAME = re.compile(r"v([1-9][0-9]*)")
SOURCES = "data/quellen/"
REQUIRED = {"format": str, "traeger": str, "organisation": str, "jahr": int, "version": int, "stand": str,
            "pdf": str, "quellen_sha256": str, "eingaben": dict, "eingaben_sha256": str, "dateien": dict}


@dataclass(frozen=True)
class Finding:
    where: str    # relative to the archive root: "duesseldorf/2026/v1", "duesseldorf/2026" or "index.json"
    message: str


@dataclass
class Report:
    root: Path
    scope: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)    # worth knowing, but no damage
    versions: int = 0

    def lines(self, notes: bool = False) -> list[str]:
        return [f"{Location(self.root / f.where)}: {f.message}" for f in (self.notes if notes else self.findings)]


def verify(path: Path) -> list[str]:
    """German findings for the archive at or above `path`, limited to `path`; empty if all is intact."""
    return check(path).lines()


def check(path: Path, signers: Path | None = None) -> Report:
    """Check the whole archive that `path` belongs to; report what concerns `path`."""
    path = Path(path).resolve()
    root = archive_root(path)
    if not (root / index.INDEX).is_file() and root.name != "archive":
        raise BuildError(f"{Location(path)} liegt in keinem amip-Archiv (ein Ordner archive/ oder einer mit index.json).",
                         exit_code=1)
    scope = path.relative_to(root).as_posix() if path != root else ""
    run = _Run(root)
    run.all()
    if signers is not None:
        problem = index.check_signature(root, signers)
        if problem:
            run.add(index.SIGNATURE, problem)
    elif (root / index.SIGNATURE).is_file():
        run.notes.append(Finding(index.SIGNATURE, "Der Archivindex ist signiert; die Signatur wurde nicht geprüft "
                                                  "(„amip verify --unterzeichner <Datei>“ prüft sie)."))
    return Report(root, scope, sorted((f for f in run.findings if _in_scope(f.where, scope)), key=_order),
                  [f for f in run.notes if _in_scope(f.where, scope)],
                  sum(1 for rel in run.versions if _in_scope(rel, scope)))


def archive_root(path: Path) -> Path:
    """The archive folder: the nearest folder at or up to three levels above `path` holding index.json."""
    candidates = [path, *list(path.parents)[:3]]
    for candidate in candidates:
        if (candidate / index.INDEX).is_file():
            return candidate
    return next((c for c in candidates if c.name == "archive"), path)


def _order(finding: Finding) -> list:
    """Findings grouped by place, versions in numeric order (v2 before v10), the index last."""
    return [finding.where in (index.INDEX, index.SIGNATURE),
            *[(0, int(part[1:])) if VERSION_NAME.fullmatch(part) else (1, part) for part in finding.where.split("/")]]


def _in_scope(where: str, scope: str) -> bool:
    if not scope or where in (index.INDEX, index.SIGNATURE):
        return True
    return where == scope or where.startswith(scope + "/") or scope.startswith(where + "/")


class _Run:
    """One pass over an archive, collecting findings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.findings: list[Finding] = []
        self.notes: list[Finding] = []
        self.versions: dict[str, dict | None] = {}    # "org/year/vN" → its manifest (None if unusable)
        self.missing: set[str] = set()

    def add(self, where: str, message: str) -> None:
        self.findings.append(Finding(where, message))

    def all(self) -> None:
        try:
            entries = index.read(self.root)
        except index.UnreadableIndex as exc:
            self.add(index.INDEX, f"Der Archivindex ist unlesbar ({exc}).")
            entries = []
        indexed = {e["pfad"]: e for e in entries or []}
        for org in _folders(self.root):
            for year in sorted(org.iterdir()):
                where = f"{org.name}/{year.name}"
                if year.name.startswith("."):
                    continue
                if not (year.is_dir() and re.fullmatch(r"[0-9]{4}", year.name)):
                    self.add(where, "ist kein Jahrgangsordner des Archivs – umbenannt oder hinzugefügt?")
                    continue
                self.year(year, where, {int(rel.rsplit("/v", 1)[1]) for rel in indexed
                                        if rel.rsplit("/", 1)[0] == where and VERSION_NAME.fullmatch(rel.rsplit("/", 1)[1])})
        self.against_index(entries, indexed)

    def year(self, year: Path, where: str, indexed: set[int]) -> None:
        folders: dict[int, Path] = {}
        for item in sorted(year.iterdir()):
            rel = f"{where}/{item.name}"
            if item.name.startswith(".neu-"):
                self.notes.append(Finding(rel, "unfertige Veröffentlichung (abgebrochen); "
                                               "der nächste „amip publish“ entfernt sie."))
                continue
            match = VERSION_NAME.fullmatch(item.name)
            if not (item.is_dir() and match):
                self.add(rel, f"„{item.name}“ ist kein Versionsordner (v1, v2, …) – umbenannt oder hinzugefügt?")
                continue
            folders[int(match[1])] = item
        manifests = {n: self.version(folder, f"{where}/v{n}", n, where) for n, folder in folders.items()}
        for n in range(1, max([*folders, *indexed], default=0) + 1):
            if n not in folders:
                self.missing.add(f"{where}/v{n}")
                reason = "sie steht im Archivindex" if n in indexed else f"v{n + 1} oder später folgt ihr"
                self.add(f"{where}/v{n}", f"Version v{n} fehlt ({reason}) – gelöscht oder umbenannt.")
        for n, manifest in manifests.items():
            if manifest is not None:
                self.link(manifest, n, folders, where)

    def link(self, manifest: dict, n: int, folders: dict[int, Path], where: str) -> None:
        """The chain: v<n> names v<n-1> and the SHA-256 of v<n-1>'s manifest.json."""
        named, digest = manifest.get("vorgaenger"), manifest.get("vorgaenger_manifest_sha256")
        if n == 1:
            if named is not None or digest is not None:
                self.add(f"{where}/v1", f"v1 nennt einen Vorgänger ({named}) – Ordner vertauscht oder umbenannt?")
            return
        if named != f"v{n - 1}":
            self.add(f"{where}/v{n}", f"v{n} müsste v{n - 1} als Vorgänger nennen, nennt aber "
                                      f"{f'„{named}“' if named else 'keinen'} – Ordner vertauscht oder umbenannt?")
        previous = folders.get(n - 1)
        if previous is not None and (previous / bag.MANIFEST).is_file() and bag.manifest_digest(previous) != digest:
            self.add(f"{where}/v{n - 1}", f"manifest.json von v{n - 1} ist nicht das, auf das v{n} verweist – "
                                          f"v{n - 1} wurde nach der Veröffentlichung von v{n} verändert oder ausgetauscht.")

    def version(self, folder: Path, rel: str, n: int, where: str) -> dict | None:
        self.versions[rel] = None
        manifest = bag.read_manifest(folder)
        if manifest is None:
            state = "ist unlesbar" if (folder / bag.MANIFEST).exists() else "fehlt"
            self.add(rel, f"manifest.json {state} – die Version v{n} lässt sich nicht prüfen.")
            return None
        wrong = [key for key, kind in REQUIRED.items() if not isinstance(manifest.get(key), kind)]
        if wrong:
            self.add(rel, f"manifest.json ist unvollständig oder verändert (betrifft: {', '.join(wrong)}).")
            return None
        self.versions[rel] = manifest
        if manifest["version"] != n:
            self.add(rel, f"Der Ordner v{n} enthält laut Manifest Version {manifest['version']} – "
                          "Versionsordner vertauscht oder umbenannt.")
        if f"{manifest['traeger']}/{manifest['jahr']}" != where:
            self.add(rel, f"gehört laut Manifest zu {manifest['traeger']}/{manifest['jahr']}, liegt aber in {where}.")
        self.files(folder, rel, manifest["dateien"])
        self.content(rel, manifest)
        self.tags(folder, rel, manifest["dateien"])
        return manifest

    def files(self, folder: Path, rel: str, expected: dict) -> None:
        found = bag.payload(folder)
        found.update({p.name: "" for p in folder.iterdir() if p.is_file() and p.name not in bag.TAG_FILES})
        found.update({p.name + "/": "" for p in folder.iterdir() if p.is_dir() and p.name != bag.PAYLOAD})
        for name in sorted(set(expected) - set(found)):
            self.add(rel, f"{name}: fehlt.")
        for name in sorted(set(found) - set(expected)):
            self.add(rel, f"{name}: nicht im Manifest (nachträglich hinzugefügt).")
        for name in sorted(set(found) & set(expected)):
            if found[name] != expected[name]:
                self.add(rel, f"{name}: Inhalt verändert (Prüfsumme stimmt nicht).")

    def content(self, rel: str, manifest: dict) -> None:
        """The manifest's own sums: a re-hashed file shows here even where the file list was edited."""
        files = manifest["dateien"]
        if manifest["pdf"] not in files:
            self.add(rel, "Das Manifest verzeichnet kein PDF – Einträge wurden entfernt.")
        sources = {name: digest for name, digest in files.items() if name.startswith(SOURCES)}
        if not any(name.endswith("/ausgabe.yaml") for name in sources):
            self.add(rel, "Das Manifest verzeichnet keine Quellen – Einträge wurden entfernt.")
        if bag.tree_digest(sources) != manifest["quellen_sha256"]:
            self.add(rel, "quellen_sha256 passt nicht zu den verzeichneten Quellen – das Manifest wurde verändert.")
        if snapshot.fingerprint(manifest["quellen_sha256"], manifest["eingaben"]) != manifest["eingaben_sha256"]:
            self.add(rel, "eingaben_sha256 passt nicht zu Quellen, Vorlagen und Versionen – das Manifest wurde verändert.")

    def tags(self, folder: Path, rel: str, expected: dict) -> None:
        """The BagIt files must agree with manifest.json and with themselves."""
        try:
            declaration = (folder / bag.BAGIT).read_text(encoding="utf-8")
        except (OSError, ValueError):
            declaration = None
        if declaration != bag.BAGIT_DECLARATION:
            self.add(rel, f"{bag.BAGIT} fehlt oder ist verändert.")
        if bag.read_checksums(folder / bag.BAG_MANIFEST) != expected:
            self.add(rel, f"{bag.BAG_MANIFEST} stimmt nicht mit manifest.json überein.")
        tags = bag.read_checksums(folder / bag.TAG_MANIFEST)
        if tags is None or set(tags) != {bag.BAGIT, bag.BAG_INFO, bag.BAG_MANIFEST, bag.MANIFEST}:
            self.add(rel, f"{bag.TAG_MANIFEST} fehlt oder ist unvollständig.")
            return
        for name, digest in sorted(tags.items()):
            if (folder / name).is_file() and bag.sha256_file(folder / name) != digest:
                self.add(rel, f"{name}: verändert (Prüfsumme in {bag.TAG_MANIFEST} stimmt nicht).")

    def against_index(self, entries: list[dict] | None, indexed: dict[str, dict]) -> None:
        if entries is None:
            if self.versions:
                self.add(index.INDEX, "Der Archivindex index.json fehlt – gelöscht?")
            return
        if len(indexed) != len(entries):
            self.add(index.INDEX, "Der Archivindex verzeichnet eine Version mehrfach.")
        for rel, entry in indexed.items():
            folder = self.root / rel
            if rel in self.missing:
                continue
            if not folder.is_dir():
                self.add(rel, f"{rel.rsplit('/', 1)[-1]} steht im Archivindex, fehlt aber – gelöscht oder umbenannt.")
            elif (folder / bag.MANIFEST).is_file() and bag.manifest_digest(folder) != entry["manifest_sha256"]:
                self.add(rel, f"manifest.json von {rel.rsplit('/', 1)[-1]} weicht vom Archivindex ab – die Version "
                              "wurde nach der Veröffentlichung verändert oder ausgetauscht.")
        for rel in self.versions:
            if rel not in indexed:
                self.add(rel, f"{rel.rsplit('/', 1)[-1]} steht nicht im Archivindex – nachträglich hinzugefügt oder umbenannt.")


def _folders(root: Path) -> list[Path]:
    return [p for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")] if root.is_dir() else []
