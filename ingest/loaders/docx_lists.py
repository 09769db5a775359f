"""The bullet or number Word shows before a list paragraph.

python-docx gives a list item's text without its marker, so "1. Zugang beantragen" and
"• MFA aktiv" would reach the index as bare lines: the chunker could not see list items
and an answer could not say "Schritt 3". Word keeps the marker in the numbering part: a
paragraph (or its style) names a list (``numId``) and a level (``ilvl``); the list's
abstract definition gives each level a format (bullet, decimal, letter, roman) and a start.
"""

from __future__ import annotations

from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_STYLE_DEPTH = 10  # styles inherit from styles; a loop must not hang the loader


def _roman(n: int) -> str:
    out = ""
    for value, digits in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS = {
    "decimal": lambda n: f"{n}.",
    "decimalZero": lambda n: f"{n:02d}.",
    "lowerLetter": lambda n: f"{_letters(n)})",
    "upperLetter": lambda n: f"{_letters(n).upper()}.",
    "lowerRoman": lambda n: f"{_roman(n)}.",
    "upperRoman": lambda n: f"{_roman(n).upper()}.",
}


def _val(element: Any, child: str) -> str | None:
    found = element.find(_W + child) if element is not None else None
    return None if found is None else found.get(_W + "val")


class ListMarkers:
    """Markers for the list paragraphs of one document, counted in reading order."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[str, int]]] = {}  # numId -> ilvl -> fmt, start
        self._counts: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {
            a.get(_W + "abstractNumId"): {
                int(lvl.get(_W + "ilvl", "0")): (
                    _val(lvl, "numFmt") or "decimal",
                    int(_val(lvl, "start") or "1"),
                )
                for lvl in a.findall(_W + "lvl")
                if (lvl.get(_W + "ilvl") or "0").isdigit() and (_val(lvl, "start") or "1").isdigit()
            }
            for a in numbering.findall(_W + "abstractNum")
        }
        for num in numbering.findall(_W + "num"):
            levels = abstract.get(_val(num, "abstractNumId"))
            if levels is not None:
                self._levels[num.get(_W + "numId") or ""] = levels

    def marker(self, para: Any) -> str:
        """ "1. ", "a) ", "• " or "" (no list paragraph, or a list without a definition)."""
        num_id, level = _numbering(para)
        levels = self._levels.get(num_id or "")
        if not levels or num_id == "0":
            return ""
        fmt, start = levels.get(level, ("decimal", 1))
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return "• "
        counts = self._counts.setdefault(num_id or "", {})
        for deeper in [lv for lv in counts if lv > level]:
            del counts[deeper]  # a new item of a higher level restarts the levels below it
        counts[level] = counts.get(level, start - 1) + 1
        return _FORMATS.get(fmt, _FORMATS["decimal"])(counts[level]) + " "


def _numbering(para: Any) -> tuple[str | None, int]:
    """(numId, ilvl) of the paragraph, from its own properties or its style's."""
    found = _num_pr(para._p.pPr)
    style = para.style
    for _ in range(_MAX_STYLE_DEPTH):
        if found is not None or style is None:
            break
        found = _num_pr(style.element.pPr)
        style = style.base_style
    return found if found is not None else (None, 0)


def _num_pr(props: Any) -> tuple[str, int] | None:
    """(numId, ilvl) of one paragraph-properties element, or None without numbering."""
    num = props.numPr if props is not None else None
    if num is None or num.numId is None:
        return None
    return str(num.numId.val), int(num.ilvl.val if num.ilvl is not None else 0)
