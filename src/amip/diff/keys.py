"""Turn a table row (its `schluessel` or its label) into the key that follows it from edition to edition.

Design decision D1: a row's stable key is its `schluessel`; without one it is the label, normalised
(case, umlauts, punctuation, soft hyphens and spacing do not count). This is the only place amip diff
decides what "the same row" means, so it can follow the series' key function once that exists.
"""

from __future__ import annotations

from ..tables.columns import slug

SOFT_HYPHENS = ("\u00ad", "&shy;")


def plain(text: str) -> str:
    """A label as a reader sees it: soft hyphens dropped, runs of spaces (also no-break) as one."""
    for mark in SOFT_HYPHENS:
        text = text.replace(mark, "")
    return " ".join(text.replace("\u00a0", " ").split())


def row_key(schluessel: str | None, label: str) -> str:
    """`schluessel` when the author gave one, else the normalised label ("Einstiegsgeld (ESG)" → "einstiegsgeld-esg")."""
    if schluessel:
        return schluessel
    return slug(plain(label)) or plain(label)
