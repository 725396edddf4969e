"""Turn a year in a sentence into a verdict: history (left alone) or possibly stale text from an old edition.

A year older than the edition's previous year is worth a look when the text may have been copied
from an old programme ("2016 werden wir …"). It is plain history when the sentence says so:
- a marker before it: seit, zwischen, von, bis, aus, gegenüber, Ergebnis, Ist …
  ("seit 2005", "Ergebnis 2024: 1.080", "seit dem 1. August 2016"); "im Jahr 2015" too, unless the
  sentence speaks of the future ("im Jahr 2016 werden wir …" is stale);
- a range: "2019 bis 2021", "2013–2015", "2016/17";
- a comparison value: "(2016: 49,9 %)";
- a participle right after it: "die 2016 neu geordnete Struktur", "der 2014 beschlossenen Strategie";
- a verb in the past in the same sentence: war, wurden, stieg …, or a perfect ("hat … gestaltet",
  "ist … weggefallen") in a sentence that does not speak of the future ("sind … geplant").
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"\b(seit|zwischen|von|vom|bis|aus|gegenüber|gegenueber|ergebnis(?:se)?|ist-?werte?|"
                     r"hochrechnung|stand|gründung|gegründet|eingeführt|einführung)\b(?:\s+\S+){0,3}\s+$",
                     re.IGNORECASE)
_YEAR_WORD = re.compile(r"\b(jahre?|jahren|jahres)\s+$", re.IGNORECASE)   # "im Jahr 2015" – unless about the future
_FUTURE = re.compile(r"\b(wird|werden|soll|sollen|geplant|plant|planen|vorgesehen)\b", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"^\s*(?:bis|und|–|-|/)\s*(?:\d{2}|\d{4})\b")
_RANGE_BEFORE = re.compile(r"\b\d{4}\s*(?:bis|und|–|-|/)\s*$")
_COMPARISON = re.compile(r"^\s*:\s*[\d.,]+")
_PARTICIPLE_AFTER = re.compile(r"^\s+(?:neu\s+|erst\s+|bereits\s+)?\w*(?:ge|be|er|ver|ent)\w+(?:t|en)(?:e|en|er|es|em)\b")
_PAST = re.compile(r"\b(war|waren|wurde|wurden|hatte|hatten|gab|lag|lagen|stand|standen|stieg|stiegen|sank|sanken|wuchs|"
                   r"wuchsen|ging|gingen|begann|begannen|kam|kamen|entwickelte|entwickelten|führte|führten|"
                   r"startete|starteten|endete|endeten)\b", re.IGNORECASE)
_AUXILIARY = re.compile(r"\b(hat|haben|ist|sind)\b", re.IGNORECASE)
_PARTICIPLE = re.compile(r"\b\w*ge\w{2,}(?:t|en)\b|\b(?:be|er|ver|ent)\w{3,}t\b|\bbegonnen\b|\bbeschlossen\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„(\-])|(?<=;)\s+")


def sentence_around(line: str, start: int) -> str:
    """The sentence of `line` that holds position `start`."""
    position = 0
    for sentence in _SENTENCE.split(line):
        found = line.find(sentence, position)
        if found <= start < found + len(sentence):
            return sentence
        position = found + len(sentence)
    return line


def historical(line: str, start: int, end: int) -> bool:
    """Is the year at line[start:end] clearly about the past?"""
    before, after = line[:start], line[end:]
    clause = re.split(r"[,;:()–]", before)[-1]
    if _MARKER.search(clause + " "):
        return True
    sentence = sentence_around(line, start)
    if _YEAR_WORD.search(clause + " ") and not _FUTURE.search(sentence):
        return True
    if _RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before):
        return True
    if _COMPARISON.match(after) and before.rstrip().endswith("("):
        return True
    if _PARTICIPLE_AFTER.match(after):
        return True
    # a perfect tells of the past – "sind … geplant" of the future does not
    perfect = _AUXILIARY.search(sentence) and _PARTICIPLE.search(sentence) and not _FUTURE.search(sentence)
    return bool(_PAST.search(sentence) or perfect)
