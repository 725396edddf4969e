"""Turn command lines into builds and checks (German help; heavy imports only inside commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import BuildError

DEFAULT_EDITION = Path("content/duesseldorf/2026")


class _Group(click.Group):
    """Author mistakes are ContentErrors with file:line; anything else is a bug in amip. Authors
    get a German sentence instead of a traceback, and the details go to a log file to report."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except Exception:  # noqa: BLE001 – last line of defence, details are logged
            import traceback

            log = Path("build") / "amip-fehler.log"
            try:
                log.parent.mkdir(exist_ok=True)
                log.write_text(traceback.format_exc(), encoding="utf-8")
                where = f" Einzelheiten stehen in {log}."
            except OSError:
                where = ""
            raise BuildError(f"Interner Fehler in amip – das liegt nicht an Ihrem Text.{where} "
                             "Bitte melden Sie ihn dem amip-Team.", exit_code=1) from None


def _edition_arg(func):
    # no click.Path checks: their messages are English; load_edition says it in German
    return click.argument("ausgabe", type=click.Path(path_type=Path), default=DEFAULT_EDITION,
                          required=False, metavar="[AUSGABE]")(func)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--hilfe", "--help"]})
@click.version_option(package_name="amip", message="amip %(version)s")
def main() -> None:
    """amip – Arbeitsmarkt- und Integrationsprogramm aus YAML und Markdown als PDF und Web-Ausgabe.

    \b
    Beispiel:
      amip check                         # Standardausgabe prüfen
      amip build content/duesseldorf/2018
    """


@main.command("build")
@_edition_arg
def build_command(ausgabe: Path) -> None:
    """Baut PDF und Web-Ausgabe einer Ausgabe.

    AUSGABE ist der Ordner der Ausgabe (Standard: content/duesseldorf/2026). Die Dateien landen in
    build/<träger>/<jahr>/. Schlägt der Build fehl, bleiben die vorherigen Dateien unverändert.

    \b
    Beispiel:
      amip build content/duesseldorf/2026
    """
    from .build import build

    result = build(ausgabe)
    if result.warnings:
        click.echo(f"{result.warnings} Warnungen – „amip check {_shown(ausgabe)}“ zeigt sie.", err=True)
    click.echo(f"PDF ({result.pages} Seiten): {_shown(result.pdf)}")
    click.echo(f"Web-Ausgabe:      {_shown(result.web)}")
    _fast_exit()


@main.command("check")
@_edition_arg
def check_command(ausgabe: Path) -> None:
    """Prüft eine Ausgabe: lädt, validiert und rechnet, ohne etwas zu schreiben.

    Listet alle gefundenen Probleme mit Datei:Zeile:Spalte auf und endet mit Code 1, wenn es
    Fehler gibt.

    \b
    Beispiel:
      amip check content/duesseldorf/2026
    """
    from .build import load_edition, main_text, render_chapters
    from .errors import Collector
    from .lint import check_abbreviations

    edition = load_edition(ausgabe)
    chapters = render_chapters(edition)  # resolves every reference, table and chart
    problems = Collector()
    check_abbreviations(edition, main_text(chapters), problems)
    warnings = edition.warnings + problems.warnings
    for warning in warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"Keine Fehler in {_shown(ausgabe)} ({len(edition.chapters)} Kapitel, "
               f"{len(edition.figures)} Datendateien, {len(warnings)} Warnungen).")


@main.command("publish")
@_edition_arg
@click.option("--signieren", "schluessel", type=click.Path(path_type=Path), envvar="AMIP_SIGNATURSCHLUESSEL",
              metavar="SCHLÜSSEL", help="SSH-Schlüssel, mit dem der Archivindex signiert wird "
              "(auch über AMIP_SIGNATURSCHLUESSEL).")
def publish_command(ausgabe: Path, schluessel: Path | None) -> None:
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

    result = publish(ausgabe, schluessel)
    if result.new:
        click.echo(f"Veröffentlicht als Version {result.version}: {_shown(result.path)}"
                   + (" (Archivindex signiert)" if schluessel else ""))
    else:
        click.echo(f"Unverändert – bereits als Version {result.version} veröffentlicht: {_shown(result.path)}")


@main.command("verify")
@click.argument("pfad", type=click.Path(path_type=Path), default=Path("archive"), required=False, metavar="[PFAD]")
@click.option("--unterzeichner", type=click.Path(path_type=Path), envvar="AMIP_UNTERZEICHNER", metavar="DATEI",
              help="allowed_signers-Datei mit den öffentlichen Schlüsseln, die den Archivindex signieren "
              "dürfen; dann wird auch die Signatur geprüft (auch über AMIP_UNTERZEICHNER).")
def verify_command(pfad: Path, unterzeichner: Path | None) -> None:
    """Prüft das Archiv: Dateien, Manifeste, Versionskette, Archivindex und Ordnernamen.

    PFAD ist das Archiv oder ein Ordner darin (Träger, Jahr oder Version; Standard: archive).
    Jede Abweichung wird mit ihrer Version genannt. Endet mit Code 4, wenn eine Datei fehlt,
    hinzugekommen oder verändert ist, eine Version fehlt, vertauscht oder umbenannt wurde, ein
    Manifest nicht zu Kette oder Index passt oder die Signatur nicht stimmt.

    \b
    Beispiel:
      amip verify
      amip verify --unterzeichner erlaubte-unterzeichner archive/duesseldorf/2026
    """
    from .archive import check
    from .archive.publication import EXIT_DAMAGED

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


def _entries(count: int) -> str:
    return "1 Archiveintrag" if count == 1 else f"{count} Archiveinträge"


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
