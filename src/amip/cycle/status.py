"""Turn an edition's status (entwurf, vorlage, beschlossen) into checks, the draft mark and Beschluss texts."""

from __future__ import annotations

from .. import formatting as fmt
from ..errors import Collector
from ..load import Document

MARKS = {"entwurf": "ENTWURF", "vorlage": "VORLAGE"}
OPEN_STAND = "offen"


def check(ausgabe, doc: Document, problems: Collector) -> None:
    """A decided edition names its Beschluss and its Stand; a draft may leave both open."""
    if ausgabe.status != "beschlossen":
        return
    if ausgabe.beschluss is None:
        problems.error(doc.where(("status",)), "Eine beschlossene Ausgabe braucht das Datum des Beschlusses.",
                       "Ergänzen Sie in ausgabe.yaml z. B. „beschluss: {datum: 10.12.2025, nummer: TV 12/2025}“ "
                       "(die Nummer ist freiwillig) – oder setzen Sie „status: entwurf“, solange nicht beschlossen ist.")
    if ausgabe.stand is None:
        problems.error(doc.where(("stand",)), "Eine beschlossene Ausgabe braucht ein Stand-Datum.",
                       "Tragen Sie „stand: TT.MM.JJJJ“ ein – das Datum, an dem der Text fertig war.")


def is_decided(ausgabe) -> bool:
    return ausgabe.status == "beschlossen"


def mark(ausgabe) -> str:
    """"ENTWURF" or "VORLAGE" on every page of an undecided edition; "" once decided."""
    return MARKS.get(ausgabe.status, "")


def stand_text(ausgabe) -> str:
    """"01.12.2025", or "offen" while a draft has no Stand yet."""
    return fmt.german_date(ausgabe.stand) if ausgabe.stand else OPEN_STAND


def stand_iso(ausgabe) -> str:
    """The date PDF metadata and reproducible timestamps use: the Stand, else 1 January of the year before
    (a fixed date: a draft without Stand still builds byte-identically)."""
    return ausgabe.stand or f"{ausgabe.jahr - 1:04d}-01-01"


def beschluss_text(ausgabe) -> str:
    """"Beschluss der Trägerversammlung vom 10.12.2025 (Nr. TV 12/2025)", or "" without a Beschluss."""
    b = ausgabe.beschluss
    if b is None or not is_decided(ausgabe):
        return ""
    return f"Beschluss der Trägerversammlung vom {fmt.german_date(b.datum)}" + (f" (Nr. {b.nummer})" if b.nummer else "")


def metadata(ausgabe) -> dict[str, str]:
    """Custom PDF info entries (WeasyPrint writes <meta name=… content=…> as /Name with custom_metadata)."""
    out = {"Status": ausgabe.status}
    b = ausgabe.beschluss
    if b is not None and is_decided(ausgabe):
        out["Beschlussdatum"] = fmt.german_date(b.datum)
        if b.nummer:
            out["Beschlussnummer"] = b.nummer
    return out
