"""Turn a new edition's changes into the German report for authors: what amip changed, what they must do next."""

from __future__ import annotations

from pathlib import Path


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def changes(result) -> list[str]:
    """One line per change: "kapitel/01-einfuehrung.md:2: titel: … 2026 → titel: … 2027"."""
    return [f"{name}:{line}: {old} → {new}" for name, line, old, new in result.changes]


def steps(result) -> list[str]:
    """The checklist, in the order the authors work through it."""
    folder, old, new = _shown(result.folder), result.old, result.new
    previous = _shown(result.source)
    opened = sum(result.open_values.values())
    files = ", ".join(f"{name} ({count})" for name, count in result.open_values.items() if count)
    out = [f"Kapitel überarbeiten: Alle {result.chapters} Kapitel tragen „status: zu überarbeiten“ im Kopfbereich. "
           f"Aktualisieren Sie Text, Zahlen und Jahreszahlen und löschen Sie danach die Zeile.",
           f"Planwerte eintragen: {opened} Werte stehen auf „offen“" + (f" – {files}" if files else "")
           + f". Sie erscheinen im Entwurf markiert als „offen“; tragen Sie die Planzahlen {new} ein."]
    if result.open_values:
        out.append(f"Vergleichsspalte prüfen: Verglichen wird mit dem Ansatz {old} (der Planung der Ausgabe {old})"
                   + (f" – „basis: {{art: ansatz, jahr: {old}}}“ holt die Werte aus der Zeitreihe."
                      if result.basis_from_series else " – die Planwerte des Vorjahres stehen als „basis“ in den Daten.")
                   + " Soll es das Ergebnis oder die Hochrechnung sein, ändern Sie „art:“ (ergebnis, hochrechnung).")
    if result.untouched:
        out.append("Diese Datendateien hat amip nicht verändert – prüfen Sie Werte und Jahreszahlen: "
                   + ", ".join(result.untouched) + ".")
    out += [f"Stand eintragen und Entwürfe bauen: „stand: TT.MM.JJJJ“ in ausgabe.yaml, dann „amip build {folder}“ – "
            "jede Seite trägt „ENTWURF“.",
            f"Änderungen zeigen: „amip diff {previous} {folder}“ erstellt die Änderungsübersicht für die "
            "Trägerversammlung; mit „status: vorlage“ trägt jede Seite „VORLAGE“.",
            f"Vor dem Beschluss: „amip check --final {folder}“ listet alles, was noch offen ist (Werte, Kapitel, "
            "Platzhalter, veraltete Jahreszahlen, Warnungen) – jeweils mit Datei:Zeile.",
            "Nach dem Beschluss: „status: beschlossen“ und „beschluss: {datum: TT.MM.JJJJ, nummer: …}“ in "
            f"ausgabe.yaml, dann „amip publish {folder}“."]
    return out


def report(result, markdown: bool = False) -> str:
    """The whole report: summary, every change, the checklist (as Markdown for the file in the edition)."""
    folder = _shown(result.folder)
    lines = changes(result)
    if not markdown:
        head = [f"Ausgabe {result.new} angelegt: {folder} (Entwurf, aus {_shown(result.source)}).",
                f"{len(lines)} Änderungen:"]
        body = [f"  {folder}/{line}" for line in lines]
        todo = ["", "Was Sie jetzt tun müssen:"] + [f"  {i}. {step}" for i, step in enumerate(steps(result), 1)]
        return "\n".join(head + body + todo + [f"  Die Liste der Änderungen steht auch in {folder}/AENDERUNGEN-NEUES-JAHR.md."])
    out = [f"# Neue Ausgabe {result.new} aus der Ausgabe {result.old}", "",
           f"Angelegt mit `amip new-edition {_shown(result.source)} {result.new}`. amip hat die Ausgabe {result.old} "
           f"kopiert und dabei {len(lines)} Stellen geändert (Datei:Zeile in der neuen Ausgabe: alt → neu). "
           "Jahreszahlen im laufenden Text bleiben, wie sie sind – außer in festen Wendungen wie "
           f"„Arbeitsmarkt- und Integrationsprogramm {result.old}“ oder „Planung {result.old}“.", "",
           "## Was amip geändert hat", ""]
    out += [f"- `{line.split(': ', 1)[0]}`: {line.split(': ', 1)[1]}" for line in lines]
    out += ["", "## Was Sie jetzt tun müssen", ""]
    out += [f"{i}. {step}" for i, step in enumerate(steps(result), 1)]
    return "\n".join(out) + "\n"
