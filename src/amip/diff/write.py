"""Turn an Änderungsübersicht into its HTML and PDF, switched into build/<träger>/aenderungen-<alt>-<neu>/ at once."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import output, pdf, render
from .report import Report

STYLESHEET = "aenderungen.css"


@dataclass(frozen=True)
class Written:
    folder: Path
    pdf: Path
    html: Path
    pages: int


def output_folder(report: Report) -> Path:
    return report.root / "build" / report.slug / f"aenderungen-{report.old.year}-{report.new.year}"


def file_stem(report: Report) -> str:
    return f"aenderungen-{report.slug}-{report.old.year}-{report.new.year}"


def render_report(report: Report, target: str) -> str:
    """The report as HTML; print: the stylesheet beside the template, web: in assets/ of the output."""
    stylesheet = STYLESHEET if target == "print" else f"assets/{STYLESHEET}"
    return render.env().get_template("aenderungen.html.j2").render(r=report, target=target, stylesheet=stylesheet)


def write_report(report: Report, out: Path | None = None) -> Written:
    """Lay the PDF out first; only a complete PDF and HTML replace the previous report (output.staged)."""
    out = out or output_folder(report)
    templates = render.TEMPLATES
    lay = pdf.layout(render_report(report, "print"), templates.as_uri() + "/", [templates], report.epoch)
    data = pdf.write(lay, f"Änderungsübersicht {report.new.year} gegenüber {report.old.year} – {report.organisation}")
    web = render_report(report, "web")
    stem = file_stem(report)
    with output.locked(out), output.staged(out) as stage:
        output.atomic_write(stage / f"{stem}.pdf", data)
        output.atomic_write(stage / f"{stem}.html", web.encode("utf-8"))
        assets = stage / "assets"
        (assets / "fonts").mkdir(parents=True)
        for name in (STYLESHEET, "aenderungen-web.css", "fonts.css"):
            shutil.copyfile(templates / name, assets / name)
        for font in sorted((templates / "fonts").iterdir()):
            shutil.copyfile(font, assets / "fonts" / font.name)
    return Written(out, out / f"{stem}.pdf", out / f"{stem}.html", len(lay.document.pages))
