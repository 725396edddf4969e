"""Turn command lines into builds and checks (German help; heavy imports only inside commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import BuildError, environment_problem
from .terminal import EXIT_CODES_EPILOG, GermanGroup, Progress


class _Group(GermanGroup):
    """Author mistakes are ContentErrors with file:line; anything else is a bug in amip. Authors
    get a German sentence instead of a traceback, and the details go to a log file to report."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:  # Ctrl-C: every output is written atomically, so nothing is half done
            click.echo("\nAbgebrochen – die bisherigen Ausgaben sind unverändert.", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 – last line of defence, details are logged
            environment = environment_problem(exc)
            if environment is not None:
                raise environment from None
            import traceback

            from .projekt import find_root

            log = (find_root(Path.cwd()) or Path(".")) / "build" / "amip-fehler.log"
            try:
                log.parent.mkdir(exist_ok=True)
                log.write_text(traceback.format_exc(), encoding="utf-8")
                where = f" Einzelheiten stehen in {log}."
            except OSError:
                where = ""
            raise BuildError(f"Interner Fehler in amip – das liegt nicht an Ihrem Text.{where} "
                             "Bitte melden Sie ihn dem amip-Team.", exit_code=1) from None


def _edition_arg(func):
    # no click.Path checks: their messages are English; load_edition says it in German.
    # Without an argument: the project's `standardausgabe` (amip-projekt.yaml, found upwards from here).
    def default(ctx, param, value):
        if value is not None:
            return value
        from .projekt import default_edition

        return default_edition()
    return click.argument("ausgabe", type=click.Path(path_type=Path), default=None, callback=default,
                          required=False, metavar="[AUSGABE]")(func)


@click.group(cls=_Group, context_settings={"help_option_names": ["--hilfe", "-h", "--help"], "max_content_width": 100},
             epilog=EXIT_CODES_EPILOG)
@click.version_option(package_name="amip", message="amip %(version)s", help="Zeigt die Version von amip an.")
def main() -> None:
    """amip – Arbeitsmarkt- und Integrationsprogramm aus YAML und Markdown als PDF und Web-Ausgabe.

    \b
    Beispiel:
      amip init mein-amip                # neues Projekt anlegen
      amip check                         # Standardausgabe prüfen
      amip build content/duesseldorf/2018
    """


_STRICT_HELP = "Satzbefunde (Lücken, Überschrift am Seitenende, …) sind Fehler statt Warnungen."


def _quiet_option(func):
    return click.option("--leise", is_flag=True, help="Keine Fortschrittsanzeige (Meldungen und Ergebnis erscheinen weiter).")(func)


@main.command("init")
@click.argument("ordner", type=click.Path(path_type=Path), default=Path("."), required=False, metavar="[ORDNER]")
@click.option("--name", default="Jobcenter Musterstadt", metavar="NAME",
              help="Name des Trägers (Standard: Jobcenter Musterstadt).")
@click.option("--kuerzel", default=None, metavar="KÜRZEL", help="Ordnername des Trägers unter content/ (Standard: aus dem Namen).")
@click.option("--jahr", default=None, metavar="JAHR", help="Jahr der ersten Ausgabe (Standard: nächstes Jahr).")
def init_command(ordner: Path, name: str, kuerzel: str | None, jahr: str | None) -> None:
    """Legt ein neues amip-Projekt an (Standard: im aktuellen Ordner).

    Schreibt amip-projekt.yaml, content/<träger>/ mit traeger.yaml, abkuerzungen.yaml und einem
    Theme-Ordner, eine erste Ausgabe, die sich sofort bauen lässt, .gitignore und eine README.
    Vorhandene Dateien werden nie überschrieben.

    \b
    Beispiel:
      amip init amip-musterstadt --name "Jobcenter Musterstadt" --jahr 2027
    """
    import datetime

    from .scaffold import scaffold

    if jahr is not None and not jahr.strip().isdigit():
        raise BuildError(f"„{jahr}“ ist keine Jahreszahl. Schreiben Sie z. B. --jahr 2027.", exit_code=1)
    result = scaffold(ordner, name, int(jahr) if jahr else datetime.date.today().year + 1, kuerzel)
    for path in result.kept:
        click.echo(f"Vorhanden, nicht verändert: {_shown(path)}", err=True)
    click.echo(f"{len(result.written)} Dateien angelegt in {_shown(result.root)}.")
    click.echo(f"Erste Ausgabe: {_shown(result.edition)} – bauen Sie sie im Projektordner mit „amip build“.")


@main.command("build")
@_edition_arg
@click.option("--streng", is_flag=True, help=_STRICT_HELP)
@click.option("--aenderungen", is_flag=True, help="Im PDF die Absätze am Rand markieren, die gegenüber der vorigen "
              "Ausgabe des Trägers neu oder geändert sind (nach build/<träger>/<jahr>-aenderungen/).")
@_quiet_option
def build_command(ausgabe: Path, streng: bool, aenderungen: bool, leise: bool) -> None:
    """Baut PDF und Web-Ausgabe einer Ausgabe.

    AUSGABE ist der Ordner der Ausgabe (Standard: die „standardausgabe“ aus amip-projekt.yaml).
    Die Dateien landen in build/<träger>/<jahr>/ des Projekts. Schlägt der Build fehl, bleiben
    die vorherigen Dateien unverändert. Nach dem Satz prüft amip die Seiten wie ein Setzer und
    meldet Befunde als Warnungen (mit --streng als Fehler; dann wird nichts geschrieben).

    \b
    Beispiel:
      amip build content/duesseldorf/2026
      amip build --streng content/duesseldorf/2018
      amip build --aenderungen content/duesseldorf/2026
    """
    from .chunks import pool

    pool.start(ausgabe)   # before the imports below: the workers get ready while amip loads
    from .build import build

    with Progress(quiet=leise) as progress:
        result = build(ausgabe, strict=streng, changes=aenderungen, progress=progress)
    for finding in result.layout_findings:
        click.echo(finding.format(), err=True)
    if result.warnings:
        click.echo(f"{result.warnings} Warnungen – „amip check {_shown(ausgabe)}“ zeigt sie.", err=True)
    click.echo(f"PDF ({result.pages} Seiten): {_shown(result.pdf)}")
    click.echo(f"Web-Ausgabe:      {_shown(result.web)}")
    progress.closing()
    _fast_exit()


@main.command("check")
@_edition_arg
@click.option("--satz", is_flag=True, help="Auch den Seitensatz prüfen (setzt das PDF, schreibt es aber nicht).")
@click.option("--streng", is_flag=True, help=_STRICT_HELP)
@click.option("--alle", is_flag=True, help="Auch die als geprüft markierten Warnungen zeigen (mit ihrem Grund).")
@click.option("--final", "final", is_flag=True,
              help="Vor dem Beschluss: Alles, was noch offen ist (Werte „offen“, Kapitel „zu überarbeiten“, "
                   "Platzhalter, veraltete Jahreszahlen, jede ungeprüfte Warnung), ist ein Fehler mit Datei:Zeile.")
@_quiet_option
def check_command(ausgabe: Path, satz: bool, streng: bool, alle: bool, final: bool, leise: bool) -> None:
    """Prüft eine Ausgabe: lädt, validiert und rechnet, ohne etwas zu schreiben.

    Listet alle gefundenen Probleme auf einmal mit Datei:Zeile:Spalte auf – Fehler in Daten,
    Kapiteln, Verweisen und Abkürzungen in einem Lauf – und endet mit Code 1, wenn es Fehler gibt.
    Eine geprüfte Warnung markieren Sie im Text mit dem Vermerk „geprüft“ und einem Grund, wie
    ihn die Meldung nennt; --alle zeigt auch die geprüften. Mit --satz setzt amip die Seiten und
    meldet, was ein Setzer korrigieren würde (Seite und Datei:Zeile): Lücken im Text, Überschriften
    am Seitenende, einzelne Zeilen am Seitenfuß oder -kopf, Überstände über den Satzspiegel,
    überlappende Randnotizen, fast leere Seiten. Das PDF wird dabei nicht geschrieben. Mit --final
    prüft amip vor dem Beschluss, ob noch etwas offen ist, und listet alles auf einmal als Fehler.

    \b
    Beispiel:
      amip check content/duesseldorf/2026
      amip check --alle content/duesseldorf/2026
      amip check --satz content/duesseldorf/2018
      amip check --final content/duesseldorf/2027
    """
    from .build import edition_warnings, load_edition, render_chapters, render_html
    from .errors import Collector, ContentError, Problem

    problems = Collector()
    with Progress(quiet=leise) as progress:
        edition = load_edition(ausgabe, progress, problems, final=final)   # --final: open items are errors
        if edition is None:
            problems.raise_if_errors()
        progress("Verweise und Tabellen")
        chapters = render_chapters(edition, problems=problems)  # every reference, table and chart
        if not problems.has_errors:  # the whole document once: an organisation's own templates are checked too
            render_html(edition, "print")
        warnings, reviewed = edition_warnings(edition, chapters)
        if final:   # the abbreviation warnings of this run are open items too
            from .cycle.final import final_problems

            later = final_problems(warnings[len(edition.warnings):])
            if problems.has_errors or later:
                raise ContentError(problems.problems + later)
        if problems.has_errors:  # with the abbreviation warnings of the same run
            raise ContentError(problems.problems + warnings[len(edition.warnings):])
        findings = _layout_findings(edition, progress) if satz else []
    if streng and findings:
        raise ContentError(warnings + [Problem(f.location, f.message, f.hint) for f in findings])
    for warning in warnings + findings:
        click.echo(warning.format(), err=True)
    if alle:
        for done in reviewed:
            click.echo(done.format(), err=True)
    if satz:
        click.echo(f"Satz geprüft: {len(findings)} Befunde.")
    click.echo(f"Keine Fehler in {_shown(ausgabe)} ({len(edition.chapters)} Kapitel, "
               f"{len(edition.figures)} Datendateien, {len(warnings)} Warnungen"
               + (f", {len(reviewed)} geprüft" if reviewed else "") + ").")
    progress.closing()


def _port(ctx, param, value: int) -> int:
    if not 0 <= value <= 65535:
        raise click.BadParameter(f"{value} ist kein Port – erlaubt sind 1 bis 65535 (0 = ein freier Port).")
    return value


@main.command("preview")
@_edition_arg
@click.option("--port", default=8426, type=int, callback=_port, metavar="PORT",
              help="Port der Vorschau auf diesem Rechner (Standard: 8426; 0 wählt einen freien).")
@click.option("--kein-browser", is_flag=True, help="Den Browser nicht öffnen; die Adresse steht im Terminal.")
def preview_command(ausgabe: Path, port: int, kein_browser: bool) -> None:
    """Zeigt eine Ausgabe beim Schreiben im Browser und aktualisiert sie bei jedem Speichern.

    Startet eine Vorschau, die nur auf diesem Rechner erreichbar ist (http://127.0.0.1:PORT/), und
    öffnet sie im Browser. Jedes Speichern einer Kapitel-, Daten- oder Träger-Datei baut die
    Web-Ausgabe neu; die Seite lädt sich selbst neu und bleibt an derselben Stelle. Fehler erscheinen
    mit Datei:Zeile über der Seite, bis sie behoben sind. Das PDF wird im Hintergrund gesetzt und
    ist in der Leiste unten rechts verlinkt. Beenden mit Strg-C.

    \b
    Beispiel:
      amip preview content/duesseldorf/2026
      amip preview --port 0 --kein-browser
    """
    from .preview import run

    run(ausgabe, port, not kein_browser)


@main.command("diff")
@click.argument("ausgaben", nargs=-1, type=click.Path(path_type=Path), metavar="[ALT] [NEU]")
def diff_command(ausgaben: tuple[Path, ...]) -> None:
    """Zeigt, was sich zwischen zwei Ausgaben geändert hat (Änderungsübersicht als PDF und HTML).

    ALT und NEU sind die Ordner zweier Ausgaben desselben Trägers, die ältere zuerst. Mit nur einer
    Ausgabe vergleicht amip sie mit der vorigen Ausgabe des Trägers, ohne Angabe die Standardausgabe
    aus amip-projekt.yaml. Die Übersicht für die Trägerversammlung nennt je Datendatei die neuen,
    entfallenen und umbenannten Zeilen (über ihren Schlüssel verfolgt) und jede geänderte Zahl mit
    alt, neu und Veränderung in %, und je Kapitel den geänderten Text Wort für Wort (eingefügt
    unterstrichen, gestrichen durchgestrichen). Unveränderte Kapitel und Absätze werden nur gezählt.
    Sie landet in build/<träger>/aenderungen-<alt>-<neu>/; schlägt etwas fehl, bleibt die vorherige
    unverändert.

    \b
    Beispiel:
      amip diff content/duesseldorf/2025 content/duesseldorf/2026
      amip diff content/duesseldorf/2026     # gegen die vorige Ausgabe
    """
    from .diff import compare, write_report
    from .diff.marks import predecessor

    if len(ausgaben) > 2:
        raise BuildError(f"Zu viele Angaben ({len(ausgaben)}): amip diff vergleicht zwei Ausgaben, z. B. "
                         "amip diff content/duesseldorf/2025 content/duesseldorf/2026.", exit_code=2)
    if len(ausgaben) == 2:
        alt, neu = ausgaben
    else:
        from .projekt import default_edition

        neu = ausgaben[0] if ausgaben else default_edition()
        if not (neu / "ausgabe.yaml").is_file():
            from .edition import load_edition

            load_edition(neu)   # says in German that there is no edition here
        alt = predecessor(neu, "Nennen Sie beide Ausgaben: amip diff ALT NEU.")
    written = write_report(compare(alt, neu))
    click.echo(f"Änderungsübersicht als PDF ({written.pages} Seiten): {_shown(written.pdf)}")
    click.echo(f"Änderungsübersicht als HTML:        {_shown(written.html)}")
    _fast_exit()


@main.command("publish")
@_edition_arg
@click.option("--signieren", "schluessel", type=click.Path(path_type=Path), envvar="AMIP_SIGNATURSCHLUESSEL",
              metavar="SCHLÜSSEL", help="SSH-Schlüssel, mit dem der Archivindex signiert wird "
              "(auch über AMIP_SIGNATURSCHLUESSEL).")
@_quiet_option
def publish_command(ausgabe: Path, schluessel: Path | None, leise: bool) -> None:
    """Veröffentlicht eine beschlossene Ausgabe im Archiv (archive/<träger>/<jahr>/v<n>/).

    Kopiert die Quellen, baut PDF und Web-Ausgabe aus dieser Kopie und legt beides mit einem
    Manifest (Prüfsummen aller Dateien und des Vorgänger-Manifests) als neue Version ab; der
    Archivindex archive/index.json verzeichnet sie. Eine veröffentlichte Version wird nie verändert:
    eine Korrektur wird die nächste Version. Sind Quellen, Vorlagen und amip-Version unverändert,
    entsteht keine neue Version. Ist das Archiv nicht unversehrt, wird nichts veröffentlicht (Code 4).

    \b
    Beispiel:
      amip publish content/duesseldorf/2026
      amip publish --signieren ~/.ssh/amip-archiv content/duesseldorf/2026
    """
    from .archive import publish

    with Progress(quiet=leise) as progress:
        result = publish(ausgabe, schluessel, progress)
    if result.new:
        click.echo(f"Veröffentlicht als Version {result.version}: {_shown(result.path)}"
                   + (" (Archivindex signiert)" if schluessel else ""))
    else:
        click.echo(f"Unverändert – bereits als Version {result.version} veröffentlicht: {_shown(result.path)}")
    progress.closing()


@main.command("new-edition")
@click.argument("ausgabe", type=click.Path(path_type=Path), metavar="AUSGABE")
@click.argument("jahr", metavar="JAHR")
def new_edition_command(ausgabe: Path, jahr: str) -> None:
    """Legt die Ausgabe des nächsten Jahres aus einer bisherigen Ausgabe an (als Entwurf).

    Kopiert Kapitel und Daten nach content/<träger>/JAHR, setzt die Jahreszahl in Titeln,
    Überschriften und festen Wendungen weiter, stellt die Planwerte auf „offen“, vergleicht mit
    dem Ansatz des Vorjahres und markiert jedes Kapitel „zu überarbeiten“. Jede Änderung wird
    aufgelistet (auch in AENDERUNGEN-NEUES-JAHR.md der neuen Ausgabe), danach folgt, was Sie als
    Nächstes tun müssen. Eine vorhandene Ausgabe wird nie überschrieben; geht etwas schief, bleibt
    kein halber Ordner zurück.

    \b
    Beispiel:
      amip new-edition content/duesseldorf/2026 2027
    """
    from .cycle.checklist import report
    from .cycle.newedition import create

    click.echo(report(create(ausgabe, jahr)))


@main.command("verify")
@click.argument("pfad", type=click.Path(path_type=Path), default=None, required=False, metavar="[PFAD]")
@click.option("--unterzeichner", type=click.Path(path_type=Path), envvar="AMIP_UNTERZEICHNER", metavar="DATEI",
              help="allowed_signers-Datei mit den öffentlichen Schlüsseln, die den Archivindex signieren "
              "dürfen; dann wird auch die Signatur geprüft (auch über AMIP_UNTERZEICHNER).")
@click.option("--neu-bauen", "neu_bauen", is_flag=True,
              help="Baut jede geprüfte Version aus ihren archivierten Quellen neu und vergleicht das PDF Byte für Byte.")
def verify_command(pfad: Path | None, unterzeichner: Path | None, neu_bauen: bool) -> None:
    """Prüft das Archiv: Dateien, Manifeste, Versionskette, Archivindex und Ordnernamen.

    PFAD ist das Archiv oder ein Ordner darin (Träger, Jahr oder Version; Standard: archive/ des Projekts).
    Jede Abweichung wird mit ihrer Version genannt. Endet mit Code 4, wenn eine Datei fehlt,
    hinzugekommen oder verändert ist, eine Version fehlt, vertauscht oder umbenannt wurde, ein
    Manifest nicht zu Kette oder Index passt oder die Signatur nicht stimmt.

    \b
    Beispiel:
      amip verify
      amip verify --unterzeichner erlaubte-unterzeichner archive/duesseldorf/2026
      amip verify --neu-bauen archive/duesseldorf/2026/v2

    Mit --neu-bauen endet der Befehl auch dann mit Code 4, wenn ein neu gebautes PDF vom archivierten
    abweicht, obwohl amip, die Satzpakete und die Standardvorlagen dieselben sind wie bei der
    Veröffentlichung; eine Abweichung mit anderer Software wird nur als Hinweis genannt.
    """
    from .archive import check
    from .archive.publication import EXIT_DAMAGED
    from .projekt import find_root

    if pfad is None:
        root = find_root(Path.cwd())
        pfad = (root / "archive") if root else Path("archive")

    if not pfad.is_dir():
        raise BuildError(f"In {pfad} liegt keine veröffentlichte Ausgabe ({pfad} ist kein Ordner).", exit_code=1)
    report = check(pfad, unterzeichner)
    for line in report.lines(notes=True):
        click.echo(f"Hinweis: {line}", err=True)
    for line in report.lines():
        click.echo(line, err=True)
    if report.findings:
        click.echo(f"{len(report.findings)} Abweichungen ({_entries(report.versions)}) – das Archiv ist nicht unversehrt.",
                   err=True)
        sys.exit(EXIT_DAMAGED)
    if not report.versions:
        raise BuildError(f"In {pfad} liegt keine veröffentlichte Ausgabe.", exit_code=1)
    checked = "Dateien, Manifeste, Versionskette, Archivindex" + (" und seine Signatur" if unterzeichner else "")
    click.echo(f"{_entries(report.versions)} geprüft – {checked}: alles unverändert.")
    if neu_bauen:
        _rebuild_versions(report.root, pfad)


def _rebuild_versions(root: Path, pfad: Path) -> None:
    """verify --neu-bauen: every version below `pfad` built again from its archived sources."""
    from .archive.publication import EXIT_DAMAGED
    from .archive.rebuild import rebuild
    from .archive.verification import VERSION_NAME

    versions = sorted((m.parent for m in Path(pfad).resolve().rglob("manifest.json") if VERSION_NAME.fullmatch(m.parent.name)),
                      key=lambda v: (v.parent.as_posix(), int(v.name[1:])))
    unexplained = 0
    for version in versions:
        shown = version.relative_to(root).as_posix()
        click.echo(f"{shown}: wird aus den archivierten Quellen neu gebaut …", err=True)
        result = rebuild(version)
        if result.identical:
            click.echo(f"{shown}: neu gebaut – das PDF ist Byte für Byte gleich ({result.pages} Seiten).")
        elif result.explained:
            click.echo(f"Hinweis: {shown}: das neu gebaute PDF weicht ab; seit der Veröffentlichung hat sich die "
                       f"Software geändert: {'; '.join(result.changed_inputs)}.", err=True)
        else:
            unexplained += 1
            click.echo(f"{shown}: das neu gebaute PDF weicht vom archivierten ab, obwohl amip, Pakete und Vorlagen "
                       f"dieselben sind (archiviert {result.archived_sha256[:12]}…, neu {result.rebuilt_sha256[:12]}…).",
                       err=True)
    if unexplained:
        click.echo(f"{unexplained} von {len(versions)} Versionen lassen sich nicht byte-gleich neu bauen.", err=True)
        sys.exit(EXIT_DAMAGED)


@main.command("schema")
@click.argument("ziel", type=click.Path(path_type=Path), default=None, required=False, metavar="[ZIEL]")
@click.option("--ohne-vscode", is_flag=True, help="Nur die Schemadateien schreiben, .vscode/settings.json nicht anfassen.")
def schema_command(ziel: Path | None, ohne_vscode: bool) -> None:
    """Schreibt JSON-Schemas für traeger.yaml, ausgabe.yaml, abkuerzungen.yaml und die Datendateien.

    Mit ihnen ergänzt und prüft ein Editor (z. B. VS Code mit der Erweiterung „YAML“ von Red Hat) die
    Dateien schon beim Tippen, mit deutschen Erklärungen. ZIEL ist der Ordner für die Schemas
    (Standard: .amip/schema/ im Projektordner). Im Projekt trägt amip die Schemas außerdem unter
    „yaml.schemas“ in .vscode/settings.json ein; vorhandene Einstellungen bleiben erhalten.

    \b
    Beispiel:
      amip schema
      amip schema --ohne-vscode schemas/
    """
    from .importer.editor import write_schemas
    from .projekt import find_root

    result = write_schemas(ziel, find_root(Path.cwd()), vscode=not ohne_vscode)
    click.echo(f"{len(result.written)} Schemas geschrieben, {len(result.unchanged)} unverändert: {_shown(result.folder)}")
    if result.settings is not None or result.settings_state:
        where = _shown(result.settings) if result.settings else ".vscode/settings.json"
        click.echo(f"VS Code ({where}): {result.settings_state}.")
        if result.settings_state in ("angelegt", "ergänzt"):
            click.echo("Öffnen Sie den Projektordner in VS Code mit der Erweiterung „YAML“ (redhat.vscode-yaml).")


@main.command("import")
@click.argument("ausgabe", type=click.Path(path_type=Path), metavar="AUSGABE")
@click.argument("tabelle", metavar="TABELLE")
@click.argument("datei", type=click.Path(path_type=Path), metavar="DATEI")
@click.option("--blatt", default=None, metavar="NAME", help="Blatt der Excel-Datei (Standard: das erste sichtbare Blatt).")
@click.option("--ja", "ja", is_flag=True, help="Ohne Rückfrage übernehmen.")
def import_command(ausgabe: Path, tabelle: str, datei: Path, blatt: str | None, ja: bool) -> None:
    """Übernimmt Zahlen aus einer Excel- (.xlsx) oder CSV-Datei in eine Datendatei der Ausgabe.

    TABELLE ist der Name der Datendatei unter daten/ (z. B. kennzahlen). Die erste Zeile des Blatts
    enthält die Überschriften: eine Spalte „schluessel“ (oder die Bezeichnung der Zeilen) und Spalten
    mit dem Schlüssel oder der Überschrift einer Wertspalte (z. B. „plan“ oder „Eintritte 2026“).
    amip zeigt jede Änderung (bisher → neu) und fragt nach; erst dann wird die Datei geändert –
    Kommentare, Reihenfolge und Schreibweise aller anderen Zeilen bleiben, wie sie sind.

    \b
    Beispiel:
      amip import content/duesseldorf/2026 kennzahlen planung-2026.xlsx
      amip import content/duesseldorf/2026 kennzahlen planung.xlsx --blatt Eintritte --ja
    """
    from .importer.run import run

    def confirm(text: str) -> bool:   # click.confirm would ask "[y/N]"
        answer = click.prompt(f"{text} [j/N]", default="", show_default=False, prompt_suffix=" ")
        return answer.strip().casefold() in ("j", "ja")

    run(ausgabe, tabelle, datei, blatt, ja, sys.stdin.isatty() and sys.stdout.isatty(), click.echo, confirm,
        lambda text: click.echo(text, err=True))


def _entries(count: int) -> str:
    return "1 Archiveintrag" if count == 1 else f"{count} Archiveinträge"


def _layout_findings(edition, progress) -> list:
    """Lay the print edition out (charts drawn into the cache) and check its pages; nothing is written."""
    from .build import chart_refs, set_pages
    from .errors import Collector
    from .terminal.progress import weasyprint_pages

    problems = Collector()
    charts, _ = chart_refs(edition, problems, edition.root / "build" / ".cache" / "diagramme", progress)
    problems.raise_if_errors()
    with weasyprint_pages(progress):
        _, _, findings, _, _ = set_pages(edition, charts)
    return findings


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _fast_exit() -> None:
    """After the files are closed, skip tearing down WeasyPrint's object graph (measured −12 %)."""
    if os.environ.get("AMIP_NO_FAST_EXIT"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
