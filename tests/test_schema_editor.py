"""`amip schema`: JSON Schemas that accept every file of the editions in the repo, refuse wrong keys and arts,
describe fields in German, are written byte-identically twice, and are wired into VS Code's settings."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from amip.errors import Collector
from amip.load import load_yaml
from amip.model.jsonschema import schemas

from conftest import ROOT, run_amip

SCHEMAS = schemas()
CONTENT = ROOT / "content"
DATA_FILES = sorted(CONTENT.glob("*/*/daten/*.yaml"))
EDITIONS = sorted(p.parent for p in CONTENT.glob("*/*/ausgabe.yaml"))


def _errors(schema_name: str, instance) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMAS[schema_name])
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def _as_amip_reads(path: Path):
    """Every scalar as the text the author wrote (amip's loader)."""
    doc = load_yaml(path, Collector())
    assert doc is not None
    return doc.data


def _as_editor_reads(path: Path):
    """Scalars typed the way an editor's YAML parser types them (8.510 → 8.51, 40215 → int)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_schema_is_valid_json_schema_draft_7():
    """Draft 7, as the YAML extension for VS Code reads it: nothing stands beside a "$ref"."""
    for schema in SCHEMAS.values():
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert all(len(node) == 1 for node in _nodes(schema) if "$ref" in node)


def test_three_editions_with_data_files():
    assert len(EDITIONS) == 3 and len(DATA_FILES) >= 20
    arts = {_as_amip_reads(p)["art"] for p in DATA_FILES}
    assert {"kennzahlen", "portfolio", "tabelle", "reihe", "matrix"} <= arts


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(CONTENT)))
@pytest.mark.parametrize("reader", [_as_amip_reads, _as_editor_reads], ids=["text", "editor"])
def test_every_data_file_validates(path, reader):
    assert _errors("daten", reader(path)) == []


@pytest.mark.parametrize("reader", [_as_amip_reads, _as_editor_reads], ids=["text", "editor"])
def test_organisation_and_edition_files_validate(reader):
    for path in sorted(CONTENT.glob("*/traeger.yaml")):
        assert _errors("traeger", reader(path)) == [], path
    for edition in EDITIONS:
        assert _errors("ausgabe", reader(edition / "ausgabe.yaml")) == [], edition
    for path in sorted(CONTENT.glob("*/abkuerzungen.yaml")) + sorted(CONTENT.glob("*/*/abkuerzungen.yaml")):
        assert _errors("abkuerzungen", reader(path)) == [], path
    assert _errors("projekt", reader(ROOT / "amip-projekt.yaml")) == []


def test_german_numbers_as_authors_write_them():
    kennzahlen = _as_amip_reads(CONTENT / "duesseldorf/2026/daten/kennzahlen.yaml")
    row = kennzahlen["gruppen"][0]["zeilen"][0]["davon"][0]
    for value in ("8.510", 8510, 8.51, "1.234,5", "offen", {"text": "nach Bedarf"}):
        row["plan"] = value
        assert _errors("daten", kennzahlen) == [], value
    row["plan"] = {"txt": "x"}
    assert _errors("daten", kennzahlen)
    ausgabe = _as_amip_reads(CONTENT / "duesseldorf/2026/ausgabe.yaml")
    for jahr in ("2.026", 2026, "2026"):
        assert _errors("ausgabe", dict(ausgabe, jahr=jahr)) == [], jahr
    assert _errors("ausgabe", dict(ausgabe, jahr="zweitausend"))
    assert _errors("ausgabe", dict(ausgabe, stand="2025-12-01"))       # TT.MM.JJJJ
    assert _errors("ausgabe", dict(ausgabe, nummern_mit_punkt=True))   # ja/nein, not true


def test_wrong_key_and_wrong_art_fail():
    portfolio = _as_amip_reads(CONTENT / "duesseldorf/2018/daten/portfolio-jugendliche.yaml")
    wrong_key = dict(portfolio, zeilen=[dict(portfolio["zeilen"][0], eintrite=35)])
    assert any("eintrite" in e for e in _errors("daten", wrong_key))
    assert any("titell" in e for e in _errors("daten", dict(portfolio, titell="x")))
    assert _errors("daten", dict(portfolio, art="kennzahl"))
    # a portfolio file declared as a Kennzahlen file: its keys do not fit
    assert _errors("daten", dict(portfolio, art="kennzahlen"))
    assert _errors("daten", {k: v for k, v in portfolio.items() if k != "art"})
    kennzahlen = _as_amip_reads(CONTENT / "duesseldorf/2026/daten/kennzahlen.yaml")
    assert _errors("daten", dict(kennzahlen, gruppen=[dict(kennzahlen["gruppen"][0], zweck="aktivirung")]))
    budget = _as_amip_reads(CONTENT / "musterstadt/2027/daten/budget.yaml")
    assert _errors("daten", dict(budget, zeilen=[{"schluessel": "egt", "zelen": ["x", 1]}]))
    assert _errors("daten", dict(budget, zeilen=[{"gruppe": "A", "zeilen": [["x", 1]], "sume": "Zwischensumme"}]))
    assert _errors("daten", dict(budget, zeilen=[{"gruppe": "A", "zeilen": [["x", 1]], "summe": "Zwischensumme"}])) == []
    traeger = _as_amip_reads(CONTENT / "duesseldorf/traeger.yaml")
    assert any("anschirft" in e for e in _errors("traeger", dict(traeger, anschirft={})))


def test_descriptions_are_german():
    daten = SCHEMAS["daten"]["$defs"]
    assert "Zweckbestimmung" in daten["Kennzahlen"]["description"]
    assert daten["PortfolioZeile"]["properties"]["eintritte"]["description"].startswith("Geplante Eintritte")
    assert "Alternativtext" in daten["Bild"]["properties"]["alt"]["description"]
    assert "TT.MM.JJJJ" in SCHEMAS["ausgabe"]["$defs"]["Ausgabe"]["properties"]["stand"]["description"]
    assert "Postleitzahl" in SCHEMAS["traeger"]["$defs"]["Anschrift"]["properties"]["plz"]["description"]
    text = json.dumps(SCHEMAS, ensure_ascii=False)
    # the models' English docstrings stay out of the editor
    assert "An author's own figure" not in text and "marks a project root" not in text
    english = ("the ", " of ", " and ", " which ")
    for schema in SCHEMAS.values():
        for node in _descriptions(schema):
            assert not any(word in f" {node} " for word in english), node


def test_every_field_of_the_current_models_is_described():
    missing = [f"{name}: {model}.{field}" for name, schema in SCHEMAS.items()
               for model, definition in schema["$defs"].items()
               for field, prop in definition.get("properties", {}).items() if "description" not in prop]
    assert missing == []


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _descriptions(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield value
            else:
                yield from _descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _descriptions(item)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "projekt"
    project.mkdir()
    (project / "amip-projekt.yaml").write_text("standardausgabe: content/duesseldorf/2026\n", encoding="utf-8")
    return project


def test_amip_schema_writes_files_and_vscode_settings_twice_identically(tmp_path):
    project = _project(tmp_path)
    settings = project / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"editor.fontSize": 14, "yaml.schemas": {"./eigen.json": ["x.yaml"]}}),
                        encoding="utf-8")
    first = run_amip("schema", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "5 Schemas geschrieben" in first.stdout and "ergänzt" in first.stdout
    folder = project / ".amip" / "schema"
    files = sorted(folder.glob("*.schema.json"))
    assert [f.name for f in files] == ["abkuerzungen.schema.json", "ausgabe.schema.json", "daten.schema.json",
                                       "projekt.schema.json", "traeger.schema.json"]
    snapshot = {f: f.read_bytes() for f in [*files, settings]}
    merged = json.loads(settings.read_text(encoding="utf-8"))
    assert merged["editor.fontSize"] == 14
    assert merged["yaml.schemas"]["./eigen.json"] == ["x.yaml"]
    assert merged["yaml.schemas"]["./.amip/schema/daten.schema.json"] == ["content/*/*/daten/*.yaml"]
    second = run_amip("schema", cwd=project)
    assert second.returncode == 0 and "0 Schemas geschrieben, 5 unverändert" in second.stdout
    assert "unverändert" in second.stdout.splitlines()[-1]
    assert {f: f.read_bytes() for f in snapshot} == snapshot


def test_settings_with_comments_are_left_alone(tmp_path):
    project = _project(tmp_path)
    settings = project / ".vscode" / "settings.json"
    settings.parent.mkdir()
    original = '{\n  // Schriftgröße\n  "editor.fontSize": 14,\n}\n'
    settings.write_text(original, encoding="utf-8")
    result = run_amip("schema", cwd=project)
    assert result.returncode == 0
    assert "nicht geändert" in result.stdout and "docs/editor.md" in result.stdout
    assert settings.read_text(encoding="utf-8") == original


def test_schema_into_own_folder_without_vscode(tmp_path):
    project = _project(tmp_path)
    result = run_amip("schema", "--ohne-vscode", "schemas", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "schemas" / "daten.schema.json").is_file()
    assert not (project / ".vscode").exists()
    outside = run_amip("schema", cwd=tmp_path)           # no project, no folder given
    assert outside.returncode == 1 and "amip-projekt.yaml" in outside.stderr


def test_a_target_folder_that_cannot_be_made_is_a_german_environment_error(tmp_path):
    result = run_amip("schema", "/proc/amip-schema", cwd=tmp_path)
    assert result.returncode == 3
    assert "Der Ordner /proc/amip-schema lässt sich hier nicht anlegen" in result.stderr
    assert "Traceback" not in result.stderr and "Interner Fehler" not in result.stderr
