"""LibreOffice and Gnumeric recompute workbooks with each optimizer — the article's neuron, an
XOR network with the full batch and with one sample per attempt — both the Training sheet and
every block of the Optimizers sheet, to within 1e-12 of the reference in the stable regime.

Every stored result of both sheets is first spoiled (the canary), so that only a real
recalculation brings the numbers back. A run can be chaotic: where a TANH or EXP one ulp off
visibly moves the reference (RMSProp divides by the root of tiny running means early on), the
values are compared up to there, as `sheetgen check` does.
"""

import re
from dataclasses import replace

import pytest
from helpers import (
    check,
    edit_in_libreoffice,
    letter,
    recalculated,
    rewrite_sheet,
    typed_numbers,
    with_wrong_results,
    write,
)
from runs import OPTIMIZER_RUNS

from sheetgen.engines.subjects import compare_network_values
from sheetgen.engines.comparison import first_sensitive
from sheetgen.engines.network_reading import read_network_workbook, read_optimizers_sheet
from sheetgen.maths.fields import RowOrder
from sheetgen.maths.network import Run
from sheetgen.maths.training import train
from sheetgen.sheets.optimizers_sheet import OPTIMIZERS_SHEET_NAME, describe_optimizers

BOTH_SHEETS = ("Training", "Optimizers")


def stable_until(run: Run) -> int | None:
    """The first attempt an engine's one-ulp rounding may move, or None."""
    return first_sensitive(lambda nudge: map(RowOrder(run), train(run, nudge)))


def assert_sheet_matches(rows, sheet, minimum: int):
    until = stable_until(sheet.run)
    comparison = compare_network_values(rows, sheet, until)
    assert comparison.mismatch is None, (sheet.run.optimizer, comparison.mismatch)
    assert comparison.compared_attempts == (sheet.run.attempts if until is None else until - 1)
    assert comparison.compared_attempts >= minimum, sheet.run.optimizer


def assert_both_sheets_match(path, run):
    workbook = read_network_workbook(path)
    assert workbook.run == run
    assert_sheet_matches(workbook.values.rows, workbook.sheet, minimum=27)
    optimizers = describe_optimizers(run)
    rows = read_optimizers_sheet(path, optimizers, True).rows
    assert len(rows) == optimizers.attempts
    for block in optimizers.blocks:
        assert_sheet_matches(rows, block.sheet, minimum=10)


@pytest.mark.parametrize("name", OPTIMIZER_RUNS)
def test_engine_recomputes_each_optimizer(engine, tmp_path, name):
    run = replace(OPTIMIZER_RUNS[name], attempts=150)
    spoiled = with_wrong_results(write(tmp_path / "w.xlsx", run), tmp_path / "canary.xlsx",
                                 BOTH_SHEETS)
    canary = read_optimizers_sheet(spoiled, describe_optimizers(run), True).rows[5]
    assert set(canary.values()) - {5 + 1} == {12345}   # all spoiled, but the attempt number
    assert read_network_workbook(spoiled).values.rows[5]["D"] == 12345
    assert_both_sheets_match(recalculated(engine, spoiled), run)


def test_rows_follow_hyperparameters_edited_after(engine, tmp_path):
    """β1 and ε typed into the Training sheet (A10, A16), and the Optimizers sheet's momentum
    (its own cell, A8), change the rows that read them."""
    run = replace(OPTIMIZER_RUNS["xor-adam"], attempts=120)
    source = write(tmp_path / "w.xlsx", run)
    training = rewrite_sheet(source, tmp_path / "t.xlsx", typed_numbers({"A10": 0.7, "A16": 1e-4}))
    momentum = describe_optimizers(run).blocks[1].inputs[1]
    assert momentum.cell == "A8"
    edited = rewrite_sheet(training, tmp_path / "edited.xlsx", typed_numbers({"A8": 0.5}),
                           sheets=("Optimizers",))
    spoiled = with_wrong_results(edited, tmp_path / "canary.xlsx", BOTH_SHEETS)
    expected = replace(run, settings={**run.settings, "BETA1": 0.7, "EPSILON": 1e-4})
    result = recalculated(engine, spoiled)
    workbook = read_network_workbook(result)
    assert workbook.run == expected
    assert_sheet_matches(workbook.values.rows, workbook.sheet, minimum=27)
    block = workbook.optimizers.blocks[1]   # as the recalculated file's cells say
    assert block.sheet.run.settings == {"MOMENTUM": 0.5}
    assert_sheet_matches(read_optimizers_sheet(result, workbook.optimizers, True).rows,
                         block.sheet, minimum=100)


def test_check_passes_an_optimizer_workbook_and_finds_a_typed_over_block_value(engine,
                                                                              tmp_path):
    run = replace(OPTIMIZER_RUNS["xor-batch-1-adam"], attempts=60)
    source = with_wrong_results(write(tmp_path / "w.xlsx", run), tmp_path / "canary.xlsx",
                                BOTH_SHEETS)
    status, report, errors = check(source, engine.name)
    assert (status, errors) == (0, ""), report
    assert "one sample per attempt · Adam · learning rate 0.02" in report
    for title in ("Gradient descent", "Momentum", "RMSProp", "Adam"):
        assert f"{engine.name}: Optimizers sheet, {title}: 60 rows agree within 1e-12" in report
    adam = describe_optimizers(run).blocks[-1]
    cell = f"{letter(adam.sheet, 'm b o1')}30"

    def type_over(xml: str) -> str:
        xml, count = re.subn(f'(<c r="{cell}"[^>]*>)<f[^>]*/><v>[^<]*</v>', r"\g<1><v>0.25</v>",
                             xml)
        assert count == 1
        return xml
    tampered = rewrite_sheet(source, tmp_path / "tampered.xlsx", type_over,
                             sheets=("Optimizers",))
    status, report, _ = check(tampered, engine.name)
    assert status == 1
    assert f"{engine.name}: Optimizers sheet, Adam: MISMATCH: {cell} holds 0.25" in report
    assert report.endswith("result: MISMATCH\n")


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_as_it_comes_follows_typed_hyperparameters(tmp_path):
    """A person opens an Adam workbook in LibreOffice as it comes (multi-threaded), types a new
    β1 on the Training sheet and a new rate for the Optimizers sheet's Adam block, and saves:
    both sheets follow (what LibreOffice saved has 15 significant digits)."""
    run = replace(OPTIMIZER_RUNS["xor-adam"], attempts=120)
    adam_rate = describe_optimizers(run).blocks[-1].inputs[0].cell
    edited = edit_in_libreoffice(write(tmp_path / "w.xlsx", run), tmp_path / "edited.xlsx",
                                 {"A10": 0.8, f"{OPTIMIZERS_SHEET_NAME}!{adam_rate}": 0.02},
                                 tmp_path)
    workbook = read_network_workbook(edited)
    assert workbook.run == replace(run, settings={**run.settings, "BETA1": 0.8})
    assert_sheet_matches(workbook.values.rows, workbook.sheet, minimum=27)
    adam = workbook.optimizers.blocks[-1]
    assert adam.sheet.run.learning_rate == 0.02
    block_rows = read_optimizers_sheet(edited, workbook.optimizers, True).rows
    for block in workbook.optimizers.blocks:
        assert_sheet_matches(block_rows, block.sheet, minimum=10)
