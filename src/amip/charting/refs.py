"""Turn the charts and images an edition names into drawn, cached chart references."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from .. import compute, platzhalter
from ..errors import Collector, Location
from ..numbering import figure_numbers


from ..edition import Edition


def chart_declarations(edition: Edition, problems: Collector) -> list[tuple[str, str, Any]]:
    """Every `[[diagramm: name | art]]` in document order, with its ChartSpec; errors are located."""

    found = []
    seen = set()
    for chapter in edition.chapters:
        for token in chapter.tokens:
            if token.type != "amip_block" or token.meta["kind"] not in ("diagramm", "abbildung"):
                continue
            where = Location(chapter.source_path, chapter.body_line + (token.map[0] if token.map else 0))
            name = token.meta["name"]
            kind = "bild" if token.meta["kind"] == "abbildung" else (token.meta["option"] or "").strip()
            if (name, kind) in seen or name in edition.broken_data:  # a broken data file is reported already
                continue
            seen.add((name, kind))
            spec = _image(edition, name, where, problems) if kind == "bild" else \
                _chart_spec(edition, name, kind, where, problems)
            if spec is not None:
                found.append((name, kind, spec))
    return found


def _image(edition: Edition, name: str, where: Location, problems: Collector):
    figures = edition.figures.get(name)
    if not isinstance(figures, (compute.ImageFigures, platzhalter.PlaceholderFigures)):
        problems.error(where, f"Bild „{name}“ gibt es nicht.",
                       "Ein Bild wird in daten/<name>.yaml mit art: bild, datei, titel und alt beschrieben "
                       "(eine noch fehlende Grafik mit art: platzhalter, titel und alt).")
        return None
    return figures


def _chart_spec(edition: Edition, name: str, kind: str, where: Location, problems: Collector):
    from ..charts import HOUSE, KINDS, ChartSpec as Spec

    theme = edition.traeger.theme
    style = {**HOUSE, "farben": [theme.farbe, *HOUSE["farben"][1:]], "ziel": theme.akzent}
    if theme.farbe.lower() != HOUSE["farben"][0]:  # the second series: a tint of the house colour, as the default's
        from ..theme.view import tint

        style["farben"][1] = tint(theme.farbe, 0.45)
    if edition.theme.font is not None:  # charts speak the theme's font; its bytes are part of the chart key
        font = edition.theme.font
        style |= {"schrift": font.name, "schrift_dateien": tuple(str(p) for _, _, p in font.faces),
                  "schrift_hash": hashlib.sha256(b"".join(p.read_bytes() for _, _, p in font.faces)).hexdigest()[:16]}

    def ChartSpec(*args, **kwargs):  # noqa: N802 – every chart of this edition in its house style
        return Spec(*args, style=style, **kwargs)

    if kind not in KINDS and kind not in ("portfolio", "zeitreihe"):
        problems.error(where, f"Diagrammart „{kind}“ gibt es nicht." if kind else "Diagrammart fehlt.",
                       "Schreiben Sie [[diagramm: name | art]] mit art = " + ", ".join(KINDS) + ".")
        return None
    figures = edition.figures.get(name)
    if figures is None:
        problems.error(where, f"Daten „{name}“ für das Diagramm gibt es nicht.",
                       "Bekannte Daten (Dateien in daten/): " + ", ".join(sorted(edition.figures)) + ".")
        return None
    if isinstance(figures, compute.KennzahlenFigures):
        plan = figures.value_columns[0][1]
        if kind == "zeitreihe":       # Ansatz and results per Zweckbestimmung over the years (amip.series)
            from ..series.chart import series_chart

            made = series_chart(edition, name, figures, where, problems)
            return ChartSpec("balken", *made) if made is not None else None
        if kind == "portfolio":
            overview = compute.portfolio_overview(figures)
            rows = [row for row in overview.rows if not row.cells[2].open]   # an open value has no bar (D3)
            return ChartSpec("balken", f"Geplante {plan} je Instrument" + (_open_note(overview.rows, 1, 2) if rows else ""),
                             tuple(row.cells[1].text for row in rows),
                             ((plan, tuple(row.cells[2].text.replace(".", "") for row in rows)),))
        if kind not in ("balken", "gruppiert"):
            problems.error(where, f"Kennzahlen lassen sich als balken, gruppiert, portfolio oder zeitreihe zeigen, "
                                  f"nicht als {kind}.", "")
            return None
        every_group = [r for r in figures.rows if r.kind == "gruppe"]
        shown = figures.value_columns[:2]       # plan (and basis): the columns a Vergleich compares
        # a Zweckbestimmung with an open value (D3) has no bar: left out and named in the title, never 0
        groups = [r for r in every_group if not any(c.open for c in r.cells)]
        title = f"{plan} je Zweckbestimmung" + (f" im Vergleich zu {shown[1][1]}" if len(shown) > 1 else "")
        title = (figures.title or title) + (_open_note(every_group, 0, None) if groups else "")
        return ChartSpec(kind, title, tuple(r.label for r in groups),
                         tuple((header, tuple(str(r.numbers.get(key, 0)) for r in groups)) for key, header in shown))
    if kind == "zeitreihe":
        problems.error(where, f"Das Zeitreihen-Diagramm zeigt Kennzahlen; „{name}“ ist keine Kennzahlen-Datei.",
                       "Schreiben Sie [[diagramm: kennzahlen | zeitreihe]].")
        return None
    if isinstance(figures, compute.SeriesFigures):
        data = figures.data
        if kind in ("torte", "wasserfall") and len(data.reihen) != 1:
            problems.error(where, f"Ein {KINDS[kind]} zeigt genau eine Reihe; „{name}“ hat {len(data.reihen)}.",
                           "Nehmen Sie „gruppiert“ oder „linie“ für mehrere Reihen.")
            return None
        if kind == "torte" and any(v < 0 for values in data.reihen.values() for v in values):
            problems.error(where, "Ein Kreisdiagramm kann keine negativen Werte zeigen.", "")
            return None
        if kind == "torte" and not any(v > 0 for values in data.reihen.values() for v in values):
            problems.error(figures.doc.where(("reihen",)), f"Das Kreisdiagramm „{name}“ hat nur Nullwerte.",
                           "Tragen Sie die Werte ein oder lassen Sie das Diagramm weg.")
            return None
        if kind == "linie" and len(data.kategorien) < 2:
            problems.error(figures.doc.where(("kategorien",)),
                           f"Ein Liniendiagramm braucht mindestens zwei Punkte je Reihe; „{name}“ hat nur einen "
                           f"(Kategorie „{data.kategorien[0]}“).",
                           "Ergänzen Sie weitere Kategorien (z. B. Jahre) oder zeigen Sie die Werte als „balken“ "
                           "oder „gruppiert“.")
            return None
        if data.zwischensummen and kind != "wasserfall":
            problems.error(where, f"„{name}“ hat Zwischensummen; sie lassen sich nur im Wasserfalldiagramm zeigen.",
                           "Schreiben Sie [[diagramm: " + name + " | wasserfall]] oder zeigen Sie die Daten als Tabelle.")
            return None
        return ChartSpec(kind, data.titel, tuple(data.kategorien),
                         tuple((n, tuple(str(v) for v in values)) for n, values in data.reihen.items()),
                         unit=data.einheit, highlight=data.hervorheben, subtotals=tuple(data.zwischensummen))
    problems.error(where, f"„{name}“ ist eine Tabelle ohne Zahlenreihen und lässt sich nicht zeichnen.",
                   "Diagramme zeichnen Kennzahlen oder Daten der Art „reihe“.")
    return None


def chart_refs(edition: Edition, problems: Collector, cache: Path | None, progress=None) -> tuple[dict, int]:
    """ChartRefs for rendering; with a cache folder the SVGs are drawn (only stale ones). → (refs, drawn)

    `progress(stage, done, total)` hears of every chart ready (terminal.progress)."""
    from .. import charts
    from ..render import ChartRef

    declared = chart_declarations(edition, problems)
    specs = [spec for _, kind, spec in declared if kind != "bild" and spec.categories]   # all open: nothing to draw
    specs += [dataclasses.replace(spec, medium="web") for spec in specs]   # web: phone-sized, Open Sans as paths
    # every chart is drawn twice (print and web): count charts, not drawings
    tick = (lambda done, total: progress("Diagramme", (done + 1) // 2, total // 2)) if progress is not None else None
    paths, findings = charts.ensure(specs, cache, tick) if cache is not None and specs else ({}, {})
    _report_chart_findings(edition, declared, findings, problems)
    style = edition.traeger.abbildungen
    numbers = figure_numbers(edition)
    refs = {}
    for number, (name, kind, spec) in enumerate(declared, start=1):
        figures = edition.figures[name]
        data = getattr(figures, "data", None)
        label = f"{style.bezeichnung} {numbers.get(('abbildung', f'{name}|{kind}'), number)}" if style.nummeriert else ""
        figure_id = f"abb-{name}" if not any(n == name for n, k, _ in declared[: number - 1]) else f"abb-{name}-{kind}"
        if isinstance(figures, platzhalter.PlaceholderFigures):
            refs[(name, kind)] = platzhalter.figure_ref(figures, figure_id, label, _source_line(data),
                                                        edition.traeger.theme.farbe, cache)
            continue
        if kind != "bild" and not spec.categories:   # every value still `offen` (D3): a framed "Grafik folgt"
            waiting = SimpleNamespace(titel=spec.title, alt=f"Diagramm folgt: {spec.title}", fussnote=None,
                                      hinweis="Die Werte sind noch offen – das Diagramm entsteht, sobald sie feststehen.")
            refs[(name, kind)] = platzhalter.figure_ref(SimpleNamespace(data=waiting), figure_id, label, _source_line(data),
                                                        edition.traeger.theme.farbe, cache)
            continue
        if kind == "bild":
            digest = hashlib.sha256(figures.path.read_bytes()).hexdigest()[:20]
            relative = figures.path.relative_to(edition.folder.resolve().parent).as_posix()
            refs[(name, kind)] = ChartRef(figure_id, label, data.titel, data.alt, _source_line(data),
                                          data.fussnote or "", digest + figures.path.suffix.lower(),
                                          figures.path, (), (), url="amip://inhalt/" + quote(relative))
            continue
        alt = (getattr(data, "alt", None) or charts.alt_text(spec))
        header, rows = charts.data_rows(spec)
        web = dataclasses.replace(spec, medium="web").key()
        refs[(name, kind)] = ChartRef(figure_id, label, spec.title, alt, _source_line(data),
                                      getattr(data, "fussnote", None) or "", spec.key() + ".svg",
                                      paths.get(spec.key(), (None,))[0], header, tuple(rows),
                                      web + ".svg", paths.get(web, (None,))[0], url=f"amip://diagramme/{spec.key()}.svg")
    drawn = sum(1 for _, kind, spec in declared if kind != "bild" and any(
        paths[key][1] for key in (spec.key(), dataclasses.replace(spec, medium="web").key()) if key in paths))
    return refs, drawn


def _report_chart_findings(edition: Edition, declared, findings: dict, problems: Collector) -> None:
    """Overlapping or clipped chart labels stop the build, located at the chart's data file."""
    for name, kind, spec in declared:
        for medium, label in (("druck", "im PDF"), ("web", "in der Web-Ausgabe")):
            found = findings.get(dataclasses.replace(spec, medium=medium).key(), []) if kind != "bild" else []
            if len(found) > 3:
                found = [*found[:3], f"… und {len(found) - 3} weitere Überschneidungen."]
            for finding in found:
                doc = getattr(edition.figures[name], "doc", None)
                where = (doc.where(("kategorien",)) if doc is not None
                         else Location(edition.folder / "daten" / f"{name}.yaml", 1))
                problems.error(where, f"Diagramm „{name}“ ({kind}) {label}: {finding}",
                               "Kürzen Sie lange Kategorienamen, fassen Sie kleine Werte zusammen oder wählen Sie "
                               "eine andere Diagrammart.")


def _source_line(data) -> str:
    if data is None or not (getattr(data, "quelle", None) or getattr(data, "stand", None)):
        return ""
    return ", ".join(p for p in (f"Quelle: {data.quelle}" if data.quelle else "",
                                 f"Stand: {data.stand}" if data.stand else "") if p)


def _open_note(rows, label: int, value: int | None) -> str:
    """" (ohne offene Werte: I. …)" for the rows a chart leaves out because a value is still open."""
    left_out = [row.cells[label].text for row in rows
                if (row.cells[value].open if value is not None else any(c.open for c in row.cells))]
    return f" (ohne offene Werte: {', '.join(left_out)})" if left_out else ""
