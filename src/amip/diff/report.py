"""Turn two edition folders into the Änderungsübersicht: summary, table changes and the chapters' redline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import formatting as fmt
from ..edition import Edition, load_edition
from ..errors import BuildError
from .redline import ChapterChange, compare_chapters, side
from .tables import TableChange, compare_figures

STATUS = {"entwurf": "Entwurf", "vorlage": "Vorlage", "beschlossen": "beschlossen"}


@dataclass(frozen=True)
class EditionInfo:
    folder: str
    title: str
    year: int
    status: str
    stand: str
    beschluss: str


@dataclass(frozen=True)
class Report:
    organisation: str
    slug: str
    root: Path                     # the project of the new edition: the report goes to its build/
    colour: str                    # the organisation's house colour
    epoch: int                     # the new edition's Stand (start of its year in a draft without one)
    old: EditionInfo
    new: EditionInfo
    chapters: list[ChapterChange]
    tables: list[TableChange]

    def chapters_with(self, status: str) -> int:
        return sum(1 for c in self.chapters if c.status == status)

    @property
    def moved(self) -> int:
        return sum(1 for c in self.chapters if c.moved)

    @property
    def renamed(self) -> int:
        return sum(1 for c in self.chapters if c.renamed)

    def paragraphs_with(self, status: str) -> int:
        """Paragraphs changed, inserted or deleted – in whole new and dropped chapters too."""
        total = 0
        for c in self.chapters:
            if c.status == "neu" and status == "neu":
                total += len(c.new.paragraphs)
            elif c.status == "entfallen" and status == "entfallen":
                total += len(c.old.paragraphs)
            elif c.status not in ("neu", "entfallen"):
                total += c.count(status)
        return total

    def tables_with(self, status: str) -> int:
        return sum(1 for t in self.tables if t.status == status)

    def rows_with(self, status: str) -> int:
        """Table rows changed, new, dropped or renamed in data files both editions have."""
        return sum(t.count(status) for t in self.tables if t.status == "geaendert")

    def rows_listed(self, status: str) -> list:
        """Rows (not sums or groups) new, dropped or renamed in data files both editions have, for "Auf einen Blick"."""
        return [r for t in self.tables if t.status == "geaendert" for r in t.rows
                if r.kind not in ("summe", "gruppe", "zwischensumme", "gruppentitel")
                and (r.status == status or (status == "umbenannt" and r.old_label))]

    @property
    def unchanged(self) -> bool:
        return not any(c.status != "unveraendert" for c in self.chapters) and \
            not any(t.status != "unveraendert" for t in self.tables)


def compare(old_folder: Path, new_folder: Path) -> Report:
    """Load both editions (each fully checked, as for a build) and compare them."""
    check_arguments(Path(old_folder), Path(new_folder))
    old, new = load_edition(old_folder), load_edition(new_folder)
    if old.organisation_slug != new.organisation_slug:
        raise BuildError(f"Die beiden Ausgaben gehören zu verschiedenen Trägern ({old.organisation_slug} und "
                         f"{new.organisation_slug}). Eine Änderungsübersicht vergleicht zwei Ausgaben desselben Trägers, "
                         f"z. B. amip diff content/{new.organisation_slug}/{new.ausgabe.jahr - 1} "
                         f"content/{new.organisation_slug}/{new.ausgabe.jahr}.", exit_code=2)
    if old.ausgabe.jahr > new.ausgabe.jahr:
        raise BuildError(f"Die ältere Ausgabe steht zuerst: amip diff {old_folder} {new_folder} vergleicht "
                         f"{old.ausgabe.jahr} mit dem früheren Jahr {new.ausgabe.jahr}. Vertauschen Sie die beiden "
                         f"Angaben: amip diff {new_folder} {old_folder}.", exit_code=2)
    chapters = compare_chapters([(c, side(c, old.values, old.headings)) for c in old.chapters],
                                [(c, side(c, new.values, new.headings)) for c in new.chapters])
    return Report(new.traeger.name, new.organisation_slug, new.root, new.traeger.theme.farbe, _epoch(new), info(old), info(new), chapters,
                  compare_figures(old.figures, new.figures))


def check_arguments(old: Path, new: Path) -> None:
    """The same folder twice compares nothing: a wrong call (exit 2), said before anything is loaded."""
    if old.exists() and new.exists() and old.resolve() == new.resolve():
        raise BuildError(f"Zweimal dieselbe Ausgabe ({old}): Geben Sie die alte und die neue Ausgabe an, "
                         "z. B. amip diff content/duesseldorf/2025 content/duesseldorf/2026.", exit_code=2)


def info(edition: Edition) -> EditionInfo:
    a = edition.ausgabe
    beschluss = getattr(a, "beschluss", None)
    decided = ""
    if beschluss is not None:
        datum = getattr(beschluss, "datum", "")
        decided = fmt.german_date(datum) if isinstance(datum, str) and datum.count("-") == 2 else str(datum or "")
        if getattr(beschluss, "nummer", None):
            decided += f" (Nr. {beschluss.nummer})"
    stand = fmt.german_date(a.stand) if a.stand else ""
    return EditionInfo(str(edition.folder), a.titel, a.jahr, STATUS.get(a.status, a.status), stand, decided)


def _epoch(edition: Edition) -> int:
    """PDF timestamps from the sources, so the same editions give the same bytes."""
    import calendar
    import time

    stand = edition.ausgabe.stand or f"{edition.ausgabe.jahr}-01-01"
    return calendar.timegm(time.strptime(stand, "%Y-%m-%d"))
