"""Turn an archived version into a fresh build from its archived sources and say whether the PDF is the same.

The archived sources (data/quellen/) are copied into a temporary project, built with the amip that
runs now, and the new PDF is compared byte for byte with the archived one. When the bytes differ,
the manifest's record of amip, the rendering packages and the default theme is compared with this
installation, so the archivist learns whether the difference is explained by other software or
means that the archived PDF is not what its sources give.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import bag, snapshot


@dataclass(frozen=True)
class Rebuilt:
    version: Path
    identical: bool
    pages: int
    archived_sha256: str
    rebuilt_sha256: str
    changed_inputs: list[str] = field(default_factory=list)   # German: "WeasyPrint 70.0 → 71.0"

    @property
    def explained(self) -> bool:
        """A difference is explained when the software that shaped the PDF is not the archived one."""
        return bool(self.changed_inputs)


def rebuild(version: Path) -> Rebuilt:
    """Build the version's archived sources again and compare the PDF with the archived one."""
    from ..build import build

    version = Path(version)
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    archived = version / manifest["pdf"]
    sources = version / bag.PAYLOAD / "quellen"
    with tempfile.TemporaryDirectory(prefix="amip-neu-bauen-") as temp:
        project = Path(temp) / "projekt"
        shutil.copytree(sources, project, copy_function=shutil.copyfile)   # writable copies, no read-only modes
        for path in [project, *project.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        edition = project / "content" / manifest["traeger"] / str(manifest["jahr"])
        result = build(edition, Path(temp) / "bau", version=manifest["version"])
        fresh = _sha256(result.pdf)
        pages = result.pages
    old = _sha256(archived)
    return Rebuilt(version, fresh == old, pages, old, fresh, changed_inputs(manifest.get("eingaben") or {}))


def changed_inputs(recorded: dict) -> list[str]:
    """What differs between the inputs recorded at publication and this installation, in German."""
    now = snapshot.inputs()
    changes = []
    if recorded.get("amip") != now["amip"]:
        changes.append(f"amip {recorded.get('amip', '?')} → {now['amip']}")
    for name, current in now["pakete"].items():
        before = (recorded.get("pakete") or {}).get(name)
        if before != current:
            changes.append(f"{name} {before or 'fehlt'} → {current}")
    before_templates = recorded.get("vorlagen") or {}
    changed = sorted(name for name in set(before_templates) | set(now["vorlagen"])
                     if before_templates.get(name) != now["vorlagen"].get(name))
    if changed:
        shown = ", ".join(changed[:5]) + (f" und {len(changed) - 5} weitere" if len(changed) > 5 else "")
        changes.append(f"Standardvorlagen geändert: {shown}")
    return changes


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
