"""Turn the archive's versions into one index of manifest checksums, optionally signed, and check that signature.

archive/index.json lists every published version with the SHA-256 of its manifest.json, so that a
deleted, renamed, swapped or re-sealed version disagrees with the index. Whoever may rewrite the
archive can rewrite the index as well – unless the index is signed with a key kept outside the
archive: `ssh-keygen -Y sign` (namespace "amip-archiv") writes index.json.sig, and
`amip verify --unterzeichner <allowed_signers>` checks it with `ssh-keygen -Y verify`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import BuildError

INDEX = "index.json"
SIGNATURE = "index.json.sig"
NAMESPACE = "amip-archiv"
FORMAT = "amip-archivindex/1"


class UnreadableIndex(Exception):
    """index.json exists but is not an amip archive index."""


def read(archive: Path) -> list[dict] | None:
    """The index entries, or None if there is no index yet; UnreadableIndex if it is damaged."""
    path = archive / INDEX
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnreadableIndex(str(exc)) from None
    if not isinstance(data, dict):
        raise UnreadableIndex("unbekanntes Format")
    entries = data.get("versionen")
    if data.get("format") != FORMAT or not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("pfad"), str) and isinstance(e.get("manifest_sha256"), str)
            for e in entries):
        raise UnreadableIndex("unbekanntes Format")
    return entries


def entry(where: str, manifest: dict, digest: str) -> dict:
    return {"pfad": where, "organisation": manifest["organisation"], "jahr": manifest["jahr"],
            "version": manifest["version"], "stand": manifest["stand"], "manifest_sha256": digest}


def write(archive: Path, entries: list[dict]) -> None:
    from ..build import atomic_write

    ordered = sorted(entries, key=lambda e: (e["pfad"].rsplit("/", 1)[0], e.get("version", 0)))
    text = json.dumps({"format": FORMAT, "versionen": ordered}, indent=2, ensure_ascii=False) + "\n"
    atomic_write(archive / INDEX, text.encode("utf-8"))


def sign(archive: Path, key: Path) -> None:
    """Sign index.json with an SSH key (private key file, or public key file whose key is in ssh-agent)."""
    from ..build import atomic_write

    result = _ssh_keygen(["-Y", "sign", "-f", str(key), "-n", NAMESPACE], (archive / INDEX).read_bytes())
    if result.returncode != 0 or b"BEGIN SSH SIGNATURE" not in result.stdout:
        raise BuildError(f"Der Archivindex ließ sich mit dem Schlüssel {key} nicht signieren: "
                         f"{result.stderr.decode(errors='replace').strip()}", exit_code=3)
    atomic_write(archive / SIGNATURE, result.stdout)


def check_signature(archive: Path, signers: Path) -> str | None:
    """None if index.json carries a good signature by a key listed in `signers`; else why not (German)."""
    signature = archive / SIGNATURE
    if not signature.is_file():
        return "Signatur index.json.sig fehlt – der Archivindex ist nicht signiert oder die Signatur wurde gelöscht."
    if not Path(signers).is_file():
        raise BuildError(f"Die Datei der erlaubten Unterzeichner „{signers}“ gibt es nicht.", exit_code=3)
    found = _ssh_keygen(["-Y", "find-principals", "-s", str(signature), "-f", str(signers)], b"")
    principals = found.stdout.decode(errors="replace").split()
    if found.returncode != 0 or not principals:
        return "Die Signatur des Archivindex stammt von keinem der erlaubten Unterzeichner (oder ist beschädigt)."
    data = (archive / INDEX).read_bytes() if (archive / INDEX).is_file() else b""
    checked = _ssh_keygen(["-Y", "verify", "-f", str(signers), "-I", principals[0], "-n", NAMESPACE,
                           "-s", str(signature)], data)
    if checked.returncode != 0:
        return "Die Signatur passt nicht zum Archivindex: index.json wurde nach dem Signieren verändert."
    return None


def check_with_key(archive: Path, key: Path) -> str | None:
    """Check the present signature against the public half of the signing key (before re-signing)."""
    public = Path(str(key) + ".pub")
    if str(key).endswith(".pub"):
        public = Path(key)
    if public.is_file():
        line = public.read_text(encoding="utf-8").strip()
    else:
        derived = _ssh_keygen(["-y", "-f", str(key)], b"")
        if derived.returncode != 0:
            raise BuildError(f"Aus dem Schlüssel {key} ließ sich der öffentliche Schlüssel nicht ermitteln.", exit_code=3)
        line = derived.stdout.decode().strip()
    with tempfile.TemporaryDirectory() as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text("amip " + " ".join(line.split()[:2]) + "\n", encoding="utf-8")
        return check_signature(archive, signers)


def _ssh_keygen(args: list[str], data: bytes) -> subprocess.CompletedProcess:
    program = shutil.which("ssh-keygen")
    if program is None:
        raise BuildError("ssh-keygen wurde nicht gefunden; zum Signieren und Prüfen der Signatur wird OpenSSH "
                         "gebraucht (Debian/Ubuntu: Paket openssh-client).", exit_code=3)
    return subprocess.run([program, *args], input=data, capture_output=True, timeout=120)
