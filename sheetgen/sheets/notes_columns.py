"""The Notes sheet's table of a network's Training sheet's columns: a row for each column,
its formula and meaning, but columns that differ only in whose they are summed up in one row
where there are many of them (the samples after the first, a large layer's parameters)."""

from itertools import groupby

from sheetgen.maths.fields import Kind
from sheetgen.sheets.columns import FIRST_ROW, Column, Group
from sheetgen.sheets.exercise import Exercise, formula_shown
from sheetgen.sheets.network_sheet import NetworkSheet


MOST_LISTED_SAMPLES = 1
"""A full batch of more samples lists the first sample's columns only, and the others' in one
line: the same columns again, thousands of rows of them for a data set such as iris. The
test samples' are always listed so, for the first one alone: nothing else reads them."""


MOST_LISTED_PARAMETERS = 6
"""A layer of more weights and biases than this lists its first one's columns only."""


MOST_LISTED_NEURONS = 6
"""A sample's columns for a layer of more neurons than this (the 64 pixels of a digit) list
the first neuron's only."""

_LEARNING = (Kind.PARAMETER, Kind.GRADIENT, Kind.STATE)
_NEURON_WISE = (Kind.INPUT, Kind.TARGET, Kind.NET, Kind.OUT, Kind.ERROR, Kind.DELTA)

Summed = tuple[Column, tuple[Column, ...], str]
"""Columns the Notes sum up in one row: the column listed for them, them, and the sentence
that says what they are the same for."""


def _entries(group: Group) -> list[Column | Summed]:
    """The columns of `group` the Notes list one by one, and those they sum up: a large
    layer's weights and biases after its first one's, and a sample's columns for a large
    layer after its first neuron's."""
    entries: list[Column | Summed] = []
    for kin, columns in groupby(group.columns, key=_kin):
        run = tuple(columns)
        members = list(dict.fromkeys(map(_member, run)))
        most = MOST_LISTED_PARAMETERS if kin == "learning" else MOST_LISTED_NEURONS
        if kin is None or len(members) <= most:
            entries += run
            continue
        own = tuple(col for col in run if _member(col) == members[0])
        others = (f"the layer's other {len(members) - 1} weights and biases" if kin == "learning"
                  else f"the other {len(members) - 1} "
                       + ("inputs" if run[0].field.layer == 0 else "neurons of its layer"))
        entries += [*own, (own[0], run[len(own):], f"The same columns for each of {others}")]
    return entries


def _kin(col: Column) -> object:
    """What a run of columns summed up together shares: a layer's weights and biases, or a
    sample's columns of one kind for one layer's neurons (a net and an out, side by side,
    counting as one); None for a column listed alone."""
    kind = col.field.kind
    if kind in _LEARNING:
        return "learning"
    if kind not in _NEURON_WISE:
        return None
    return col.field.sample, col.field.layer, Kind.NET if kind is Kind.OUT else kind


def _member(col: Column) -> object:
    """Whose column it is: its weight's or bias's, or its neuron's."""
    return col.field.parameter if col.field.kind in _LEARNING else col.field.neuron


def _collapsed(sheet: NetworkSheet) -> list[list[Group]]:
    """The groups of the training samples after the first, and of the test samples after
    the first, where there are too many of them to list each one's columns."""
    runs = []
    for held_out, most in ((False, MOST_LISTED_SAMPLES), (True, 1)):
        if len(sheet.run.tests if held_out else sheet.run.samples) > most:
            runs.append([group for group in sheet.groups
                         if group.columns[0].field.held_out == held_out
                         and group.columns[0].field.sample > 1])
    return runs


def column_table(add, sheet: NetworkSheet, exercise: Exercise | None) -> None:
    """A row for each column of the Training sheet, but the other samples' and a large
    layer's other parameters', each summed up in one."""
    collapsed = _collapsed(sheet)
    for group in sheet.groups:
        later = next((run for run in collapsed if group in run), None)
        if later is None:
            for entry in _entries(group):
                if isinstance(entry, Column):
                    add(entry.letter, f"{group.title} · {entry.header}",
                        formula_shown(entry, FIRST_ROW + 1, exercise) or "a number",
                        entry.meaning)
                else:
                    listed, rest, others = entry
                    add(f"{rest[0].letter}–{rest[-1].letter}",
                        f"{group.title} · {rest[0].header} …", f"as {listed.header}'s",
                        f"{others}, every formula reading that one's own cells.")
        elif group is later[0]:
            whose = "test sample" if group.columns[0].field.held_out else "sample"
            add(f"{group.columns[0].letter}–{later[-1].columns[-1].letter}",
                f"{group.title} … {later[-1].title}", f"as {whose} 1's",
                f"The same columns for each of the other {whose}s, every formula reading "
                f"that {whose}'s own cells.")
