"""Worksheet XML for the attempt rows, built from the column descriptions.

A row is written from a template made once per sheet (see `RowFormat`): field 0 is the row
number, field 1 the row above, and the fields after them are the row's values, as a
`RowSource` gives them: one training run's, or several runs' one after another. Turning
floats into text is most of the time it takes to write a large sheet, so values that are the
same in every row are written into the template once.
"""

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count, islice
from operator import itemgetter
from string import Formatter
from typing import Protocol
from xml.sax.saxutils import escape

from sheetgen.sheets.columns import FIRST_ROW, Column
from sheetgen.sheets.exercise import Guard

ROWS_PER_CHUNK = 1000
CELLS_PER_CHUNK = 13_000
"""A chunk is at most ROWS_PER_CHUNK rows and about this many cells (the article's thousand
rows of 13), so that a wide network's chunks are no larger than the article's: memory stays
bounded whatever the shape."""


def rows_per_chunk(columns: int) -> int:
    """How many rows of `columns` cells make a chunk."""
    return max(1, min(ROWS_PER_CHUNK, CELLS_PER_CHUNK // columns))


class RowSource(Protocol):
    """What fills a sheet's attempt rows, computed by the reference.

    A column names its value by `field` and, where a row holds several runs side by side,
    by `run`: the value is at `run * len(fields) + fields.index(field)` in the row's tuple.
    """

    @property
    def attempts(self) -> int: ...

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of one run's values, in the order `values` gives them."""

    def values(self) -> Iterator[tuple]:
        """Each row's values, from the first attempt on."""


def value_index(col: Column, position: Mapping[Hashable, int]) -> int:
    """Where `col`'s value is in a row's values, `position` giving each of one run's fields'
    index among them (see `RowSource`)."""
    return col.run * len(position) + position[col.field]


class Watcher(Protocol):
    """Notes something about a sheet's rows as they are computed, such as how the run ends.

    It must pickle: when a helper process computes the rows (see `parallel.py`), its watcher
    is what this process learns them from."""

    def see(self, values: tuple) -> None: ...


def cell_xml(ref: str, style: int, value: object = None, formula: str | None = None,
             array: bool = False, shared: tuple[int, str | None] | None = None) -> str:
    """One finished cell: a number, a text, or a formula with its stored result. `shared`
    gives a shared formula's index and, in the cell that holds the formula, the range that
    shares it (None in the others, whose `formula` is not written)."""
    body, kind = "", ""
    if formula is not None:
        text = formula.removeprefix("=")
        if "<" in text or ">" in text or "&" in text:   # most formulas need no escaping
            text = escape(text)
        if array:
            body = f'<f t="array" ref="{ref}">{text}</f>'
        elif shared is None:
            body = f"<f>{text}</f>"
        elif shared[1] is None:
            body = f'<f t="shared" si="{shared[0]}"/>'
        else:
            body = f'<f t="shared" ref="{shared[1]}" si="{shared[0]}">{text}</f>'
        if isinstance(value, str):
            kind = ' t="str"'
            body += f"<v>{escape(value)}</v>"
        elif isinstance(value, bool):
            kind = ' t="b"'
            body += f"<v>{value:d}</v>"
        else:
            body += f"<v>{value!r}</v>"
    elif isinstance(value, str):
        kind = ' t="inlineStr"'
        body = f"<is><t>{escape(value)}</t></is>"
    elif value is not None:
        body = f"<v>{value!r}</v>"
    return f'<c r="{ref}" s="{style}"{kind}>{body}</c>'


def row_template(columns: Sequence[Column], style_ids: dict[str, int], row: int,
                 fields: tuple[str, ...], constants: dict[str, float],
                 shared: dict[str, int] | None = None, last: int = 0,
                 blank: Mapping[str, int] | None = None, answered: bool = False,
                 guard: Guard | None = None) -> str:
    """The template of `row`: the first attempt row, or any later one.

    With `shared` (a shared-formula index by column letter), later rows share the formula of
    row `FIRST_ROW + 1`, which holds it for the rows to `last`; the others only point to it,
    as Excel writes a formula filled down. The row numbers in the formulas are then not
    formatted row by row, which is most of the work and most of the bytes of a wide sheet.
    `blank` gives the style of each cell left empty in this row (an exercise's, by letter);
    where `answered` (the exercise's key), the cell keeps its formula in that style. An
    exercise's `guard` makes the cells that wait for its blanks show nothing until then.
    """
    cells = []
    position = {name: index for index, name in enumerate(fields)}
    for col in columns:
        # Every cell carries its reference: Gnumeric misplaces cells that leave it out.
        style = style_ids[col.letter]
        if blank and col.letter in blank:
            style = blank[col.letter]
            if not answered:
                cells.append(f'<c r="{col.letter}{{0}}" s="{style}"/>')
                continue
        if col.field in constants:
            value = repr(constants[col.field])
        else:
            value = f"{{{2 + value_index(col, position)}!r}}"
        formula = col.template(row) if guard is None else guard.template(col, row)
        body = f"<v>{value}</v>"
        index = shared.get(col.letter) if shared and row > FIRST_ROW else None
        if formula is None:
            pass
        elif index is None:
            text = escape(formula.removeprefix("=")).format(row="{0}", prev="{1}")
            body = f"<f>{text}</f>{body}"
        elif row == FIRST_ROW + 1:
            text = escape(formula.format(row=row, prev=row - 1).removeprefix("="))
            body = (f'<f t="shared" ref="{col.letter}{row}:{col.letter}{last}" si="{index}">'
                    f"{text}</f>{body}")
        else:
            body = f'<f t="shared" si="{index}"/>{body}'
        cells.append(f'<c r="{col.letter}{{0}}" s="{style}">{body}</c>')
    return '<row r="{0}">' + "".join(cells) + "</row>"


class RowFormat:
    """A row template made ready for printf-style formatting, about a third faster than
    `str.format` for rows of many numbers: each field of the template becomes a `%r` or `%s`,
    and `pick` gathers its argument from (row, row above, *values) in one C call.
    """

    def __init__(self, template: str):
        parts, plan = [], []
        for literal, place, _, conversion in Formatter().parse(template):
            parts.append(literal.replace("%", "%%"))
            if place is not None:
                parts.append("%r" if conversion == "r" else "%s")
                plan.append(int(place))
        self.text = "".join(parts)
        pick = itemgetter(*plan)
        self.pick = pick if len(plan) > 1 else lambda arguments: (pick(arguments),)

    def render(self, row: int, values: tuple) -> str:
        return self.text % self.pick((row, row - 1, *values))


@dataclass(frozen=True)
class SheetRows:
    """Everything needed to write one sheet's attempt rows.

    It holds the source rather than running generators, so that a second process can be
    handed a copy, compute the rows, and format some of them (see `parallel.py`).
    """

    columns: tuple[Column, ...]
    style_ids: dict[str, int]
    source: RowSource
    constants: dict[str, float]
    """Values that are the same in every row, by field: written into the template once."""
    leading_cells: dict[int, str]
    """Finished cells left of the table by row (the Training sheet's column A); rows past
    the last attempt that have some are written too."""
    shared_formulas: bool = False
    """Write the later rows' formulas as one shared formula per column (see `row_template`)."""
    watcher: Watcher | None = None
    """Sees every row's values as they are computed."""
    blanks: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    """The cells left empty, an exercise's: by row, each one's style by its letter."""
    trailing_cells: Mapping[int, str] = field(default_factory=dict)
    """Finished cells right of the table by row (an exercise's marks)."""
    answered: bool = False
    """The blanks keep their formulas, in their style: an exercise's key."""
    guard: Guard | None = None
    """What waits for an exercise's blanks (see `sheets.exercise.Guard`)."""

    @property
    def attempts(self) -> int:
        return self.source.attempts

    def chunk_count(self) -> int:
        return -(-self.attempts // self.rows_per_chunk)

    @property
    def rows_per_chunk(self) -> int:
        return rows_per_chunk(len(self.columns))

    def computed(self) -> Iterator[list[tuple]]:
        """Each chunk's row values, in order, as the reference computes them (each attempt
        depends on the one before); the watcher, if any, sees every row."""
        values = self.source.values()
        for number in range(self.chunk_count()):
            start, stop = self._bounds(number)
            chunk = list(islice(values, stop - start))
            if self.watcher is not None:
                for row_values in chunk:
                    self.watcher.see(row_values)
            yield chunk

    def chunks(self) -> Iterator[bytes]:
        """The rows as XML, `rows_per_chunk` rows a chunk, in order."""
        return map(self.format_chunk, count(), self.computed())

    def format_chunk(self, number: int, chunk: list[tuple]) -> bytes:
        """Chunk `number`'s rows as XML, from their values."""
        own, later = self._formats
        start, stop = self._bounds(number)
        rows = [own.get(row, later).render(row, value)
                for row, value in zip(range(start, stop), chunk)]
        rows = self._with_leading_cells(rows, start)
        if number == self.chunk_count() - 1:
            rows.extend(f'<row r="{row}">{cells}</row>'
                        for row, cells in sorted(self.leading_cells.items()) if row >= stop)
        return "".join(rows).encode()

    def has_leading_cells(self, number: int) -> bool:
        """Whether chunk `number` holds some of the leading cells."""
        start, stop = self._bounds(number)
        last = number == self.chunk_count() - 1
        return any(start <= row and (row < stop or last) for row in self.leading_cells)

    def _bounds(self, number: int) -> tuple[int, int]:
        """The first row of chunk `number` and the row after its last."""
        start = FIRST_ROW + number * self.rows_per_chunk
        return start, min(start + self.rows_per_chunk, FIRST_ROW + self.attempts)

    @cached_property
    def _formats(self) -> tuple[dict[int, RowFormat], RowFormat]:
        """The formats of the rows that have their own: the first row's, the second's (which
        holds the shared formulas) and those with blanks or before an exercise's guard; and
        every later row's."""
        waiting_from = FIRST_ROW + 2 if self.guard is None else \
            max(FIRST_ROW + 2, self.guard.after + 1)
        own = {row: RowFormat(self._template(row, self.blanks.get(row)))
               for row in sorted({FIRST_ROW, *range(FIRST_ROW + 1, waiting_from), *self.blanks})}
        return own, RowFormat(self._template(waiting_from))

    def _template(self, row: int, blank: Mapping[str, int] | None = None) -> str:
        shared = None
        if self.shared_formulas:
            shared = {col.letter: index for index, col in
                      enumerate(col for col in self.columns if col.later is not None)}
        return row_template(self.columns, self.style_ids, row, self.source.fields,
                            self.constants, shared, FIRST_ROW + self.attempts - 1, blank,
                            self.answered, self.guard)

    def largest_row_bytes(self) -> int:
        """A generous bound on one row's XML: each field as long as a number or row can be."""
        template = max(self._template(FIRST_ROW + 1), self._template(FIRST_ROW + 2), key=len)
        return len(template) + 32 * template.count("{")

    def _with_leading_cells(self, rows: list[str], start: int) -> list[str]:
        """Put each row's leading cells just inside its <row> element, and its trailing
        cells just before its end."""
        for row, cells in self.leading_cells.items():
            index = row - start
            if 0 <= index < len(rows):
                opening = rows[index].index(">") + 1
                rows[index] = rows[index][:opening] + cells + rows[index][opening:]
        for row, cells in self.trailing_cells.items():
            index = row - start
            if 0 <= index < len(rows):
                rows[index] = rows[index].removesuffix("</row>") + cells + "</row>"
        return rows
