"""Turn pydantic validation errors into located German messages ("Meinten Sie …?")."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, ValidationError

from ..errors import Collector
from ..load import Document

from .values import Strict


def validate(model: type[Strict], doc: Document, problems: Collector) -> Any | None:
    """Validate `doc` against `model`; on failure add one located German message per mistake."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        found = exc.errors(include_url=False)
        for error in found:
            if not _explained_by_typo(model, error, found):
                _report(model, doc, error, problems)
        return None


def _explained_by_typo(model: type[Strict], error: dict, found: list[dict]) -> bool:
    """A missing key that an unknown sibling key misspells is one mistake, reported once (as the typo)."""
    if error["type"] != "missing":
        return False
    parent, key = tuple(error["loc"][:-1]), error["loc"][-1]
    for other in found:
        if other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == parent:
            allowed = _field_names(model, parent)
            if difflib.get_close_matches(str(other["loc"][-1]), allowed, n=1, cutoff=0.6) == [key]:
                return True
    return False


def validate_data(doc: Document, problems: Collector) -> Any | None:
    """Pick the data model from the file's `art:` and validate."""
    from . import DATA_MODELS

    art = doc.data.get("art") if isinstance(doc.data, dict) else None
    if art not in DATA_MODELS:
        where = doc.where(("art",)) if isinstance(doc.data, dict) and "art" in doc.data else doc.where()
        shown = f"„{art}“" if art else "keine Angabe"
        problems.error(where, f"Unbekannte Art der Daten ({shown}).",
                       "Die erste Zeile lautet z. B. „art: kennzahlen“; möglich: " + ", ".join(DATA_MODELS) + ".")
        return None
    model = DATA_MODELS[art]
    if model is None:
        from ..tables.schema import model_for

        model = model_for(art, doc.data)
    return validate(model, doc, problems)


def _field_names(model: Any, loc: tuple) -> list[str]:
    """The allowed keys at `loc` inside `model`, for "Meinten Sie …?" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else Any
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = models[0] if len(models) == 1 else tp
            if len(models) != 1:
                return tp
        else:
            return tp


def _report(model: type[Strict], doc: Document, error: dict, problems: Collector) -> None:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and ("[" in part or part.startswith("function-"))))
    kind = error["type"]
    key = loc[-1] if loc else ""
    if kind == "missing":
        problems.error(doc.where(loc[:-1]), f"Pflichtangabe „{key}“ fehlt.", f"Ergänzen Sie eine Zeile „{key}: …“.")
        return
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"Meinten Sie „{close[0]}“?" if close else ("Erlaubt sind: " + ", ".join(allowed) + "." if allowed else "")
        problems.error(doc.where(loc, key=True), f"Unbekannter Schlüssel „{key}“.", hint)
        return
    where = doc.where(loc)
    value = error.get("input")
    if kind == "amip":
        problems.error(where, error["msg"], error.get("ctx", {}).get("hint", ""))
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        expected = str(expected).replace("'", "").replace(" or ", " oder ")
        problems.error(where, f"Wert „{value}“ ist hier nicht erlaubt.", f"Erlaubt: {expected}.")
    elif kind in ("string_type", "string_too_short") and value in (None, ""):
        problems.error(where, f"Angabe „{key}“ ist leer.", "Tragen Sie einen Text ein.")
    elif kind == "string_type" and isinstance(key, int) and isinstance(value, dict):
        problems.error(where, f"Eintrag {key + 1} soll ein einfacher Text sein, YAML liest hier aber „schlüssel: wert“.",
                       "Enthält der Text einen Doppelpunkt mit Leerzeichen („Quelle: …“)? Setzen Sie ihn in "
                       "Anführungszeichen: - \"Quelle: …\".")
    elif kind == "string_type":
        problems.error(where, f"Für „{key}“ wird ein einfacher Text erwartet.", "Schreiben Sie den Text in eine Zeile.")
    elif kind == "string_pattern_mismatch":
        problems.error(where, f"„{value}“ hat nicht die erwartete Form.",
                       "Postleitzahlen haben fünf Ziffern; Kennungen (id) nur Kleinbuchstaben, Ziffern und „-“; "
                       "Farben als #rrggbb, z. B. #00528c.")
    elif kind in ("list_type", "too_short"):
        problems.error(where, f"Für „{key}“ wird eine Liste erwartet (mindestens ein Eintrag).",
                       "Schreiben Sie jeden Eintrag in eine eigene Zeile, beginnend mit „- “.")
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        problems.error(where, f"Für „{key}“ werden Angaben der Form „schlüssel: wert“ erwartet.",
                       "Rücken Sie die Angaben darunter mit Leerzeichen ein.")
    elif kind in ("int_parsing", "int_type"):
        problems.error(where, f"„{value}“ ist keine ganze Zahl.", "Schreiben Sie z. B. 2026.")
    else:
        problems.error(where, f"Ungültiger Wert für „{key}“ ({error['msg']}).", "Prüfen Sie die Schreibweise.")
