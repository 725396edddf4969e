"""Turn the pydantic models of amip's files into JSON Schemas an editor uses for completion and checks.

amip reads every YAML scalar as the text the author wrote; an editor's YAML parser types it
(`8.510` becomes the number 8.51, `40215` an integer). So every text field also accepts a number,
and every German number field accepts both the number an editor sees and the German text ("8.510",
"1.234,5", `offen` for a plan value not yet decided). The schemas check shape and keys; the exact
rules (sums, catalogue order, German digit groups) stay with `amip check`.
Descriptions are German (amip.model.beschreibungen), because authors read them in the editor.
"""

from __future__ import annotations

import functools
import inspect
from decimal import Decimal
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from . import DATA_MODELS, Ausgabe, Projekt, Traeger, values
from .beschreibungen import ART, DATEIEN, FELDER, MODELLE

_GROUPED = r"([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)"
_NUMBER = {"type": "number"}


def _text(pattern: str) -> dict:
    return {"type": "string", "pattern": pattern}


_REF = _text(r"^=\s*[a-z0-9][a-z0-9_-]*(\.[^\s.]+)+\s*$")            # a value taken from another data file: =eintritte.mat.plan
_CELL = {"anyOf": [_NUMBER, {"type": "string", "minLength": 1},
                   {"type": "object", "properties": {"text": {"type": "string", "minLength": 1}},
                    "required": ["text"], "additionalProperties": False}]}
_RANGE = {"anyOf": [_NUMBER, _text(r"^\s*-?" + _GROUPED + r"(,[0-9]+)?(\s+bis\s+-?" + _GROUPED + r"(,[0-9]+)?)?\s*$"),
                    _REF]}

# The German parsers of amip.model.values and what an editor may let through for each of them.
_PARSERS = {
    values.parse_int: {"anyOf": [_NUMBER, _text(r"^-?" + _GROUPED + "$"), _REF]},
    values.parse_count: {"anyOf": [{"type": "number", "minimum": 0}, _text("^" + _GROUPED + "$"), _REF]},
    values.parse_decimal: {"anyOf": [_NUMBER, _text(r"^-?" + _GROUPED + "(,[0-9]+)?$"), _REF]},
    values.parse_range: _RANGE,
    values.parse_count_range: _RANGE,
    values.parse_yes_no: {"enum": ["ja", "nein"]},
    values.parse_date: _text(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"),
}
# Parsers defined beside a model, known by name: Eintritte that may still be `offen` (D3)
_NAMED = {"_open_or_count_range": {"anyOf": [*_RANGE["anyOf"], {"const": "offen"}]}}


def _before(function: Any) -> dict | None:
    """The JSON Schema for a BeforeValidator function of the models, or None if it is not one of ours."""
    if isinstance(function, functools.partial):   # a Kennzahlen cell: number, German number text, offen, {text: …}
        return _CELL if function.func.__name__ == "_required" else None
    if function in _PARSERS:
        return _PARSERS[function]
    name = getattr(function, "__qualname__", "")
    if name == "_small.<locals>.parse":
        allowed = sorted(inspect.getclosurevars(function).nonlocals["allowed"])
        return {"enum": [*allowed, *map(str, allowed)]}
    if name in _NAMED:
        return _NAMED[name]
    if name == "_named":                           # a column given as its header text alone
        return None
    if name == "_points":                          # text size in pt: 10, "9,5", "10 pt"
        return {"anyOf": [{"type": "number", "minimum": 7, "maximum": 14}, _text(r"^[0-9]{1,2}(,[0-9])?\s*(pt)?$")]}
    return None


class _Generator(GenerateJsonSchema):
    """pydantic's generator, taught amip's German values and German descriptions."""

    def function_before_schema(self, schema):
        function = schema["function"]["function"]
        if schema["schema"]["type"] == "model-fields":   # a model's own before-validator
            return super().function_before_schema(schema)
        known = _before(function)
        if known is not None:
            return dict(known)
        if getattr(function, "__qualname__", "") == "_named":
            return {"anyOf": [{"type": "string", "minLength": 1}, super().function_before_schema(schema)]}
        # A field parser this module does not know: what it accepts cannot be read from what it returns
        # (a tuple of Decimals, say), so the editor lets the value through and `amip check` judges it.
        return {}

    def str_schema(self, schema):
        out = super().str_schema(schema)
        out["type"] = ["string", "number"]      # `titel: 2026` or `plz: 40215` is a number to the editor
        return out

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, bool):
            return "ja" if dft else "nein"
        if isinstance(dft, Decimal):
            return float(dft)
        return super().encode_default(dft)

    def model_schema(self, schema):
        out = super().model_schema(schema)
        cls = schema["cls"]
        out.pop("title", None)
        out.pop("description", None)               # class docstrings are English notes for developers
        if cls.__name__ in MODELLE:
            out["description"] = MODELLE[cls.__name__]
        for name, prop in out.get("properties", {}).items():
            prop.pop("title", None)
            text = FELDER.get((cls.__name__, name)) or FELDER.get(("*", name))
            if text and "description" not in prop:
                prop["description"] = text
        return out


def _kennzahlen_model():
    """The Kennzahlen model of a file with placeholder columns – one typed in, one computed and, where the
    model knows columns taken from the series (D2), one of those; in the schema they become
    `additionalProperties`, because every file names its own value columns."""
    from ..tables.schema import kennzahlen_model

    if "series" in inspect.signature(kennzahlen_model).parameters:
        return kennzahlen_model((("wert__", "anzahl", False), ("reihe__", "anzahl", False)), ("rechen__",),
                                series=("reihe__",))
    return kennzahlen_model((("wert__", "anzahl", False),), ("rechen__",))


def _open_columns(defs: dict) -> None:
    """Turn the placeholder columns into "any lower-case key" with the placeholder's schema."""
    for definition in defs.values():
        props = definition.get("properties", {})
        value, computed, series = (props.pop(k, None) for k in ("wert__", "rechen__", "reihe__"))
        if value is None:
            continue
        if computed is not None:
            value = {"anyOf": [value, computed, *([series] if series else [])],
                     "description": FELDER[("KennzahlenSpalten", "*")]}
        else:
            value = dict(value, description=FELDER[("Werte", "*")])
        definition["additionalProperties"] = value
        definition["propertyNames"] = {"pattern": "^[a-z][a-z0-9_]*$"}
        definition["required"] = [k for k in definition.get("required", []) if not k.endswith("__")]
        if not definition["required"]:
            del definition["required"]


def _draft7(node: Any) -> Any:
    """The YAML extension for VS Code speaks JSON Schema draft 7, where keys beside "$ref" are ignored:
    a description or default next to a reference moves beside an `allOf` that holds the reference."""
    if isinstance(node, dict):
        out = {key: _draft7(value) if key != "properties" else {k: _draft7(v) for k, v in value.items()}
               for key, value in node.items()}
        if "$ref" in out and len(out) > 1:
            ref = out.pop("$ref")
            out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
        return out
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    return node


_TABLE_CELL = {"anyOf": [_NUMBER, {"type": "string"}, {"type": "null"}, _CELL["anyOf"][2],
                         {"type": "array", "items": {"type": ["string", "number"]}}]}
_TABLE_ROW = {"anyOf": [
    {"type": "array", "items": _TABLE_CELL, "description": "Eine Zeile: je Spalte eine Zelle, z. B. [Posten, \"1.234,50\"]."},
    {"type": "object", "description": "Eine Zeile mit Schlüssel: {schluessel: egt, zellen: [Posten, \"1.234,50\"]}.",
     "required": ["zellen"], "additionalProperties": False,
     "properties": {"schluessel": {"type": "string"}, "zellen": {"type": "array", "items": _TABLE_CELL}}}]}
_TABLE_ITEM = {"anyOf": [*_TABLE_ROW["anyOf"], {
    "type": "object", "required": ["gruppe", "zeilen"], "additionalProperties": False,
    "description": "Eine Zeilengruppe mit Zwischensumme: {gruppe: Titel, zeilen: [[…], […]]}.",
    "properties": {"gruppe": {"type": "string", "description": "Titel der Gruppe."},
                   "schluessel": {"type": "string"},
                   "summe": {"type": "string", "description": "Beschriftung der Zwischensumme."},
                   "zeilen": {"type": "array", "minItems": 1, "items": _TABLE_ROW}}}]}


def _table_rows(defs: dict) -> None:
    """`zeilen` of a general table is checked cell by cell by amip; the schema names its three forms."""
    rows = defs.get("Tabelle", {}).get("properties", {}).get("zeilen")
    if rows is not None:
        rows["items"] = _TABLE_ITEM


def _strip_titles(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("title", None)
        for key, value in node.items():
            if key != "properties":
                _strip_titles(value)
            else:
                for prop in value.values():
                    _strip_titles(prop)
    elif isinstance(node, list):
        for item in node:
            _strip_titles(item)


def _document(name: str, models: list, root: dict) -> dict:
    keyed, top = models_json_schema([(m, "validation") for m in models], schema_generator=_Generator)
    defs = top.get("$defs", {})
    _open_columns(defs)
    _table_rows(defs)
    _strip_titles(defs)
    out = {"$schema": "http://json-schema.org/draft-07/schema#",
           "title": DATEIEN[name][0], "description": DATEIEN[name][1]}
    out.update(root(keyed) if callable(root) else root)
    out["$defs"] = dict(sorted(defs.items()))
    return _draft7(out)


def _ref(keyed: dict, model) -> dict:
    return keyed[(model, "validation")]


def schemas() -> dict[str, dict]:
    """Every schema amip writes, by file name stem: traeger, ausgabe, abkuerzungen, daten, projekt."""
    data_models = {art: (model or (_kennzahlen_model() if art == "kennzahlen" else None))
                   for art, model in DATA_MODELS.items()}
    if data_models.get("tabelle") is None:
        from ..tables.schema import Tabelle

        data_models["tabelle"] = Tabelle

    def data_root(keyed: dict) -> dict:
        arts = list(data_models)
        return {"type": "object", "required": ["art"],
                "properties": {"art": {"enum": arts, "description": ART}},
                "allOf": [{"if": {"properties": {"art": {"const": art}}, "required": ["art"]},
                           "then": _ref(keyed, model)} for art, model in data_models.items()]}

    return {
        "traeger": _document("traeger", [Traeger], lambda k: _ref(k, Traeger)),
        "ausgabe": _document("ausgabe", [Ausgabe], lambda k: _ref(k, Ausgabe)),
        "projekt": _document("projekt", [Projekt], lambda k: _ref(k, Projekt)),
        "abkuerzungen": _document("abkuerzungen", [], {
            "type": "object", "propertyNames": {"minLength": 1},
            "additionalProperties": {"type": ["string", "number"], "minLength": 1,
                                     "description": FELDER[("Abkuerzungen", "*")]}}),
        "daten": _document("daten", list(data_models.values()), data_root),
    }
