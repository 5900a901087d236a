"""The column references in the manual, made from the descriptions of the columns: the
article's sheet (docs/workbooks/neuron.md), the XOR preset's network (networks.md), the iris
preset's classifier (classification.md), and what the penalties, a decaying rate and a test
set add to a network's (generalisation.md).

`python -m sheetgen.sheets.docs` prints them; tests/test_docs.py keeps the copies in docs/
identical, between their `<!-- name:start -->` and `<!-- name:end -->` markers.
"""

from sheetgen.inputs.presets import network_values
from sheetgen.inputs.runs import network_run
from sheetgen.maths.fields import LOSS, PENALTY, RATE, TEST_LOSS, Kind
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets.columns import FIRST_ROW, GROUPS, Group
from sheetgen.sheets.network_sheet import NetworkSheet, describe


def column_table(groups: tuple[Group, ...] = GROUPS, chosen=None) -> str:
    """Every column of the groups, or those whose field `chosen` picks."""
    lines = ["| column | group | header | row 3 | rows 4 and on | what it is |",
             "|---|---|---|---|---|---|"]
    for group in groups:
        for col in group.columns:
            if chosen is not None and not chosen(col.field):
                continue
            first = _shown(col.formula(FIRST_ROW))
            later = _shown(col.formula(FIRST_ROW + 1))
            lines.append(f"| {col.letter} | {group.title} | {col.header} | {first} | {later} "
                         f"| {col.meaning} |")
    return "\n".join(lines)


def preset_sheet(preset: str, **given) -> NetworkSheet:
    return describe(network_run(network_values(preset, GRADIENT_DESCENT.name, given),
                                GRADIENT_DESCENT.name, {}, None))


def xor_column_table() -> str:
    """The XOR preset's columns, but for samples 2 to 4, which repeat sample 1's."""
    return column_table(tuple(group for group in preset_sheet("xor").groups
                              if group.columns[0].field.sample <= 1))


def iris_column_table() -> str:
    """The iris preset's columns one sample at a time, but for its weights and biases, which
    are as XOR's (a full batch's formulas add a term for each of the 150 flowers)."""
    return column_table(tuple(group for group in preset_sheet("iris", batch=1).groups
                              if group.columns[0].field.kind
                              not in (Kind.PARAMETER, Kind.GRADIENT)))


def regularised_column_table() -> str:
    """The XOR preset with --l2, --l1 and --lr-decay: the columns these add or change, and
    one weight's and one bias's, whose gradient and update they change."""
    sheet = preset_sheet("xor", l2=0.001, l1=0.0001, lr_decay=0.5, lr_decay_every=1000)
    first_weight = sheet.initial_cells[0].parameter
    shown = {RATE, LOSS, PENALTY}
    return column_table(sheet.groups, lambda field: field in shown or (
        field.kind in (Kind.PARAMETER, Kind.GRADIENT)
        and field.layer == first_weight.layer and field.neuron == first_weight.neuron))


def held_out_column_table() -> str:
    """The XOR preset with one of its four samples held out: the test loss, and the test
    sample's forward pass."""
    sheet = preset_sheet("xor", test_fraction=0.25)
    return column_table(sheet.groups, lambda field: field == TEST_LOSS or field.held_out)


def _shown(formula: str | None) -> str:
    return "a number" if formula is None else f"`{formula}`"


if __name__ == "__main__":
    print(column_table())
    print()
    print(xor_column_table())
    print()
    print(iris_column_table())
    print()
    print(regularised_column_table())
    print()
    print(held_out_column_table())
