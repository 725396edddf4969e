"""Turn a live edition into a frozen copy of everything it is built from, and fingerprint that input set.

A publish builds from this copy, never from the live folder, so an edit made while the PDF is
being set cannot make the archived sources and the archived PDF disagree. The fingerprint covers
the sources, the templates (stylesheets, fonts, hyphenation list) and the versions of amip and of
every package that shapes the output: if any of them changed, the edition is published anew.
"""

from __future__ import annotations

import shutil
from importlib.metadata import PackageNotFoundError, version as package_version
from pathlib import Path

from .bag import files_below, tree_digest

# Packages whose version can change the published HTML or PDF (pinned in pyproject.toml).
RENDERING_PACKAGES = ("weasyprint", "pydyf", "fonttools", "pyphen", "matplotlib", "jinja2",
                      "markdown-it-py", "mdit-py-plugins")


def take(edition, root: Path) -> Path:
    """Copy the edition into root/content/<träger>/<jahr>/ with what it needs from the organisation
    folder (traeger.yaml, register, images, every other file outside the other editions); → the copy."""
    year = edition.folder.resolve()
    org = year.parent
    target = root / "content" / org.name
    target.mkdir(parents=True)
    shutil.copytree(year, target / year.name)
    for item in sorted(org.iterdir()):
        if item == year or item.name.startswith(".") or (item.is_dir() and (item / "ausgabe.yaml").is_file()):
            continue  # other editions are not part of this one
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)
    for path in referenced(edition):
        resolved = path.resolve()
        if org not in resolved.parents:
            continue  # the loader refuses inputs outside the organisation folder
        copy = target / resolved.relative_to(org)
        if not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(resolved, copy)
    return target / year.name


def referenced(edition) -> list[Path]:
    """Files an edition reads by explicit path, which may lie in another edition's folder (files outside
    the organisation folder, like amip's default theme, are not sources and are left out by `take`)."""
    from ..compute import ImageFigures

    paths = [figure.path for figure in edition.figures.values() if isinstance(figure, ImageFigures)]
    paths += list(edition.theme.files)      # logo, title picture, font files of the organisation's theme
    register = edition.ausgabe.abkuerzungsverzeichnis.register_datei
    if register:
        paths.append(edition.folder / register)
    theme = edition.theme  # logo, cover picture and font files may be named from another edition's folder
    paths += [path for path in (theme.design.logo, theme.design.titelbild) if path]
    paths += [path for _, _, path in (theme.font.faces if theme.font else ())]
    from ..series.sources import earlier_data

    paths += earlier_data(edition)          # basis columns and the series chart read earlier editions' data
    return paths


def template_root() -> Path:
    """The default theme (templates, stylesheets, fonts, hyphenation list) – the one place this module
    names it; an organisation's own theme/ folder is part of the sources."""
    from ..theme.folder import default_templates

    return default_templates()


def inputs() -> dict:
    """Everything besides the sources that shapes a build: amip, the rendering packages, the default theme."""
    templates = {name: digest for name, digest in files_below(template_root()).items()
                 if "__pycache__" not in name.split("/")}
    return {"amip": _version("amip"), "pakete": {name: _version(name) for name in RENDERING_PACKAGES},
            "vorlagen": templates}


def fingerprint(sources_digest: str, others: dict) -> str:
    """One SHA-256 over the complete input set; equal fingerprints mean the same edition."""
    return tree_digest({"quellen": sources_digest, "eingaben": others})


def _version(name: str) -> str:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return "fehlt"
