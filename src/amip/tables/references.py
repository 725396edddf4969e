"""Turn `=datei.zeile.spalte` references between data files into the values they name.

A value in one data file may come from another: `wert: =haushalt.gesamt.betrag` takes the computed
value that `[[wert: haushalt.gesamt.betrag]]` would print (same paths). amip orders the files so that
every file is computed after the files it refers to, reports unknown files, unknown values and
cycles with file:line, and replaces each reference by the German number before the file is checked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from .. import formatting as fmt
from ..errors import Collector, Location
from ..load import Document

_REFERENCE = re.compile(r"^=\s*([a-z0-9][a-z0-9_-]*)((?:\.[^\s.]+)+)\s*$")


@dataclass(frozen=True)
class Reference:
    path: str                  # "haushalt.gesamt.betrag"
    file: str                  # "haushalt"
    loc: tuple                 # where in the document's data
    where: Location


def find(doc: Document, problems: Collector) -> list[Reference]:
    """Every string value that starts with "=" (keys are never references)."""
    found: list[Reference] = []

    def walk(value: Any, loc: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, loc + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, loc + (i,))
        elif isinstance(value, str) and value.startswith("="):
            match = _REFERENCE.match(value)
            if match is None:
                problems.error(doc.where(loc), f"„{value}“ ist kein gültiger Verweis.",
                               "Ein Verweis auf einen Wert einer anderen Datei lautet =datei.zeile.spalte, "
                               "z. B. =haushalt.gesamt.betrag.")
                return
            found.append(Reference(match.group(1) + match.group(2), match.group(1), loc, doc.where(loc)))

    walk(doc.data, ())
    return found


def in_order(docs: dict[str, Document | None], compute_one: Callable[[str, Document], Any],
             values_of: Callable[[str, Any], dict[str, tuple[str, Decimal | None]]],
             problems: Collector) -> dict[str, Any]:
    """Compute every file after the files it refers to; → name → figures (files with errors left out).

    `docs` holds every data file by name (None where the file could not be read: references to it
    are not reported again). `compute_one` validates and computes a file whose references are filled in.
    """
    refs = {name: find(doc, problems) for name, doc in docs.items() if doc is not None}
    blocked = {name for name, doc in docs.items() if doc is None}
    for name, found in refs.items():
        for ref in found:
            if ref.file not in docs:
                close = difflib.get_close_matches(ref.file, list(docs), n=1, cutoff=0.6)
                problems.error(ref.where, f"Verweis „={ref.path}“: die Datendatei „{ref.file}“ gibt es nicht.",
                               f"Meinten Sie „{close[0]}“?" if close else
                               "Bekannte Datendateien (daten/*.yaml): " + (", ".join(sorted(docs)) or "keine") + ".")
                blocked.add(name)
    blocked |= _cycles(refs, problems)
    values: dict[str, tuple[str, Decimal | None]] = {}
    figures: dict[str, Any] = {}
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        done.add(name)
        for ref in refs.get(name, []):
            if ref.file != name and ref.file in refs:
                visit(ref.file)
        if name in blocked or any(ref.file not in figures or ref.file in blocked for ref in refs[name]):
            return                       # its own or its sources' problems are already reported
        if _fill(docs[name], refs[name], values, problems):
            errors_before = sum(p.level == "fehler" for p in problems.problems)
            made = compute_one(name, docs[name])
            if made is not None:
                figures[name] = made
                if sum(p.level == "fehler" for p in problems.problems) == errors_before:
                    values.update(values_of(name, made))
                else:                    # values of a file with errors would only cause follow-up messages
                    blocked.add(name)

    for name in sorted(refs):
        visit(name)
    return dict(sorted(figures.items()))


def _cycles(refs: dict[str, list[Reference]], problems: Collector) -> set[str]:
    """Files that refer to themselves through other files; one message per cycle, at each file's reference."""
    in_cycle: set[str] = set()
    state: dict[str, int] = {}           # 1: on the current path, 2: finished
    path: list[tuple[str, Reference | None]] = []

    def walk(name: str, via: Reference | None) -> None:
        state[name] = 1
        path.append((name, via))
        for ref in refs.get(name, []):
            if ref.file not in refs:
                continue
            if state.get(ref.file) == 1:
                start = next(i for i, (n, _) in enumerate(path) if n == ref.file)
                hops = [r for _, r in path[start + 1:]] + [ref]
                members = [n for n, _ in path[start:]]
                if not set(members) <= in_cycle:
                    chain = " → ".join(f"„={r.path}“ ({r.where})" for r in hops)
                    for hop in hops:
                        problems.error(hop.where, "Verweise im Kreis: " + chain + ".",
                                       "Ein Wert kann nicht von sich selbst abhängen. Tragen Sie an einer Stelle "
                                       "die Zahl ein statt des Verweises.")
                in_cycle.update(members)
            elif state.get(ref.file) is None:
                walk(ref.file, ref)
        path.pop()
        state[name] = 2

    for name in sorted(refs):
        if name not in state:
            walk(name, None)
    return in_cycle


def _fill(doc: Document, refs: list[Reference], values: dict, problems: Collector) -> bool:
    """Replace each reference by the German text of its value; False if one cannot be resolved."""
    ok = True
    for ref in refs:
        found = values.get(ref.path)
        if found is None or found[1] is None:
            if found is not None and found[0] == fmt.OPEN:
                problems.error(ref.where, f"Verweis „={ref.path}“: der Wert ist noch „{fmt.OPEN}“.",
                               "Eine Zahlenreihe kann keine offenen Werte zeigen – tragen Sie zuerst den Planwert "
                               f"in „{ref.file}“ ein (oder setzen Sie hier vorübergehend eine Zahl).")
            elif found is not None:
                problems.error(ref.where, f"Verweis „={ref.path}“: „{found[0]}“ ist keine Zahl.",
                               "Verweisen Sie auf einen Zahlenwert (Anzahl, Betrag, Summe).")
            else:
                candidates = [p for p in values if p.startswith(ref.file + ".")]
                close = difflib.get_close_matches(ref.path, candidates, n=1, cutoff=0.6)
                problems.error(ref.where, f"Verweis „={ref.path}“: diesen Wert gibt es nicht.",
                               f"Meinten Sie „={close[0]}“?" if close else
                               "Form: =datei.zeile.spalte; Beispiele aus dieser Datei: "
                               + (", ".join("=" + p for p in candidates[:4]) or "keine") + ".")
            ok = False
            continue
        _set(doc.data, ref.loc, _german(found[1]))
    return ok


def _german(number: Decimal) -> str:
    """The number as an author would write it (German, the decimals it carries – 1.234,50 stays –, at most six)."""
    exponent = number.as_tuple().exponent
    decimals = min(6, max(0, -exponent)) if isinstance(exponent, int) else 0
    return fmt.number(number, decimals)


def _set(data: Any, loc: tuple, value: str) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value
