"""Turn a working folder or an edition path into its amip project root (the folder with amip-projekt.yaml).

A project holds content/<träger>/<jahr>/, build/ and archive/. Commands find its root by walking up
to the marker file, so amip works from any folder inside a project, installed or not.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError, Collector, ContentError, Location, Problem

MARKER = "amip-projekt.yaml"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds the marker file, or None."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def project_root(edition: Path) -> Path:
    """content/<org>/<year> → its project root: the marker folder, else the folder above content/."""
    edition = Path(edition).resolve()
    root = find_root(edition)
    if root is not None and edition.parent.parent == root / "content":
        return root
    return edition.parents[2]


def default_edition(cwd: Path | None = None) -> Path:
    """The edition `amip build` builds without an argument: `standardausgabe` in the marker file."""
    from .load import load_yaml
    from .model import Projekt, validate

    root = find_root(cwd or Path.cwd())
    if root is None:
        raise BuildError(f"Hier ist kein amip-Projekt ({MARKER} fehlt in diesem Ordner und allen darüber). "
                         "Geben Sie den Ordner einer Ausgabe an, z. B. „amip build content/musterstadt/2027“, "
                         "oder legen Sie mit „amip init“ ein neues Projekt an.", exit_code=1)
    problems = Collector()
    doc = load_yaml(root / MARKER, problems)
    settings = validate(Projekt, doc, problems) if doc is not None else None
    problems.raise_if_errors()
    if settings is None or not settings.standardausgabe:
        raise ContentError([Problem(Location(root / MARKER, 1), "Es ist keine Standardausgabe eingetragen.",
                                    "Schreiben Sie z. B. „standardausgabe: content/musterstadt/2027“ oder geben "
                                    "Sie die Ausgabe beim Aufruf an.")])
    return root / settings.standardausgabe
