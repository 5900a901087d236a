"""The column references in README.md, made from the descriptions of the columns: the
article's sheet, and the XOR preset's network.

`python -m sheetgen.sheets.docs` prints them; a test keeps README.md's copies identical.
"""

from sheetgen.inputs.presets import network_values
from sheetgen.inputs.runs import network_run
from sheetgen.maths.optimizers import GRADIENT_DESCENT
from sheetgen.sheets.columns import FIRST_ROW, GROUPS, Group
from sheetgen.sheets.network_sheet import describe


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


def xor_column_table() -> str:
    """The XOR preset's columns, but for samples 2 to 4, which repeat sample 1's."""
    sheet = describe(network_run(network_values("xor", GRADIENT_DESCENT.name, {}),
                                 GRADIENT_DESCENT.name, {}, None))
    return column_table(tuple(group for group in sheet.groups
                              if group.columns[0].field.sample <= 1))


def _shown(formula: str | None) -> str:
    return "a number" if formula is None else f"`{formula}`"


if __name__ == "__main__":
    print(column_table())
    print()
    print(xor_column_table())
