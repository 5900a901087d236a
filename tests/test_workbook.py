"""The generated workbook as a file: layout, exact formulas, name, charts, stored results."""

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import generate
from sheetgen.columns import COLUMNS
from sheetgen.reading import read_training_sheet
from sheetgen.reference import Parameters, train

ROW_3 = {"C": 0.01, "D": "=C3*10", "F": "=C3", "G": 0.5, "H": "=J3*F3", "I": 0.5,
         "J": "=P3*(1-L3^2)", "K": "=F3*G3+I3", "L": "=TANH(K3)", "N": "=D3", "O": 1,
         "P": "=L3-N3", "Q": "=P3^2/2"}
ROW_4 = {"C": 0.01, "D": "=C4*10", "F": "=C4", "G": "=G3-H3*LEARNING_RATE", "H": "=J4*F4",
         "I": "=I3-J3*LEARNING_RATE", "J": "=P4*(1-L4^2)", "K": "=F4*G4+I4", "L": "=TANH(K4)",
         "N": "=D4", "O": 2, "P": "=L4-N4", "Q": "=P4^2/2"}
ROW_1002 = {"C": 0.01, "D": "=C1002*10", "F": "=C1002", "G": "=G1001-H1001*LEARNING_RATE",
            "H": "=J1002*F1002", "I": "=I1001-J1001*LEARNING_RATE", "J": "=P1002*(1-L1002^2)",
            "K": "=F1002*G1002+I1002", "L": "=TANH(K1002)", "N": "=D1002", "O": 1000,
            "P": "=L1002-N1002", "Q": "=P1002^2/2"}


@pytest.fixture(scope="module")
def default_workbook(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("default") / "default.xlsx")


@pytest.fixture(scope="module")
def sheet(default_workbook):
    return load_workbook(default_workbook)["Training"]


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


def test_learning_rate_is_an_input_cell_with_a_workbook_name(sheet, default_workbook):
    assert sheet["A2"].value == 0.1
    assert sheet["A2"].fill.fgColor.rgb.endswith("FFCC99")
    names = load_workbook(default_workbook).defined_names
    assert names["LEARNING_RATE"].attr_text == "Training!$A$2"
    assert names["LEARNING_RATE"].localSheetId is None


@pytest.mark.parametrize("row, expected", [(3, ROW_3), (4, ROW_4), (1002, ROW_1002)])
def test_cells_hold_the_articles_formulas(sheet, row, expected):
    assert {letter: sheet[f"{letter}{row}"].value for letter in expected} == expected


def test_no_rows_past_the_last_attempt(sheet):
    assert sheet.max_row == 1002
    assert sheet.max_column == 17


def test_every_row_between_follows_the_pattern(default_workbook):
    formulas = read_training_sheet(default_workbook).formulas
    for row, cells in enumerate(formulas, start=3):
        for col in COLUMNS:
            if col.formula(row) is not None:
                assert cells[col.letter] == col.formula(row)
        assert cells["O"] == row - 2


def test_panes_frozen_below_the_headers_and_columns_sized(sheet):
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["L"].width == 13
    assert sheet.column_dimensions["B"].width == 2


def test_number_formats(sheet):
    assert sheet["G4"].number_format == "0.000000000"
    assert sheet["Q4"].number_format == "0.000E+00"
    assert sheet["O4"].number_format == "0"


def chart_xml(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        names = sorted(n for n in package.namelist() if n.startswith("xl/charts/chart"))
        return [package.read(n).decode() for n in names]


def test_loss_charts_plot_every_attempt(default_workbook):
    charts = chart_xml(default_workbook)
    assert len(charts) == 2
    for xml in charts:
        assert "<scatterChart>" in xml
        assert re.findall(r"<f>([^<]*)</f>", xml) == [
            "'Training'!$O$3:$O$1002", "'Training'!$Q$3:$Q$1002"]
        assert "<a:t>Attempt</a:t>" in xml and "<a:t>Loss</a:t>" in xml
    assert "<a:t>Loss falling over the attempts</a:t>" in charts[0]
    assert '<logBase val="10"' in charts[1]


def test_charts_sit_beside_the_table(default_workbook):
    with zipfile.ZipFile(default_workbook) as package:
        drawing = package.read("xl/drawings/drawing1.xml").decode()
    columns = [int(c) for c in re.findall(r"<from><col>(\d+)</col>", drawing)]
    assert columns == [18, 18]   # column S, right of Loss in Q


RUST = Parameters(learning_rate=0.01, attempts=100_001)


@pytest.fixture(scope="module")
def rust_sheet(tmp_path_factory):
    return read_training_sheet(generate(tmp_path_factory.mktemp("rust") / "rust.xlsx", RUST))


@pytest.mark.parametrize("parameters", [
    Parameters(),
    Parameters(learning_rate=-0.3, input=-2.5, weight=1e-3, bias=-4, attempts=17),
], ids=["default", "odd"])
def test_stored_results_are_the_reference_exactly(tmp_path, parameters):
    assert_stores_reference(read_training_sheet(generate(tmp_path / "w.xlsx", parameters)),
                            parameters)


def test_rust_preset_stores_the_reference_exactly(rust_sheet):
    assert_stores_reference(rust_sheet, RUST)


def assert_stores_reference(sheet, parameters):
    assert sheet.learning_rate == parameters.learning_rate
    assert len(sheet.values) == parameters.attempts
    for cells, attempt in zip(sheet.values, train(parameters), strict=True):
        assert cells == {col.letter: getattr(attempt, col.field) for col in COLUMNS}


def test_rust_preset_last_row_stores_the_articles_output(rust_sheet):
    sheet = rust_sheet
    last = sheet.values[-1]
    assert last["O"] == 100_001
    assert last["L"] == 0.1000000000000007
    assert sheet.formulas[-1]["L"] == "=TANH(K100003)"


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


def test_portable_no_macros_no_volatile_functions_no_dynamic_arrays(default_workbook):
    with zipfile.ZipFile(default_workbook) as package:
        names = package.namelist()
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert not [n for n in names if "vba" in n.lower() or n.endswith(".bin")]
    functions = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", " ".join(
        re.findall(r"<f>([^<]*)</f>", sheet_xml))))
    assert functions == {"TANH"}
    assert "t=\"array\"" not in sheet_xml and "_xlfn" not in sheet_xml
