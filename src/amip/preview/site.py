"""Turn an edition's sources into the preview's web edition on disk, or into the problems that stop it."""

from __future__ import annotations

import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, Collector, ContentError, Problem

PREVIEW = "vorschau"  # build/vorschau/<träger>/<jahr>/: never the published build output


def preview_dir(folder: Path) -> Path:
    """build/vorschau/<träger>/<jahr>/ of the project the edition belongs to."""
    from ..projekt import project_root

    folder = Path(folder).resolve()
    return project_root(folder) / "build" / PREVIEW / folder.parent.name / folder.name


@dataclass(frozen=True)
class Outcome:
    """One rebuild: the problems of the newest sources (none = the page is current) and what it cost."""

    problems: tuple[Problem, ...] = ()
    message: str = ""          # a problem without a place (BuildError, internal error)
    seconds: float = 0.0
    changed: bool = True       # False: same HTML and same problems as before, no reload needed
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message


@dataclass
class Site:
    """The web edition of the newest sources that built without errors, in a generation folder.

    Every rebuild whose charts, theme and pictures are unchanged only replaces index.html (atomically);
    otherwise a new generation folder web-<n> is written and switched to, so a request never sees a
    half-written asset folder. The previous generation is kept for requests still in flight.
    """

    folder: Path
    out: Path = field(init=False)
    web: Path | None = field(default=None, init=False)        # the generation being served
    pdf_name: str = field(default="", init=False)
    html: str = field(default="", init=False)
    last: Outcome = field(default_factory=Outcome, init=False)
    _assets: tuple = field(default=(), init=False)
    _generation: int = field(default=0, init=False)
    _epoch: int = field(default=0, init=False)
    _tables_of: str = field(default="", init=False)            # the HTML whose tables web/daten/ holds
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.out = preview_dir(self.folder)

    def clean(self) -> None:
        """Generation folders of an earlier preview (called under the preview's lock)."""
        for old in self.out.glob("web-*"):
            shutil.rmtree(old, ignore_errors=True)

    def rebuild(self) -> Outcome:
        """Load, compute and render the web edition; on problems the last good page stays served."""
        from .. import build, hyphenation

        start = time.perf_counter()
        try:
            edition = build.load_edition(self.folder)
            problems = Collector()
            charts, _ = build.chart_refs(edition, problems, edition.root / "build" / ".cache" / "diagramme")
            problems.raise_if_errors()
            # as `amip build` writes it: soft hyphens in long words from the print edition's patterns
            patterns = build.hyphenation_patterns(edition, build.render_html(edition, "print", charts))
            html = hyphenation.soft_hyphens(build.render_html(edition, "web", charts), patterns)
        except ContentError as exc:  # its warnings stay for `amip check`: the overlay is for what stops the build
            errors = tuple(p for p in exc.problems if p.level == "fehler") or tuple(exc.problems)
            return self._settle(Outcome(errors, seconds=time.perf_counter() - start))
        except BuildError as exc:
            return self._settle(Outcome(message=exc.message, seconds=time.perf_counter() - start))
        except Exception as exc:  # noqa: BLE001 – a bug in amip must not end the author's preview
            from ..errors import environment_problem

            environment = environment_problem(exc)
            message = environment.message if environment is not None else self._internal(exc)
            return self._settle(Outcome(message=message, seconds=time.perf_counter() - start))
        self.pdf_name, self._epoch = build.pdf_name(edition), build._epoch(edition)
        # the theme's fingerprint covers its CSS, fonts, logo and title picture; chart names are content hashes
        assets = (edition.theme.fingerprint, tuple(sorted(ref.web_key or ref.key for ref in charts.values())))
        warnings = tuple(edition.warnings)
        new_page = html != self.html or assets != self._assets or self.web is None
        if new_page:
            self._publish(html, charts, edition, assets)
        changed = new_page or not self.last.ok or warnings != self.last.warnings
        return self._settle(Outcome(seconds=time.perf_counter() - start, changed=changed, warnings=warnings))

    def _settle(self, outcome: Outcome) -> Outcome:
        if not outcome.ok:
            same = (outcome.problems, outcome.message) == (self.last.problems, self.last.message)
            outcome = Outcome(outcome.problems, outcome.message, outcome.seconds, changed=not same,
                              warnings=self.last.warnings)
        self.last = outcome
        return outcome

    def data_folder(self) -> Path | None:
        """web/daten/ (every table as CSV, all tables as XLSX) of the page being served, written on the
        first request after a change: most saves never need them, and the workbook costs a tenth of a second."""
        from ..record import tables

        with self._lock:
            if self.web is None:
                return None
            folder = self.web / tables.FOLDER
            if self._tables_of != self.html:
                shutil.rmtree(folder, ignore_errors=True)
                tables.write(folder, self.html, self._epoch)
                self._tables_of = self.html
            return folder

    def _publish(self, html: str, charts: dict, edition, assets: tuple) -> None:
        with self._lock:
            self._switch(html, charts, edition, assets)

    def _switch(self, html: str, charts: dict, edition, assets: tuple) -> None:
        from .. import build

        if self.web is not None and assets == self._assets:
            build.atomic_write(self.web / "index.html", html.encode("utf-8"))
        else:
            self._generation += 1
            target = self.out / f"web-{self._generation}"
            shutil.rmtree(target, ignore_errors=True)
            build._write_web(target, html, charts, edition.theme)
            previous, self.web, self._assets = self.web, target, assets
            for old in self.out.glob("web-*"):  # keep the one a request may still be reading from
                if old not in (target, previous):
                    shutil.rmtree(old, ignore_errors=True)
        self.html = html

    def _internal(self, exc: Exception) -> str:
        log = self.out.parent.parent.parent / "amip-fehler.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f" Einzelheiten stehen in {log}."
        except OSError:
            where = ""
        return f"Interner Fehler in amip ({type(exc).__name__}) – das liegt nicht an Ihrem Text.{where}"

