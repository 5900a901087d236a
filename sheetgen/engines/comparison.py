"""How a sheet's cells compare with the reference: within a tolerance, row by row, up to
where the reference itself is too sensitive to compare, formulas as text.

A value agrees when it is within 1e-12 of the reference, or within 1e-12 of it relatively where
the reference is larger than 1 (a bias of -5000 has no digits left at 1e-12).

Where the training is chaotic (learning rates of about 3.3 and more), a difference of one unit
in the last place, such as between two engines' TANH, grows until it dominates. The check finds
where the reference itself is that sensitive, by running it again with a tanh that is one ulp
off on every attempt (up, then down), and compares values only up to there. Formulas are
compared on every row, so a changed formula is caught wherever it is.
"""

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from sheetgen.engines.reading import Cells
from sheetgen.sheets import panel
from sheetgen.sheets.columns import COLUMNS, FIRST_ROW, Column, last_row

TOLERANCE = 1e-12
SENSITIVITY_PROBE = TOLERANCE / 100
"""How far the one-ulp-off reference may drift before the run counts as sensitive. Tighter than
the tolerance, for a margin: measured against Gnumeric at learning rates from 3 to 1000, a
probe at the tolerance itself sometimes found the onset an attempt or three after Gnumeric
had already left the reference; at a tenth of it, never; a hundredth leaves room."""


@dataclass
class Mismatch:
    cell: str
    found: object
    expected: object

    def __str__(self) -> str:
        return f"{self.cell} holds {self.found!r}, expected {self.expected!r}"


@dataclass
class Comparison:
    """How a sheet's values compare with the reference, attempt by attempt."""

    compared_attempts: int
    largest: dict[str, float] = field(default_factory=dict)
    """The largest absolute difference in each column."""
    mismatch: Mismatch | None = None
    unit: str = "rows"
    """What `compared_attempts` counts, in the report."""


NEAR_EQUAL = 2**-48
"""LibreOffice's subtraction gives 0 for two numbers this close, relatively (docs/engines.md)."""
WRITTEN_PRECISION = 5e-15
"""How exactly a number read back from an engine's file is known, relatively: LibreOffice
writes 15 significant digits, and Gnumeric's numbers read back may differ from those it
computed with in their last digit."""


def agrees(found: float, expected: float, tolerance: float = TOLERANCE) -> bool:
    return abs(found - expected) <= tolerance * max(1.0, abs(expected))


Recheck = Callable[[dict[Hashable, object], Hashable], tuple[float, float] | None]
"""What a field must hold given the engine's own cells of the row before it (by field), where
that, not the reference's value, is what can be compared, and how far from it those cells'
written precision lets it be, beyond the tolerance; None for every other field."""


def no_recheck(found: dict[Hashable, object], field: Hashable) -> tuple[float, float] | None:
    return None


def one_ulp_off(direction: float) -> Callable[[float], float]:
    """An engine's rounding of a library function's result: one unit in the last place off.

    Saturated at ±1, every engine agrees: a step past 1 is no engine's rounding.
    """
    def nudge(exact: float) -> float:
        return exact if abs(exact) == 1 else math.nextafter(exact, direction)
    return nudge


def first_sensitive(runs: Callable[[Callable[[float], float] | None], Iterable[Sequence]]
                    ) -> int | None:
    """The first attempt whose values the reference, rounded one ulp off (up, then down)
    wherever an engine's library may round differently, visibly moves; None when the run
    absorbs such errors, and every attempt can be compared.

    `runs(nudge)` gives each attempt's values, with `nudge` applied to every such result.
    """
    probes = [runs(one_ulp_off(direction)) for direction in (math.inf, -math.inf)]
    for number, (exact, *others) in enumerate(zip(runs(None), *probes), start=1):
        for other in others:
            if not all(agrees(a, b, SENSITIVITY_PROBE) for a, b in zip(other, exact)):
                return number
    return None


def compare_values(rows: list[dict[str, object]], reference: Iterable, until: int | None = None,
                   columns: tuple[Column, ...] = COLUMNS,
                   value_of: Callable[[object, Hashable], float] = getattr,
                   recheck: Recheck = no_recheck) -> Comparison:
    """Compare each row's cells with the reference, up to (not including) attempt `until`.

    `value_of(attempt, field)` is what the reference holds for a column's field, unless
    `recheck` says what the field must hold given the row's cells before it.
    """
    comparison = Comparison(0, {col.letter: 0.0 for col in columns})
    for number, (cells, attempt) in enumerate(zip(rows, reference), start=1):
        if until is not None and number >= until:
            break
        row = FIRST_ROW + number - 1
        seen: dict[str, object] = {}
        for col in columns:
            found = seen[col.field] = cells[col.letter]
            if not _is_number(found):
                comparison.mismatch = Mismatch(f"{col.letter}{row}", found,
                                               value_of(attempt, col.field))
                return comparison
            expected, slack = recheck(seen, col.field) or (value_of(attempt, col.field), 0.0)
            difference = abs(found - expected)
            if not agrees(found, expected) and difference > slack:
                comparison.mismatch = Mismatch(f"{col.letter}{row}", found, expected)
            comparison.largest[col.letter] = max(comparison.largest[col.letter], difference)
            if comparison.mismatch:
                return comparison
        comparison.compared_attempts += 1
    return comparison


def formula_mismatch(formulas: Cells, columns: tuple[Column, ...] = COLUMNS,
                     results: tuple[panel.Result, ...] = panel.SUMMARY,
                     summary_formulas: dict[int, object] | None = None) -> Mismatch | None:
    """The first cell whose formula is not the one sheetgen writes there; the summary's
    formulas are column A's of `formulas`, or `summary_formulas` where they stand elsewhere."""
    for row, cells in enumerate(formulas.rows, start=FIRST_ROW):
        for col in columns:
            expected, found = col.formula(row), cells[col.letter]
            if expected is None:
                if isinstance(found, str):
                    return Mismatch(f"{col.letter}{row}", found, "a number")
            elif found != expected:
                return Mismatch(f"{col.letter}{row}", found, expected)
    end = last_row(len(formulas.rows))
    for result in results:
        found = (formulas.panel if summary_formulas is None else summary_formulas).get(result.row)
        expected = result.formula_for(end)
        if _formula_text(found) != expected:
            return Mismatch(result.cell, _formula_text(found), expected)
    return None


def summary_mismatch(panel_values: dict[int, object], summary: tuple,
                     results: tuple[panel.Result, ...] = panel.SUMMARY) -> Mismatch | None:
    """The first summary cell whose value differs from the reference's summary."""
    for result in results:
        expected = result.shown(summary)
        found = panel_values.get(result.row)
        if isinstance(expected, str) or isinstance(found, str):
            same = found == expected
        else:
            same = _is_number(found) and agrees(found, expected)
        if not same:
            return Mismatch(result.cell, found, expected)
    return None


def _formula_text(value: object) -> object:
    """openpyxl gives an array formula as an object; its text is what counts here."""
    return getattr(value, "text", value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
