"""Turn an edition into the files of earlier editions it reads through the series (for the archive snapshot).

A published edition is built from a frozen copy of its sources. An edition that takes a comparison
column from an earlier edition (`basis: {art: ansatz, jahr: J}`) or draws the series chart reads data
files of other editions; without them the copy would fall back to zeitreihe.yaml and fail, or draw a
different chart. The earlier editions' data folders are small, and a basis may reach back through
several years (each edition takes its own basis from its predecessor), so all of them are named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Collector
from ..load import load_yaml


def earlier_data(edition: Any) -> list[Path]:
    """daten/*.yaml of every earlier edition of the organisation, if this edition reads the series."""
    if not _reads_editions(edition):
        return []
    org = edition.folder.resolve().parent
    own = edition.ausgabe.jahr
    return [path for folder in sorted(org.iterdir())
            if folder.name.isdigit() and int(folder.name) < own and (folder / "daten").is_dir()
            for path in sorted((folder / "daten").glob("*.yaml"))]


def _reads_editions(edition: Any) -> bool:
    for chapter in edition.chapters:
        for token in chapter.tokens:
            if token.type == "amip_block" and token.meta["kind"] == "diagramm" \
                    and (token.meta["option"] or "").strip() == "zeitreihe":
                return True
    for path in sorted((edition.folder / "daten").glob("*.yaml")):
        doc = load_yaml(path, Collector())
        spalten = doc.data.get("spalten") if doc is not None and isinstance(doc.data, dict) else None
        specs = spalten.values() if isinstance(spalten, dict) else spalten if isinstance(spalten, list) else []
        for spec in specs:
            spec = spec.get("basis", spec) if isinstance(spec, dict) else None
            if isinstance(spec, dict) and spec.get("art") == "ansatz":
                return True
    return False
