"""Turn last year's edition into next year's draft: copied, years moved, plan values open, all listed.

`amip new-edition content/duesseldorf/2026 2027` builds the new edition in a hidden sibling folder
(`.2027.neu-…`) and renames it into place at the end: a failure midway leaves no 2027 folder, and an
existing edition is never overwritten. Every change is listed (printed and written to
AENDERUNGEN-NEUES-JAHR.md in the new edition), followed by a German checklist for the authors.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import BuildError, Collector, ContentError, Problem
from ..load import load_yaml
from . import yearshift
from .yamledit import YamlEdit

CHANGES_FILE = "AENDERUNGEN-NEUES-JAHR.md"
REVISE_LINE = "status: zu überarbeiten"
_COMPUTED = ("vergleich", "differenz", "anteil")


@dataclass
class NewEdition:
    source: Path
    folder: Path
    old: int
    new: int
    changes: list[tuple[str, int, str, str]] = field(default_factory=list)   # (file, line, old, new)
    open_values: dict[str, int] = field(default_factory=dict)                # data file → values now offen
    chapters: int = 0
    untouched: list[str] = field(default_factory=list)                       # data files left as they were
    basis_from_series: bool = True


def create(source: Path, year_text: str) -> NewEdition:
    """Create content/<org>/<year> from the edition in `source`; nothing is left behind on failure."""
    source = Path(source)
    old = _edition_year(source)
    year = _new_year(year_text, old)
    target = source.parent / str(year)
    _refuse_existing(target)
    for leftover in source.parent.glob(f".{year}.neu-*"):   # a killed earlier run
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{year}.neu-", dir=source.parent))
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True, symlinks=True,
                        ignore=shutil.ignore_patterns(CHANGES_FILE))
        result = NewEdition(source, target, old, year, basis_from_series=series_basis_supported())
        _edit_ausgabe(staging, result)
        _edit_chapters(staging, result)
        _edit_data(staging, result)
        _write_changes(staging, result)
        _refuse_existing(target)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


# ---------------------------------------------------------------- arguments

def _edition_year(source: Path) -> int:
    path = source / "ausgabe.yaml"
    if not path.is_file():
        raise BuildError(f"In {source} liegt keine Ausgabe (ausgabe.yaml fehlt). Geben Sie den Ordner der "
                         "bisherigen Ausgabe an, z. B. amip new-edition content/duesseldorf/2026 2027.")
    problems = Collector()
    doc = load_yaml(path, problems)
    problems.raise_if_errors()
    jahr = doc.data.get("jahr") if isinstance(doc.data, dict) else None
    if not (isinstance(jahr, str) and jahr.isdigit() and len(jahr) == 4):
        raise ContentError([Problem(doc.where(("jahr",)), "ausgabe.yaml nennt kein Jahr (jahr: JJJJ).",
                                    "Tragen Sie das Jahr der Ausgabe ein, z. B. jahr: 2026.")])
    return int(jahr)


def _new_year(text: str, old: int) -> int:
    text = str(text).strip()
    if not (text.isdigit() and len(text) == 4):
        raise BuildError(f"„{text}“ ist keine Jahreszahl. Beispiel: amip new-edition content/duesseldorf/{old} "
                         f"{old + 1}", exit_code=2)
    year = int(text)
    if year <= old:
        raise BuildError(f"Das neue Jahr {year} liegt nicht nach dem Jahr der Ausgabe ({old}). Eine neue Ausgabe "
                         f"entsteht aus der des Vorjahres – meinten Sie {old + 1}?", exit_code=2)
    return year


def _refuse_existing(target: Path) -> None:
    if target.exists():
        raise BuildError(f"{target} existiert bereits – amip überschreibt nie eine Ausgabe. Löschen oder "
                         "verschieben Sie den Ordner, wenn Sie ihn wirklich neu anlegen wollen.")


def series_basis_supported() -> bool:
    """Whether this amip takes a comparison column from the series (D2: basis: {art: ansatz, jahr: …})."""
    from ..load import Document
    from ..model import validate_data

    probe = Document(Path("probe.yaml"), {"art": "kennzahlen", "spalten": {
        "plan": "Eintritte", "basis": {"art": "ansatz", "jahr": "2026"}}, "summen": [{"bezeichnung": "Summe"}],
        "gruppen": [{"zweck": "aktivierung", "plan": "1"}]})
    problems = Collector()
    try:
        validate_data(probe, problems)
    except Exception:  # noqa: BLE001 – an amip without the feature may fail in any way on the probe
        return False
    return not problems.has_errors


# ---------------------------------------------------------------- ausgabe.yaml

def _edit_ausgabe(folder: Path, result: NewEdition) -> None:
    path = folder / "ausgabe.yaml"
    edit = YamlEdit.of(path.read_text(encoding="utf-8"))
    edit.replace(edit.node("jahr"), str(result.new), f"jahr: {result.old}", f"jahr: {result.new}")
    status = edit.node("status")
    if status is not None and status.value != "entwurf":
        edit.replace(status, "entwurf", f"status: {status.value}", "status: entwurf")
    stand = edit.node("stand")
    if stand is not None and stand.value:
        edit.clear(edit.root, "stand", note=f"stand: {stand.value}")
    if edit.node("beschluss") is not None:
        edit.delete(edit.root, "beschluss", note="beschluss: … (Beschluss des Vorjahres)")
    for node, _ in _scalars(edit.root, skip=("jahr", "stand", "status", "kapitel", "anlagen", "beschluss")):
        _title(edit, node, result)
    _save(path, edit, "ausgabe.yaml", result)


# ---------------------------------------------------------------- chapters

def _edit_chapters(folder: Path, result: NewEdition) -> None:
    for path in sorted((folder / "kapitel").glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        name = f"kapitel/{path.name}"
        out: list[str] = []
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None) \
            if lines and lines[0].strip() == "---" else None
        fence = False
        for i, line in enumerate(lines):
            new = line
            if end is not None and 0 < i < end:
                if line.startswith("titel:"):
                    new = yearshift.in_title(line, result.old, result.new)
                elif line.startswith("status:"):
                    new = REVISE_LINE
            elif end is not None and i == end:
                if not any(x.startswith("status:") for x in lines[1:end]):
                    out.append(REVISE_LINE)
                    result.changes.append((name, len(out), "(neu)", REVISE_LINE))
            elif end is None or i > end:
                stripped = line.lstrip()
                if stripped.startswith(("```", "~~~")):
                    fence = not fence
                elif not fence:
                    heading = stripped.startswith("#") or (stripped.startswith(":::") and len(stripped.split()) > 2)
                    new = (yearshift.in_title if heading else yearshift.in_prose)(line, result.old, result.new)
            out.append(new)
            if new != line:
                result.changes.append((name, len(out), *_excerpts(line.strip(), new.strip())))
        if end is not None:
            result.chapters += 1
        path.write_text("\n".join(out), encoding="utf-8")


# ---------------------------------------------------------------- data files

def _edit_data(folder: Path, result: NewEdition) -> None:
    for path in sorted((folder / "daten").glob("*.yaml")) if (folder / "daten").is_dir() else ():
        name = f"daten/{path.name}"
        try:
            edit = YamlEdit.of(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            result.untouched.append(name)      # amip check reports what is wrong with it
            continue
        art = edit.node("art")
        art = art.value if art is not None and hasattr(art, "value") and isinstance(art.value, str) else ""
        if art == "kennzahlen":
            _kennzahlen(edit, name, result)
        elif art == "portfolio":
            _portfolio(edit, name, result)
        else:
            result.untouched.append(name)
            continue
        _save(path, edit, name, result)


def _kennzahlen(edit: YamlEdit, name: str, result: NewEdition) -> None:
    spalten = edit.node("spalten")
    plan_keys: list[str] = []
    has_basis = False
    for key_node, spec in (spalten.value if _is_mapping(spalten) else []):
        key = key_node.value
        art = _art(spec)
        if key == "bezeichnung" or key in _COMPUTED or art in _COMPUTED:
            continue
        if key == "basis":
            has_basis = True
            if result.basis_from_series:
                edit.replace(spec, f"{{art: ansatz, jahr: {result.old}}}", note=_text_of(spec))
            else:
                header = spec if isinstance(spec, yaml.ScalarNode) else _child(spec, "name")
                if header is not None:
                    edit.replace(header, f"Ansatz {result.old}")
            continue
        plan_keys.append(key)
        header = spec if isinstance(spec, yaml.ScalarNode) else _child(spec, "name")
        if header is not None:
            _title(edit, header, result)
    first_plan = plan_keys[0] if plan_keys else None
    count = 0
    for row in _kennzahlen_rows(edit.node("gruppen")):
        if has_basis:
            basis = _child(row, "basis")
            plan = _child(row, first_plan) if first_plan else None
            if basis is not None and not result.basis_from_series and isinstance(plan, yaml.ScalarNode):
                edit.replace(basis, plan.value, note=f"basis: {basis.value}")
            elif basis is not None:
                edit.delete(row, "basis", note=f"basis: {_text_of(basis)}")
        for key in plan_keys:
            value = _child(row, key)
            if isinstance(value, yaml.ScalarNode) and value.value != "offen":
                edit.replace(value, "offen", note=f"{key}: {value.value}")
                count += 1
    for total in (edit.node("summen").value if isinstance(edit.node("summen"), yaml.SequenceNode) else []):
        if _child(total, "erwartet") is not None:
            edit.delete(total, "erwartet", note="erwartet: … (Summen des Vorjahres)")
    titel = edit.node("titel")
    if titel is not None:
        _title(edit, titel, result)
    result.open_values[name] = count


def _kennzahlen_rows(gruppen):
    for group in (gruppen.value if isinstance(gruppen, yaml.SequenceNode) else []):
        if not _is_mapping(group):
            continue
        yield group
        zeilen = _child(group, "zeilen")
        for row in (zeilen.value if isinstance(zeilen, yaml.SequenceNode) else []):
            if not _is_mapping(row):
                continue
            yield row
            for word in ("davon", "darunter"):
                parts = _child(row, word)
                yield from (p for p in (parts.value if isinstance(parts, yaml.SequenceNode) else []) if _is_mapping(p))


def _portfolio(edit: YamlEdit, name: str, result: NewEdition) -> None:
    count = 0
    zeilen = edit.node("zeilen")
    for row in (zeilen.value if isinstance(zeilen, yaml.SequenceNode) else []):
        value = _child(row, "eintritte") if _is_mapping(row) else None
        if isinstance(value, yaml.ScalarNode) and value.value != "offen":
            edit.replace(value, "offen", note=f"eintritte: {value.value}")
            count += 1
    summe = edit.node("summe")
    if _is_mapping(summe) and _child(summe, "erwartet") is not None:
        edit.delete(summe, "erwartet", note="erwartet: … (Summe des Vorjahres)")
    for node in (edit.node("titel"), edit.node("spalten", "eintritte")):
        if isinstance(node, yaml.ScalarNode):
            _title(edit, node, result)
    result.open_values[name] = count


# ---------------------------------------------------------------- helpers

def _excerpts(old: str, new: str, room: int = 40) -> tuple[str, str]:
    """The changed part of a long line with a little context: "… Programm 2026 ist bereits …"."""
    if len(old) <= 2 * room + 20:
        return old, new
    start = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    tail = next((i for i, (a, b) in enumerate(zip(reversed(old), reversed(new))) if a != b), 0)
    left = max(0, start - room)
    left = old.rfind(" ", 0, left + 1) + 1 if left else 0          # whole words at both ends

    def cut(text: str) -> str:
        right = min(len(text), len(text) - tail + room)
        space = text.find(" ", right)
        right = len(text) if space < 0 else space
        return ("… " if left else "") + text[left:right] + (" …" if right < len(text) else "")
    return cut(old), cut(new)


def _title(edit: YamlEdit, node, result: NewEdition) -> None:
    if isinstance(node, yaml.ScalarNode) and node.style is None:
        moved = yearshift.in_title(node.value, result.old, result.new)
        if moved != node.value:
            edit.replace(node, moved, note=node.value)


def _scalars(node, skip=(), depth=0):
    if _is_mapping(node):
        for k, v in node.value:
            if depth == 0 and k.value in skip:
                continue
            yield from _scalars(v, skip, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, skip, depth + 1)
    elif isinstance(node, yaml.ScalarNode):
        yield node, depth


def _is_mapping(node) -> bool:
    return isinstance(node, yaml.MappingNode)


def _child(node, key: str | None):
    if not _is_mapping(node) or key is None:
        return None
    return next((v for k, v in node.value if k.value == key), None)


def _art(spec) -> str:
    art = _child(spec, "art")
    return art.value if isinstance(art, yaml.ScalarNode) else ""


def _text_of(node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return " ".join(str(node.start_mark.buffer[node.start_mark.index:node.end_mark.index]).split()) \
        if node.start_mark.buffer else "…"


def _save(path: Path, edit: YamlEdit, name: str, result: NewEdition) -> None:
    text, changes = edit.apply()
    path.write_text(text, encoding="utf-8")
    result.changes += [(name, c.line, c.old, c.new) for c in changes]


def _write_changes(folder: Path, result: NewEdition) -> None:
    from .checklist import report

    (folder / CHANGES_FILE).write_text(report(result, markdown=True), encoding="utf-8")
