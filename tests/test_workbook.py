"""The generated workbook as a file: layout, exact formulas, names, charts, stored results."""

import io
import multiprocessing
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest
from helpers import generate
from openpyxl import load_workbook

from sheetgen.engines.reading import read_sheet_rows, read_training_sheet
from sheetgen.maths.neuron import Parameters, summarize, train
from sheetgen.sheets import panel, sweep
from sheetgen.sheets.columns import COLUMNS
from sheetgen.writing.workbook import write_workbook

ROW_3 = {"C": "=TRAINING_INPUT", "D": "=C3*TARGET_FACTOR", "F": "=C3", "G": "=INITIAL_WEIGHT",
         "H": "=J3*F3", "I": "=INITIAL_BIAS", "J": "=P3*(1-L3^2)", "K": "=F3*G3+I3",
         "L": "=TANH(K3)", "N": "=D3", "O": 1, "P": "=L3-N3", "Q": "=P3^2/2"}
ROW_4 = {"C": "=TRAINING_INPUT", "D": "=C4*TARGET_FACTOR", "F": "=C4",
         "G": "=G3-H3*LEARNING_RATE", "H": "=J4*F4", "I": "=I3-J3*LEARNING_RATE",
         "J": "=P4*(1-L4^2)", "K": "=F4*G4+I4", "L": "=TANH(K4)", "N": "=D4", "O": 2,
         "P": "=L4-N4", "Q": "=P4^2/2"}
ROW_1002 = {"C": "=TRAINING_INPUT", "D": "=C1002*TARGET_FACTOR", "F": "=C1002",
            "G": "=G1001-H1001*LEARNING_RATE", "H": "=J1002*F1002",
            "I": "=I1001-J1001*LEARNING_RATE", "J": "=P1002*(1-L1002^2)",
            "K": "=F1002*G1002+I1002", "L": "=TANH(K1002)", "N": "=D1002", "O": 1000,
            "P": "=L1002-N1002", "Q": "=P1002^2/2"}
INPUT_CELLS = {"A2": ("LEARNING_RATE", 0.1), "A5": ("TRAINING_INPUT", 0.01),
               "A8": ("TARGET_FACTOR", 10), "A11": ("INITIAL_WEIGHT", 0.5),
               "A14": ("INITIAL_BIAS", 0.5), "A17": ("LOSS_THRESHOLD", 1e-12)}
SUMMARY_CELLS = {
    "A21": ('=IFERROR(MATCH(TRUE(),Q3:Q1002<LOSS_THRESHOLD,0),"never")', 126),
    "A23": ("=L1002", 0.10000000000000005),
    "A25": ("=Q1002", 8.666684749742561e-34),
    "A27": ('=IF(Q1002<LOSS_THRESHOLD,"converged",IF(Q1002>Q3,"diverging","not converged"))',
            "converged"),
}


@pytest.fixture(scope="module")
def default_workbook(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("default") / "default.xlsx")


@pytest.fixture(scope="module")
def workbook(default_workbook):
    return load_workbook(default_workbook)


@pytest.fixture(scope="module")
def sheet(workbook):
    return workbook["Training"]


def test_sheets_in_order(workbook):
    assert workbook.sheetnames == ["Training", "Sweep", "Notes"]
    assert workbook.active.title == "Training"


def test_group_and_column_headers(sheet):
    assert [sheet[f"{c}1"].value for c in "ACFN"] == [
        "Learning rate", "Training", "Neuron", "Outputs"]
    assert [sheet.cell(2, col).value for col in range(3, 18)] == [
        "In", "Out", None, "Input", "Weight", "Weight gradient", "Bias", "Bias gradient",
        "Net", "Output", None, "Target", "Attempt", "Error", "Loss"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"C1:D1", "F1:L1", "N1:Q1"}


def test_spacer_columns_are_empty(sheet):
    for letter in "BEM":
        assert all(cell.value is None for cell in sheet[letter])


def test_every_input_is_a_named_validated_input_cell(sheet, workbook):
    validated = {str(ref) for rule in sheet.data_validations.dataValidation
                 for ref in rule.sqref.ranges}
    for cell, (name, value) in INPUT_CELLS.items():
        assert sheet[cell].value == value
        assert sheet[cell].fill.fgColor.rgb.endswith("FFCC99")
        assert workbook.defined_names[name].attr_text == f"Training!${cell[0]}${cell[1:]}"
        assert cell in validated
    assert sheet["A4"].value == "Training input" and sheet["A16"].value == "Loss threshold"
    rate_rule = next(dv for dv in sheet.data_validations.dataValidation if "A2" in str(dv.sqref))
    assert (rate_rule.type, rate_rule.formula1, rate_rule.formula2) == (
        "decimal", "-1000000.0", "1000000.0")


def test_summary_cells_are_formulas_with_the_references_results(sheet, default_workbook):
    stored = read_training_sheet(default_workbook).values.panel
    for cell, (formula, value) in SUMMARY_CELLS.items():
        found = sheet[cell].value
        assert getattr(found, "text", found) == formula
        assert stored[int(cell[1:])] == value
    assert sheet["A21"].value.ref == "A21"   # a legacy array formula, not a dynamic one
    assert summarize(train(Parameters()), 1e-12) == (
        0.10000000000000005, 8.666684749742561e-34, 126, "converged")


@pytest.mark.parametrize("row, expected", [(3, ROW_3), (4, ROW_4), (1002, ROW_1002)])
def test_cells_hold_the_articles_formulas(sheet, row, expected):
    assert {letter: sheet[f"{letter}{row}"].value for letter in expected} == expected


def test_no_rows_past_the_last_attempt(sheet):
    assert sheet.max_row == 1002
    assert sheet.max_column == 17


def test_every_row_between_follows_the_pattern(default_workbook):
    formulas = read_training_sheet(default_workbook).formulas.rows
    assert len(formulas) == 1000
    for row, cells in enumerate(formulas, start=3):
        for col in COLUMNS:
            if col.formula(row) is not None:
                assert cells[col.letter] == col.formula(row)
        assert cells["O"] == row - 2


def test_header_notes_point_to_the_notes_sheet(sheet):
    notes = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation
             if rule.type is None}
    for col in COLUMNS:
        note = notes[f"{col.letter}2"]
        assert note.showInputMessage and note.promptTitle == col.header
        assert note.prompt.startswith(col.meaning) and note.prompt.endswith("See the Notes sheet.")
    assert "Row 4: =G3-H3*LEARNING_RATE." in notes["G2"].prompt
    assert len(notes["G2"].prompt) <= 255    # Excel's limit for an input message


def test_panes_frozen_below_the_headers_and_columns_sized(sheet):
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["L"].width == 13
    assert sheet.column_dimensions["B"].width == 2


def test_number_formats(sheet):
    assert sheet["G4"].number_format == "0.000000000"
    assert sheet["Q4"].number_format == "0.000E+00"
    assert sheet["O4"].number_format == "0"
    assert sheet["A25"].number_format == "0.000E+00"


def test_print_setup(workbook):
    """Each sheet at a scale a class reads, chosen to fit what it prints one page wide: the
    table's first attempts, and its charts on a page of their own; the Sweep chart; the
    Notes. (tests/test_printed_pages.py measures the type in LibreOffice's PDF.)"""
    training, sweep_sheet, notes = (workbook[name] for name in workbook.sheetnames)
    for each in (training, sweep_sheet, notes):
        assert each.page_setup.orientation == "landscape"
        assert not each.sheet_properties.pageSetUpPr.fitToPage
        assert 60 <= int(each.page_setup.scale) <= 100
        assert "Page &P of &N" in each.oddFooter.right.text
        assert "learning rate 0.1 · input 0.01" in each.oddHeader.right.text
    # One range (Gnumeric takes no more), broken after the table: its charts print next.
    assert training.print_area == "'Training'!$A$1:$AL$48"
    assert [brk.id for brk in training.col_breaks.brk] == [17]
    assert training.oddFooter.center.text == "Attempts 1 to 46 of 1,000; all of them on screen"
    assert sweep_sheet.print_area == "'Sweep'!$AF$1:$AT$30"


def chart_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode() for name in sorted(package.namelist())
                if name.startswith("xl/charts/chart")}


def test_training_charts(default_workbook):
    charts = list(chart_xml(default_workbook).values())
    assert len(charts) == 5
    expected = [
        ("Loss falling", ["Q"]),
        ("Loss, log scale", ["Q"]),
        ("Output and target", ["L", "N"]),
        ("Weight and bias", ["G", "I"]),
    ]
    for xml, (title, letters) in zip(charts, expected):
        assert f"<a:t>{title}</a:t>" in xml
        refs = re.findall(r"<f>([^<]*)</f>", xml)
        assert refs == [ref for letter in letters for ref in (
            f"'Training'!${letter}$2", "'Training'!$O$3:$O$1002",
            f"'Training'!${letter}$3:${letter}$1002")]
        assert ("<a:t>Attempt, log scale</a:t>" if title != "Loss, log scale" else
                "<a:t>Attempt</a:t>") in xml
    assert '<logBase val="10"' in charts[1]
    assert '<min val="1e-35"' in charts[1] and '<max val="1"' in charts[1]


def test_sweep_chart_draws_every_rate(default_workbook):
    xml = list(chart_xml(default_workbook).values())[4]
    assert "<a:t>Loss at each learning rate, log scale</a:t>" in xml
    labels = re.findall(r"<tx><strRef><f>([^<]*)</f>", xml)
    assert labels == [f"'Sweep'!{sweep.rate_cell(block)}" for block in range(len(sweep.RATES))]
    assert "'Sweep'!$AD$3:$AD$1002" in xml


def test_charts_sit_beside_the_table(default_workbook):
    with zipfile.ZipFile(default_workbook) as package:
        drawing = package.read("xl/drawings/drawing1.xml").decode()
    anchors = re.findall(r"<from><col>(\d+)</col><colOff>\d+</colOff><row>(\d+)</row>", drawing)
    assert anchors == [("18", "1"), ("29", "1"), ("18", "21"), ("29", "21")]  # S2, AD2, …


def test_sweep_sheet_blocks(workbook, default_workbook):
    sheet = workbook["Sweep"]
    assert [sheet[sweep.rate_cell(b).replace("$", "")].value for b in range(6)] == [
        0.01, 0.1, 0.5, 1, 2, 5]
    assert [sheet.cell(2, c).value for c in range(1, 7)] == [
        "Attempt", "Weight", "Bias", "Output", "Loss", None]
    assert sheet["B3"].value == "=INITIAL_WEIGHT"
    assert sheet["B4"].value == "=B3-(D3-TRAINING_INPUT*TARGET_FACTOR)*(1-D3^2)*TRAINING_INPUT*$E$1"
    assert sheet["C4"].value == "=C3-(D3-TRAINING_INPUT*TARGET_FACTOR)*(1-D3^2)*$E$1"
    assert sheet["D4"].value == "=TANH(TRAINING_INPUT*B4+C4)"
    assert sheet["E4"].value == "=(D4-TRAINING_INPUT*TARGET_FACTOR)^2/2"
    assert sheet["AD1002"].value == "=(AC1002-TRAINING_INPUT*TARGET_FACTOR)^2/2"
    values = read_sheet_rows(default_workbook, "Sweep", sweep.COLUMNS, data_only=True)
    for block, run in enumerate(sweep.sweep_runs(Parameters())):
        letters = sweep.block_letters(block)
        for cells, attempt in zip(values, train(run), strict=True):
            assert [cells[letters[name]] for name in ("weight", "bias", "output", "loss")] == [
                attempt.weight, attempt.bias, attempt.output, attempt.loss]


def test_sweep_stops_at_a_thousand_attempts(tmp_path):
    rows = read_sheet_rows(generate(tmp_path / "w.xlsx", Parameters(attempts=1500)), "Sweep",
                           sweep.COLUMNS, data_only=True)
    assert len(rows) == 1000


def test_notes_explain_columns_maths_and_experiments(workbook):
    text = "\n".join(" ".join(str(v) for v in row if v is not None)
                     for row in workbook["Notes"].iter_rows(values_only=True))
    flat = " ".join(text.split())   # a long meaning wraps onto the rows below it
    for col in COLUMNS:
        assert col.meaning in flat
    assert "G Weight =G4-H4*LEARNING_RATE" not in text   # row 4's formulas, as text:
    assert "G Weight =G3-H3*LEARNING_RATE" in text
    assert "error × (1 − output²)" in text and "chain rule" in text
    assert "0.5 loss below 1e-12 from attempt 21 (converged)" in text
    assert "1 loss below 1e-12 from attempt 6 (converged)" in text
    assert "2 loss below 1e-12 from attempt 277 (converged)" in text
    assert "5 loss never below 1e-12 (diverging)" in text
    assert "50 loss never below 1e-12 (diverging)" in text
    shown = [cell for (cell,) in workbook["Notes"].iter_rows(min_col=3, max_col=3)
             if str(cell.value).startswith("=")]
    assert len(shown) > 10 and {cell.data_type for cell in shown} == {"s"}   # never evaluated


@pytest.mark.parametrize("parameters", [
    Parameters(),
    Parameters(learning_rate=-0.3, input=-2.5, target_factor=-1, weight=1e-3, bias=-4,
               attempts=17),
    Parameters(attempts=1),
    Parameters(attempts=2001),
], ids=["default", "odd", "one-attempt", "chunk-boundary"])
def test_stored_results_are_the_reference_exactly(tmp_path, parameters):
    assert_stores_reference(read_training_sheet(generate(tmp_path / "w.xlsx", parameters)),
                            parameters)


def assert_stores_reference(sheet, parameters):
    assert sheet.parameters() == parameters
    assert len(sheet.values.rows) == parameters.attempts
    for cells, attempt in zip(sheet.values.rows, train(parameters), strict=True):
        assert cells == {col.letter: getattr(attempt, col.field) for col in COLUMNS}
    summary = summarize(train(parameters), parameters.loss_threshold)
    for result in panel.SUMMARY:
        assert sheet.values.panel[result.row] == result.shown(summary)


def test_document_times_are_fixed(default_workbook):
    with zipfile.ZipFile(default_workbook) as package:
        core = package.read("docProps/core.xml").decode()
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in package.infolist())
    stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
    assert stamps == [("created", "2024-01-01T00:00:00Z"), ("modified", "2024-01-01T00:00:00Z")]


def test_same_options_give_the_same_bytes(tmp_path):
    first = generate(tmp_path / "a.xlsx").read_bytes()
    second = generate(tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_large_sheets_are_the_same_whether_formatted_in_one_process_or_two(tmp_path,
                                                                          monkeypatch):
    parameters = Parameters(attempts=45_000)
    shared = generate(tmp_path / "two.xlsx", parameters).read_bytes()
    monkeypatch.setattr("sheetgen.writing.parallel.SMALLEST_SHARED", 10**9)
    alone = generate(tmp_path / "one.xlsx", parameters).read_bytes()
    assert shared == alone


def test_portable_no_macros_no_volatile_functions_no_dynamic_arrays(default_workbook):
    with zipfile.ZipFile(default_workbook) as package:
        names = package.namelist()
        sheets = "".join(package.read(n).decode() for n in names
                         if n.startswith("xl/worksheets/sheet"))
    assert not [n for n in names if "vba" in n.lower() or n.endswith(".bin")]
    assert "xl/metadata.xml" not in names      # where dynamic arrays are declared
    functions = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", " ".join(
        re.findall(r"<f[^>]*>([^<]*)</f>", sheets))))
    assert functions == {"TANH", "IFERROR", "MATCH", "TRUE", "IF"}
    assert "_xlfn" not in sheets and ' cm="' not in sheets


class _FailingFile(io.BytesIO):
    """A file that fails once it holds `room` bytes, as a full disk does."""

    def __init__(self, room: int):
        super().__init__()
        self.room = room

    def write(self, data) -> int:
        if self.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_a_write_that_fails_midway_ends_the_helper_and_its_reader():
    """The file fails after a megabyte, while the helper is still ahead: the error comes
    through, within seconds, and no helper process or reader thread is left behind."""
    started = time.monotonic()
    with pytest.raises(OSError, match="No space left"):
        write_workbook(Parameters(attempts=200_000), _FailingFile(1 << 20))
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == []
    assert not [t for t in threading.enumerate() if t.name.startswith("sheetgen-")]
