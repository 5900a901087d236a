"""The column reference in README.md, made from the one description of the columns.

`python -m sheetgen.sheets.docs` prints it; a test keeps README.md's copy identical.
"""

from sheetgen.sheets.columns import FIRST_ROW, GROUPS


def column_table() -> str:
    lines = ["| column | group | header | row 3 | rows 4 and on | what it is |",
             "|---|---|---|---|---|---|"]
    for group in GROUPS:
        for col in group.columns:
            first = _shown(col.formula(FIRST_ROW))
            later = _shown(col.formula(FIRST_ROW + 1))
            lines.append(f"| {col.letter} | {group.title} | {col.header} | {first} | {later} "
                         f"| {col.meaning} |")
    return "\n".join(lines)


def _shown(formula: str | None) -> str:
    return "a number" if formula is None else f"`{formula}`"


if __name__ == "__main__":
    print(column_table())
