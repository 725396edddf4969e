"""Turn a staged version folder into a BagIt bag (RFC 8493) sealed by amip's manifest, and read it back.

A version folder v<n>/ is a bag:

    bagit.txt, bag-info.txt        BagIt declaration and a few descriptive fields
    data/ausgabe/…                 PDF, druck.html and web edition, as built
    data/quellen/content/<träger>/<jahr>/…   the exact sources they were built from
    manifest.json                  amip's manifest: SHA-256 of every payload file, the input
                                   fingerprint and the SHA-256 of the predecessor's manifest.json
    manifest-sha256.txt            the same payload checksums in BagIt form
    tagmanifest-sha256.txt         checksums of the four tag files above

manifest.json is the authority amip checks; the BagIt files let an archive check a version with
standard tools (e.g. `bagit.py --validate`) without amip.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "manifest.json"
PAYLOAD = "data"
BAGIT = "bagit.txt"
BAG_INFO = "bag-info.txt"
BAG_MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
TAG_FILES = (BAGIT, BAG_INFO, BAG_MANIFEST, TAG_MANIFEST, MANIFEST)
BAGIT_DECLARATION = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
FORMAT = "amip-archiv/2"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def files_below(folder: Path, prefix: str = "") -> dict[str, str]:
    """Every file below `folder` (symlinks are not followed) → SHA-256, keyed by prefix + relative path."""
    return {prefix + p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def payload(folder: Path) -> dict[str, str]:
    """The payload files of a bag: everything below data/, keyed "data/…"."""
    return files_below(folder / PAYLOAD, PAYLOAD + "/") if (folder / PAYLOAD).is_dir() else {}


def tree_digest(files: dict[str, str]) -> str:
    """One SHA-256 over a set of (name, SHA-256) pairs, independent of their order."""
    return sha256_bytes(json.dumps(files, sort_keys=True).encode())


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def manifest_digest(folder: Path) -> str | None:
    """SHA-256 of a version's manifest.json as stored (the link its successor and the index record)."""
    path = folder / MANIFEST
    return sha256_file(path) if path.is_file() else None


def read_manifest(folder: Path) -> dict | None:
    """The parsed manifest.json, or None if it is missing or not a JSON object."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def seal(folder: Path, manifest: dict) -> None:
    """Write manifest.json and the BagIt tag files for the payload recorded in `manifest["dateien"]`."""
    files: dict[str, str] = manifest["dateien"]
    (folder / MANIFEST).write_bytes(manifest_bytes(manifest))
    (folder / BAGIT).write_text(BAGIT_DECLARATION, encoding="utf-8")
    (folder / BAG_INFO).write_text(bag_info(folder, manifest), encoding="utf-8")
    (folder / BAG_MANIFEST).write_text(checksum_lines(files), encoding="utf-8")
    tags = {name: sha256_file(folder / name) for name in (BAGIT, BAG_INFO, BAG_MANIFEST, MANIFEST)}
    (folder / TAG_MANIFEST).write_text(checksum_lines(tags), encoding="utf-8")


def bag_info(folder: Path, manifest: dict) -> str:
    size = sum((folder / name).stat().st_size for name in manifest["dateien"])
    fields = [
        ("Source-Organization", manifest["organisation"]),
        ("External-Identifier", f"{manifest['traeger']}/{manifest['jahr']}/v{manifest['version']}"),
        ("Bag-Group-Identifier", f"{manifest['traeger']}/{manifest['jahr']}"),
        ("External-Description", f"Arbeitsmarkt- und Integrationsprogramm {manifest['jahr']}, "
                                 f"Version {manifest['version']}, Stand {manifest['stand']}"),
        ("Bagging-Date", manifest["veroeffentlicht"][:10]),
        ("Payload-Oxum", f"{size}.{len(manifest['dateien'])}"),
    ]
    return "".join(f"{label}: {value}\n" for label, value in fields)


def checksum_lines(files: dict[str, str]) -> str:
    return "".join(f"{digest}  {_encode(name)}\n" for name, digest in sorted(files.items()))


def read_checksums(path: Path) -> dict[str, str] | None:
    """A BagIt manifest file back as {name: SHA-256}; None if missing or malformed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return None
    found = {}
    for line in lines:
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return None
        found[_decode(name)] = digest
    return found


def _encode(name: str) -> str:
    # RFC 8493 §2.1.3: percent-encode CR, LF and % in file names
    return name.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def _decode(name: str) -> str:
    return name.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
