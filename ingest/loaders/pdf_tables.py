"""Tables on a PDF page, read as rows of cells instead of runs of words.

pypdf's plain text puts a table row on one line with its cells run together ("Intern Nur
mit AVV 90 Tage"), and the wrapped-line joining then glues all rows into one paragraph.
Its layout mode keeps the columns apart by runs of spaces, so a table shows as lines
whose cells start at the same character columns. Such a block (at least three columns,
or two with a short first column, and at least three rows) is rendered as a Markdown
table (``ingest.sentences.markdown_table``), the form DOCX and HTML tables take, so an
answer quotes a row as "Datenklasse: Intern · Aufbewahrung: 90 Tage".

The plain text stays the page's text; only the lines that hold exactly the table's words
are replaced. When the words do not match (a layout the two modes read differently), the
page is left as it was: a missed table costs less than a mangled page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.sentences import markdown_table

RUN = re.compile(r"\S+(?: {1,3}\S+)*")  # justified prose stretches gaps to 2-3 spaces, not 4
_NARROW_RUN = re.compile(r"\S+(?: \S+)*")  # words apart by single spaces
ALIGN = 2  # a cell may start this many characters off its column
MIN_ROWS = 3  # the header and two rows
SHORT_FIRST_COLUMN = 30  # a two-column table: terms and their meaning, not two-column prose


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # the first row holds column names if ``_is_header``

    def words(self) -> Counter[str]:
        return Counter(w for row in self.rows for cell in row for w in cell.split())


def _cells(line: str) -> list[tuple[int, str]]:
    """(start column, text) of each run of text between gaps of four or more spaces."""
    return [(m.start(), m.group()) for m in RUN.finditer(line)]


# a quantity or an amount ("49.00", "250'000", "CHF 12.50", "4 %"), not a section
# number ("1.2.2") that a contents page indents
_NUMERIC = re.compile(
    r"^[-+]?(?:CHF|EUR|USD|Fr\.|[$€£])?\s?"  # a currency before the number
    r"\d{1,3}(?:['’ ]?\d{3})*(?:[.,]\d+)?\s?%?$",  # thousands, decimals, a percent sign
    re.IGNORECASE,
)


def _pieces(start: int, text: str) -> list[tuple[int, str]]:
    """A run split at its gaps of two or more spaces: a right-aligned number may end only
    two spaces before the next column's text ("49.00  30 Tage")."""
    return [(start + m.start(), m.group()) for m in _NARROW_RUN.finditer(text)]


def _assign(starts: list[int], cells: list[tuple[int, str]]) -> dict[int, str] | None:
    """Cells of a line by column, or None when the line does not fit the columns.

    A run of text belongs to the last column starting at or before it and must end
    before the next column starts (unless it is a number followed closely by the next
    column's text); the first run in a column must start where the column does, or be a
    number, which tables often align to the right. Justified text inside a wide cell can
    itself hold wide gaps; a word of running text cannot pose as a cell."""
    out: dict[int, str] = {}
    queue = list(cells)
    while queue:
        start, text = queue.pop(0)
        column = max((i for i, c in enumerate(starts) if c - ALIGN <= start), default=None)
        if column is None:
            return None
        following = starts[column + 1] if column + 1 < len(starts) else None
        if following is not None and start + len(text) >= following:
            pieces = _pieces(start, text)
            before = [piece for at, piece in pieces if at < following]
            if len(pieces) < 2 or not all(_NUMERIC.match(piece) for piece in before):
                return None  # only a number may stand this close to the next column
            queue[:0] = pieces
            continue
        aligned = abs(start - starts[column]) <= ALIGN or (
            column > 0 and bool(_NUMERIC.match(text))
        )
        if column not in out and not aligned:
            return None
        out[column] = f"{out[column]} {text}" if column in out else text
    return out


def _join(before: str, after: str) -> str:
    after = " ".join(after.split())
    if not before:
        return after
    if before.endswith("-") and after[:1].islower():
        return before[:-1] + after  # a word hyphenated at the cell's edge
    return f"{before} {after}"


_CONNECTOR = re.compile(
    r"(?:[-,]|\b(?:and|or|of|the|a|an|to|for|with|in|on|by|und|oder|der|die|das|den|dem|des"
    r"|ein|eine|einer|von|zu|mit|für|im|in|auf|bei))$",
    re.IGNORECASE,
)


# a first cell that names its row: a number, a version, a date or an id ("1.1", "A5")
_ROW_KEY = re.compile(r"^[\w.:/-]*\d[\w.:/-]*$")


def _continues(above: list[str], row: list[str]) -> bool:
    """A line of wrapped cells read as a row of its own: some cell goes on from the cell
    above it (which ends in a hyphen, a comma or a connecting word, or runs on into a
    lowercase word), and the first cell does not name a row of its own ("1.1" under
    "1.0" starts a row even where "public release v 1.1" runs on from "… v 1.0")."""
    if _ROW_KEY.match(row[0]):
        return False
    for before, after in zip(above, row, strict=True):
        if not before or not after:
            continue
        if _CONNECTOR.search(before) or (
            after[:1].islower() and len(before.split()) >= 3 and before[-1] not in ".!?:;)"
        ):
            return True
    return False


def _rows(
    width: int, groups: list[tuple[list[dict[int, str]], int]]
) -> list[tuple[list[str], int]]:
    """Each group's lines as one row of ``width`` cells, with the index of its last line; a
    group that continues the row above (``_continues``) is joined to it."""
    rows: list[tuple[list[str], int]] = []
    for lines, end in groups:
        row = [""] * width
        for cells in lines:
            for column, text in cells.items():
                row[column] = _join(row[column], text)
        if rows and _continues(rows[-1][0], row):
            rows[-1] = ([_join(a, b) for a, b in zip(rows[-1][0], row, strict=True)], end)
        else:
            rows.append((row, end))
    return rows


def _lone_after_gap(fitted: list[tuple[int, dict[int, str] | None]]) -> bool:
    """The last line holds one cell and a blank line stands before it."""
    last = fitted[-1][1]
    return len(fitted) >= 2 and fitted[-2][1] is None and last is not None and len(last) < 2


def _table_at(
    lines: list[str], first: int, header: list[tuple[int, str]]
) -> tuple[Table, int] | None:
    """The table whose header is ``lines[first]`` (its ``header`` cells), and the index
    after it.

    Rows come in two forms. Separated by blank lines (cells with padding): the lines
    between two blank lines are one row, a wrapped cell's lines may sit above and below
    its row's first line. Without blank lines: a line with a cell in the first column
    starts a row, a line without one continues the row above.
    """
    starts = [start for start, _ in header]
    fitted: list[tuple[int, dict[int, str] | None]] = [
        (first, dict(enumerate(text for _, text in header)))
    ]
    end = first + 1
    while end < len(lines):
        if not lines[end].strip():
            fitted.append((end, None))
        else:
            cells = _assign(starts, _cells(lines[end]))
            if cells is None:
                break
            fitted.append((end, cells))
        end += 1
    while fitted and (fitted[-1][1] is None or _lone_after_gap(fitted)):
        fitted.pop()  # trailing blank lines, and a page number or the next paragraph's start
    spaced = any(cells is None for _, cells in fitted)
    groups: list[tuple[list[dict[int, str]], int]] = []  # the lines of a row, its last index
    fresh = True
    for index, cells in fitted:
        if cells is None:
            fresh = True
            continue
        if fresh or (not spaced and 0 in cells):
            groups.append(([], index))
            fresh = False
        groups[-1] = ([*groups[-1][0], cells], index)
    rows = _rows(len(starts), groups)
    kept = 1
    while kept < len(rows) and sum(1 for cell in rows[kept][0] if cell) >= 2:
        kept += 1  # a lone cell after the rows is the next paragraph's first line
    table = [row for row, _ in rows[:kept]]
    if not _plausible(starts, table):
        return None
    return Table(tuple(tuple(row) for row in table)), rows[kept - 1][1] + 1


# list markers, one or several (the lines of a list read as one row: "• • •")
_MARKER = re.compile(
    r"^(?:(?:[•\-*–▪◦·]|\d{1,2}[.)]|[a-z][.)]|\(?[ivx]{1,4}\))\s*)+$", re.IGNORECASE
)


def _plausible(starts: list[int], rows: list[list[str]]) -> bool:
    """A table, not a list (bullets in the first column), a table of contents (page
    numbers in the last) or two columns of running text."""
    if len(rows) < MIN_ROWS or len(starts) < 2:
        return False
    if all(_MARKER.match(row[0]) for row in rows[1:]):
        return False
    if all(row[-1].isdigit() for row in rows if row[-1]):
        return False  # page numbers down the last column, the first line's too
    if any(sum(1 for row in rows[1:] if row[c]) * 2 < len(rows) - 1 for c in range(len(starts))):
        return False  # a column mostly empty: page numbers or notes, not a column
    if len(starts) == 2:
        return all(len(row[0]) <= SHORT_FIRST_COLUMN for row in rows)
    return True


def _is_header(row: tuple[str, ...]) -> bool:
    """Column names: three or more cells, every one filled, short, and not a sentence. Two
    columns are mostly a name and its value ("Sprache | Python"), so they get no header."""
    return len(row) >= 3 and all(c and len(c) <= 60 and not c.endswith(".") for c in row)


def find_tables(layout: str) -> list[Table]:
    """Blocks of lines whose cells start at the columns of the block's first line."""
    lines = layout.split("\n")
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        found = _table_at(lines, i, header) if len(header) >= 2 else None
        if found is None:
            i += 1
            continue
        table, i = found
        tables.append(table)
    return tables


def _span(lines: list[str], table: Table) -> tuple[int, int] | None:
    """The lines (start, end) that hold exactly the table's words, starting at a line
    that begins with the header's first cell (the first such line that works)."""
    want = table.words()
    total = sum(want.values())
    first = table.rows[0][0].split()
    for start, line in enumerate(lines):
        if line.split()[: len(first)] != first:
            continue
        seen: Counter[str] = Counter()
        for end in range(start, len(lines)):
            seen.update(lines[end].split())
            if sum(seen.values()) >= total:
                if seen == want:
                    return start, end + 1
                break
    return None


def with_tables(plain: str, layout: str) -> str:
    """``plain`` with each table found in ``layout`` as a Markdown table between blank
    lines; the page unchanged where a table's words do not map onto its lines."""
    lines = plain.split("\n")
    for table in find_tables(layout):
        span = _span(lines, table)
        if span is None:
            continue
        start, end = span
        rendered = markdown_table(table.rows, header=_is_header(table.rows[0]))
        lines[start:end] = ["", *rendered, ""]
    return "\n".join(lines)
