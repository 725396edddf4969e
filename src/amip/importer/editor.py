"""Turn amip's models into schema files and a VS Code workspace setting that points the YAML extension at them.

`amip schema` writes one JSON Schema per kind of file into `.amip/schema/` of the project and maps
the project's files to them in `.vscode/settings.json` (`yaml.schemas`, read by the extension
redhat.vscode-yaml). An existing settings.json is merged, never replaced: only the keys amip
owns change. Output is deterministic: running it twice gives byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, EnvironmentProblem, environment_problem
from ..output import atomic_write

SCHEMA_DIR = Path(".amip") / "schema"

# schema file stem → the project's files it describes (globs relative to the project root)
FILES = {
    "projekt": ["amip-projekt.yaml"],
    "traeger": ["content/*/traeger.yaml"],
    "ausgabe": ["content/*/*/ausgabe.yaml"],
    "abkuerzungen": ["content/*/abkuerzungen.yaml", "content/*/*/abkuerzungen.yaml"],
    "daten": ["content/*/*/daten/*.yaml"],
}


@dataclass
class SchemaResult:
    folder: Path
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    settings: Path | None = None
    settings_state: str = ""          # "angelegt", "ergänzt", "unverändert", or why it was left alone


def render(schema: dict) -> bytes:
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write(path: Path, data: bytes, result: SchemaResult) -> None:
    if path.is_file() and path.read_bytes() == data:
        result.unchanged.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
    result.written.append(path)


def write_schemas(target: Path | None, root: Path | None, vscode: bool = True) -> SchemaResult:
    """Write every schema into `target` (default: <root>/.amip/schema) and, inside a project, the
    VS Code mapping into <root>/.vscode/settings.json."""
    from ..model.jsonschema import schemas

    if target is None:
        if root is None:
            raise BuildError("Hier ist kein amip-Projekt (amip-projekt.yaml nicht gefunden). Geben Sie einen "
                             "Zielordner an, z. B. „amip schema schema/“, oder wechseln Sie in den Projektordner.")
        target = root / SCHEMA_DIR
    if target.exists() and not target.is_dir():
        raise BuildError(f"{target} ist kein Ordner. Geben Sie einen Ordner für die Schemadateien an.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:     # a folder the author named that cannot be made: no traceback
        raise environment_problem(exc) or EnvironmentProblem(
            f"Der Ordner {target} lässt sich hier nicht anlegen. Geben Sie einen anderen Zielordner an.") from None
    result = SchemaResult(folder=target)
    for name, schema in schemas().items():
        _write(target / f"{name}.schema.json", render(schema), result)
    if vscode and root is not None:
        try:
            relative = target.resolve().relative_to(root.resolve())
        except ValueError:
            result.settings_state = "nicht geändert: der Zielordner liegt außerhalb des Projekts"
            return result
        _settings(root, relative, result)
    return result


def mapping(relative: Path) -> dict[str, list[str]]:
    return {f"./{(relative / f'{name}.schema.json').as_posix()}": globs for name, globs in FILES.items()}


def _settings(root: Path, relative: Path, result: SchemaResult) -> None:
    """Add amip's entries to `yaml.schemas` of .vscode/settings.json, keeping everything else."""
    path = root / ".vscode" / "settings.json"
    result.settings = path
    settings: dict = {}
    if path.is_file():
        try:
            settings = json.loads(path.read_text(encoding="utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            # VS Code allows comments in settings.json; amip does not rewrite such a file
            result.settings_state = ("nicht geändert: die Datei enthält Kommentare oder ist kein reines JSON – "
                                     "tragen Sie den Abschnitt „yaml.schemas“ aus docs/editor.md selbst ein")
            return
        if not isinstance(settings, dict):
            result.settings_state = "nicht geändert: die Datei ist kein JSON-Objekt"
            return
    schemas = settings.get("yaml.schemas")
    if schemas is not None and not isinstance(schemas, dict):
        result.settings_state = "nicht geändert: „yaml.schemas“ ist dort kein Objekt"
        return
    merged = {k: v for k, v in (schemas or {}).items() if not _ours(k)}
    merged.update(mapping(relative))
    new = dict(settings, **{"yaml.schemas": merged})
    data = render(new)
    if path.is_file() and path.read_bytes() == data:
        result.settings_state = "unverändert"
        return
    result.settings_state = "ergänzt" if path.is_file() else "angelegt"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)


def _ours(key: str) -> bool:
    """An entry amip wrote earlier (possibly into another folder): it is replaced, not kept twice."""
    return any(key.endswith(f"/{name}.schema.json") for name in FILES)
