"""A CSV file of samples: a header row, then one sample per row, inputs first and targets
last. Everything read is checked before it reaches a sheet, and anything wrong is refused with
an `InputError` that names the file, the line, the column and the problem.
"""

import csv
import io
import re
from pathlib import Path

from sheetgen.errors import InputError
from sheetgen.inputs.text import RANGE, count, quote, read_text
from sheetgen.maths.datasets import LIMIT, MAX_SAMPLES
from sheetgen.maths.shape import Sample

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A plain decimal number, "1", "-0.5", ".5", "1e-3". Python's float() takes more (NaN,
infinity, "1_000", digits of other scripts), none of which a sheet should receive."""

_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


class _Table:
    """A CSV file's rows that are not blank, each with the line it ends on."""

    def __init__(self, path: Path):
        self.name = path.name
        text = read_text(path)
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[tuple[int, list[str]]] = []
        try:
            for cells in reader:
                cells = [cell.strip() for cell in cells]
                if any(cells):  # an empty line reads as [], a line of commas as ["", ""…]
                    rows.append((reader.line_num, cells))
        except csv.Error as error:
            raise InputError(f"{self.name}, line {reader.line_num}: {error}") from None
        if not rows:
            raise InputError(f"{self.name} is empty")
        (self.header_line, self.header), self.rows = rows[0], rows[1:]
        if all(_NUMBER.fullmatch(cell) for cell in self.header):
            raise InputError(f"{self.name} has no header row: line {self.header_line} holds "
                             "numbers; add a first line naming the columns (like x1,x2,target)")
        if not self.rows:
            raise InputError(f"{self.name} has a header (line {self.header_line}) "
                             "but no data rows")

    @property
    def width(self) -> int:
        return len(self.header)

    def column(self, c: int) -> str:
        """Column c (from 0) in a message: its number from 1 and its name, if it has one."""
        name = self.header[c]
        return f"column {c + 1} ({quote(name)})" if name else f"column {c + 1}"

    def split(self, inputs: int | None, outputs: int | None) -> tuple[int, int]:
        """How many columns are inputs and how many targets: as given, or (width − 1, 1)."""
        for given in (inputs, outputs):
            if given is not None and given < 1:
                raise InputError(f"a network needs at least 1 input and 1 output, not {given}")
        columns = count(self.width, "column")
        if inputs is None and outputs is None:
            if self.width < 2:
                raise InputError(f"{self.name} has {columns}; it needs at least 2, the inputs "
                                 "then the target, separated by commas")
            return self.width - 1, 1
        if inputs is None:
            if self.width <= outputs:
                raise InputError(f"{self.name} has {columns}; {count(outputs, 'target')} "
                                 "leave none for the inputs")
            return self.width - outputs, outputs
        if outputs is None:
            if self.width <= inputs:
                raise InputError(f"{self.name} has {columns}; {count(inputs, 'input')} "
                                 "leave none for the target")
            return inputs, self.width - inputs
        if inputs + outputs != self.width:
            raise InputError(f"{self.name} has {columns}; --layers {inputs},…,{outputs} needs "
                             f"{count(inputs, 'input')} and {count(outputs, 'target')} "
                             f"({inputs + outputs} columns)")
        return inputs, outputs

    def number(self, line: int, c: int, text: str) -> float:
        where = f"{self.name}, line {line}, {self.column(c)}"
        if not text:
            raise InputError(f"{where}: the cell is empty")
        if _NOT_FINITE.fullmatch(text):
            raise InputError(f"{where}: {quote(text)} is not a finite number "
                             "(NaN and infinity are not allowed)")
        if not _NUMBER.fullmatch(text):
            raise InputError(f"{where}: {quote(text)} is not a number")
        value = float(text)  # "1e400" gives infinity, which the bound refuses with the text
        if not -LIMIT <= value <= LIMIT:
            raise InputError(f"{where}: {quote(text)} is outside {RANGE}")
        return value


def read_csv(path: Path, inputs: int | None = None,
             outputs: int | None = None) -> tuple[Sample, ...]:
    """The samples of a CSV file: a header row, then one sample per row, the first `inputs`
    columns its inputs and the last `outputs` its targets.

    Either count may be None: it is then what the row width leaves; with both None the last
    column is the one target. Blank lines, spaces around a cell and a byte order mark are
    ignored.
    """
    table = _Table(Path(path))
    inputs, outputs = table.split(inputs, outputs)
    if len(table.rows) > MAX_SAMPLES:
        raise InputError(f"{table.name} has {len(table.rows):,} samples; at most "
                         f"{MAX_SAMPLES:,} fit in a sheet")
    samples = []
    for line, cells in table.rows:
        if len(cells) != table.width:
            raise InputError(f"{table.name}, line {line} has {count(len(cells), 'cell')}; "
                             f"the header (line {table.header_line}) has {table.width}")
        values = [table.number(line, c, text) for c, text in enumerate(cells)]
        samples.append(Sample(tuple(values[:inputs]), tuple(values[inputs:])))
    return tuple(samples)


def default_layers_for_csv(path: Path) -> tuple[int, ...]:
    """(columns − 1, 1): all but the last column are inputs, the last the target, and no
    hidden layer."""
    table = _Table(Path(path))
    return table.split(None, None)
