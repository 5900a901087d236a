"""The column references in README.md, made from the descriptions of the columns: the
article's sheet, the XOR preset's network and the iris preset's classifier.

`python -m sheetgen.sheets.docs` prints them; a test keeps README.md's copies identical.
"""

from sheetgen.inputs.presets import network_values
from sheetgen.inputs.runs import network_run
from sheetgen.maths.fields import Kind
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets.columns import FIRST_ROW, GROUPS, Group
from sheetgen.sheets.network_sheet import NetworkSheet, describe


def column_table(groups: tuple[Group, ...] = GROUPS) -> str:
    lines = ["| column | group | header | row 3 | rows 4 and on | what it is |",
             "|---|---|---|---|---|---|"]
    for group in groups:
        for col in group.columns:
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


def _shown(formula: str | None) -> str:
    return "a number" if formula is None else f"`{formula}`"


if __name__ == "__main__":
    print(column_table())
    print()
    print(xor_column_table())
    print()
    print(iris_column_table())
