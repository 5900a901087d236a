"""Which cells an exercise leaves blank, from what a teacher types: column headers as the
sheet shows them or as people type them (`delta h1` for δ h1), or stages; refused in one
line, with the closest names the sheet has, where they name nothing to work out."""

import difflib

from sheetgen.errors import InputError
from sheetgen.sheets.columns import FIRST_ROW, Column
from sheetgen.sheets.exercise import (
    STAGES,
    Exercise,
    guard_of,
    ready_formula,
    stage_of,
    starts_typed,
)
from sheetgen.sheets.fit import EXCEL_FORMULA_LIMIT


def exercise_of(columns: tuple[Column, ...], blank: tuple[str, ...], rows: int,
                attempts: int, self_check: bool = False, checked: bool = False) -> Exercise:
    """The exercise that `--blank` (headers or stages), `--rows` and `--self-check` ask for
    on a sheet of these columns and attempts, `checked` where it has a gradient check;
    refused in one line where it cannot be."""
    if not blank:
        if self_check:
            raise InputError("argument --self-check: there is nothing to check: name the "
                             "columns or stages to leave blank with --blank")
        raise InputError("argument --blank: name at least one column or stage")
    chosen = []
    for name in blank:
        chosen += [col for col in blankable(columns, name) if col not in chosen]
    if checked and any(stage_of(col) in ("backward", "update") for col in chosen):
        raise InputError("argument --gradient-check: not allowed with blanks of the backward "
                         "or update stage: the check's estimates would give the gradients away")
    stepping = any(starts_typed(col) for col in chosen)
    most = attempts - 1 if stepping else attempts
    if rows > most:
        raise InputError(f"argument --rows: {rows:,} rows is more than the "
                         f"{most:,} attempts that have {'an update' if stepping else 'them'}")
    ordered = tuple(col for col in columns if col in chosen)
    exercise = Exercise(ordered, rows, self_check)
    guard = guard_of(exercise, columns)
    rows = range(FIRST_ROW, exercise.last_row + 2)
    longest = max(len(ready_formula(exercise)), *(
        len(guard.formula(col, row) or "") for col in columns for row in rows))
    if longest > EXCEL_FORMULA_LIMIT:
        raise InputError(f"argument --blank: blanking {len(ordered):,} columns makes a formula "
                         f"of {longest:,} characters, and Excel takes {EXCEL_FORMULA_LIMIT:,}: "
                         "blank fewer columns or stages, or use fewer samples")
    return exercise


def plain_name(name: str) -> str:
    """A header or stage as people type it: in any case, with ASCII for the sheet's symbols
    (`delta h1` for δ h1, `dw x1->h1` for ∂w x1→h1) and single spaces."""
    for symbol, spelling in (("δ", "delta "), ("∂", "d"), ("→", "->")):
        name = name.replace(symbol, spelling)
    return " ".join(name.lower().split())


def blankable(columns: tuple[Column, ...], name: str) -> list[Column]:
    """The columns that `name`, a stage or a header however typed, leaves blank; refused in
    one line, with the closest names the sheet has, where it names none."""
    wanted = plain_name(name)
    if wanted in STAGES:
        return [col for col in columns if stage_of(col) == wanted]
    found = [col for col in columns if plain_name(col.header) == wanted]
    if found and all(col.later is None for col in found):
        raise InputError(f"argument --blank: '{name}' is a number typed in, not worked out: "
                         "choose a column with a formula")
    if found and all(stage_of(col) is None for col in found):
        raise InputError(f"argument --blank: '{name}' is not worked out in any stage of an "
                         f"attempt ({', '.join(STAGES)}): choose a column of one")
    if not found:
        names = {plain_name(option): option for option in (
            *STAGES, *dict.fromkeys(col.header for col in columns if stage_of(col)))}
        closest = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
        hint = (f"; the closest: {', '.join(names[option] for option in closest)}" if closest
                else f"; stages: {', '.join(STAGES)}")
        raise InputError(f"argument --blank: no column or stage '{name}' on this sheet{hint}")
    return [col for col in found if stage_of(col) is not None]
