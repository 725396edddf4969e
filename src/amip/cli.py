"""Turn command lines into builds and checks (German help; heavy imports only inside commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import BuildError



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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--hilfe", "--help"]})
@click.version_option(package_name="amip", message="amip %(version)s")
def main() -> None:
    """amip – Arbeitsmarkt- und Integrationsprogramm aus YAML und Markdown als PDF und Web-Ausgabe.

    \b
    Beispiel:
      amip init mein-amip                # neues Projekt anlegen
      amip check                         # Standardausgabe prüfen
      amip build content/duesseldorf/2018
    """


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
def build_command(ausgabe: Path) -> None:
    """Baut PDF und Web-Ausgabe einer Ausgabe.

    AUSGABE ist der Ordner der Ausgabe (Standard: die „standardausgabe“ aus amip-projekt.yaml).
    Die Dateien landen in build/<träger>/<jahr>/ des Projekts. Schlägt der Build fehl, bleiben
    die vorherigen Dateien unverändert.

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
    from .build import load_edition, main_text, render_chapters, render_html
    from .errors import Collector
    from .lint import check_abbreviations

    edition = load_edition(ausgabe)
    chapters = render_chapters(edition)  # resolves every reference, table and chart
    render_html(edition, "print")  # the whole document once: an organisation's own templates are checked too
    problems = Collector()
    check_abbreviations(edition, main_text(chapters), problems)
    warnings = edition.warnings + problems.warnings
    for warning in warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"Keine Fehler in {_shown(ausgabe)} ({len(edition.chapters)} Kapitel, "
               f"{len(edition.figures)} Datendateien, {len(warnings)} Warnungen).")


@main.command("publish")
@_edition_arg
def publish_command(ausgabe: Path) -> None:
    """Veröffentlicht eine beschlossene Ausgabe im Archiv (archive/<träger>/<jahr>/v<n>/).

    Baut PDF und Web-Ausgabe neu und legt sie mit den Quellen und einem Manifest mit Prüfsummen
    als neue Version ab. Eine veröffentlichte Version wird nie verändert: eine Korrektur wird als
    nächste Version veröffentlicht. Sind die Quellen unverändert, entsteht keine neue Version.

    \b
    Beispiel:
      amip publish content/duesseldorf/2026
    """
    from .archive import publish

    result = publish(ausgabe)
    if result.new:
        click.echo(f"Veröffentlicht als Version {result.version}: {_shown(result.path)}")
    else:
        click.echo(f"Unverändert – bereits als Version {result.version} veröffentlicht: {_shown(result.path)}")


@main.command("verify")
@click.argument("pfad", type=click.Path(path_type=Path), default=None, required=False, metavar="[PFAD]")
def verify_command(pfad: Path | None) -> None:
    """Prüft veröffentlichte Ausgaben gegen ihre Manifeste (Prüfsummen aller Dateien).

    PFAD ist ein Archiveintrag oder ein Ordner darüber (Standard: archive/ des Projekts). Endet mit Code 1,
    wenn eine Datei fehlt, hinzugekommen oder verändert ist.

    \b
    Beispiel:
      amip verify archive/duesseldorf/2026/v1
    """
    from .archive import entries, verify
    from .projekt import find_root

    if pfad is None:
        root = find_root(Path.cwd())
        pfad = (root / "archive") if root else Path("archive")
    found = entries(pfad) if pfad.is_dir() else []
    if not found:
        raise BuildError(f"In {pfad} liegt keine veröffentlichte Ausgabe (manifest.json fehlt).", exit_code=1)
    problems = [problem for entry in found for problem in verify(entry)]
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise BuildError(f"{len(problems)} Abweichungen in {len(found)} Archiveinträgen.", exit_code=1)
    click.echo(f"{len(found)} Archiveinträge geprüft – alle Dateien unverändert.")


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
