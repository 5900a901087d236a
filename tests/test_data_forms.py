"""Data as spreadsheets save it: CSV files with commas, semicolons or tabs and decimal commas,
.xlsx workbooks, class labels made one-hot, and the built-in iris set."""

from collections import Counter
from pathlib import Path

import pytest
from helpers import xlsx_file
from test_cli import BAD_INPUT, FLOWERS, write_data_files

import sheetgen
from sheetgen import api
from sheetgen.cli import main
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.errors import InputError
from sheetgen.inputs.data_files import Data, read_data
from sheetgen.maths.datasets import BUILT_IN, CLASSES, DEFAULT_LAYERS, class_targets
from sheetgen.maths import iris
from sheetgen.maths.shape import Sample


# The iris set.

def test_iris_is_scikit_learns_150_flowers():
    samples = BUILT_IN["iris"]
    assert len(samples) == len(iris.FLOWERS) == 150
    assert [round(sum(s.inputs[i] for s in samples), 6) for i in range(4)] == [
        876.5, 458.6, 563.7, 179.9]
    assert Counter(s.targets for s in samples) == {(1.0, 0.0, 0.0): 50, (0.0, 1.0, 0.0): 50,
                                                   (0.0, 0.0, 1.0): 50}
    assert samples[0] == Sample((5.1, 3.5, 1.4, 0.2), (1.0, 0.0, 0.0))
    assert samples[-1] == Sample((5.9, 3.0, 5.1, 1.8), (0.0, 0.0, 1.0))
    # Flowers 35 and 38, where scikit-learn's copy differs from others (UCI's, R's).
    assert samples[34].inputs == (4.9, 3.1, 1.5, 0.2)
    assert samples[37].inputs == (4.9, 3.6, 1.4, 0.1)
    assert all(type(v) is float for s in samples for v in s.inputs + s.targets)


def test_iris_classes_and_layers():
    assert CLASSES["iris"] == ("setosa", "versicolor", "virginica")
    assert iris.SPECIES == CLASSES["iris"]
    assert DEFAULT_LAYERS["iris"] == (4, 3)


def test_class_targets_are_one_hot_or_one_output_for_two_classes():
    assert class_targets(1, 3) == (0.0, 1.0, 0.0)
    assert class_targets(0, 2) == (1.0, 0.0)
    assert class_targets(0, 1) == (0.0,) and class_targets(1, 1) == (1.0,)


# CSV files as spreadsheets save them.

def data(tmp_path: Path, name: str, content: str | bytes, **options) -> Data:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return read_data(path, **options)


def refusal(call, *args, **options) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **options)
    assert "\n" not in str(caught.value)
    return str(caught.value)


POINTS = (Sample((0.5, 1.0), (-2.5,)), Sample((1.0, 0.25), (3.0,)))


@pytest.mark.parametrize("text", [
    "x1;x2;t\n0,5;1;-2,5\n1;0.25;3\n",                  # semicolons, decimal commas and points
    "x1\tx2\tt\n0,5\t1\t-2,5\n1\t0,25\t3,0\n",          # tabs
    '"x1";"x2";"t"\r\n"0,5";"1";"-2,5"\r\n1;",25";3\r\n',  # quoted, CRLF
    "\ufeffx1,x2,t\r\n0.5,1,-2.5\r\n1,.25,3\r\n",         # a byte order mark and CRLF
    '"x1,a";x2;t\n0,5;1;-2,5\n1;0,25;3\n',               # a comma inside quotes is no separator
])
def test_csv_separators_and_decimal_commas(tmp_path, text):
    names = ("x1,a" if text.startswith('"x1,a"') else "x1", "x2")
    assert data(tmp_path, "points.csv", text) == Data((2, 1), POINTS, (), names)


def test_the_separator_is_the_header_lines_most_frequent(tmp_path):
    assert data(tmp_path, "d.csv", "a;b;c,d\n1;2;3,5\n").samples == (Sample((1.0, 2.0),
                                                                           (3.5,)),)
    assert refusal(data, tmp_path, "t.csv", "a;b\tc\n1;2\t3\n") == (
        "t.csv: the separator cannot be found: the header line holds as many semicolons and "
        "tabs (1 each); separate its cells with one of them only")


def test_a_header_without_separators_is_one_column(tmp_path):
    assert refusal(data, tmp_path, "one.csv", "x t\n1 2\n") == (
        "one.csv has 1 column; it needs at least 2, the inputs then the target, separated "
        "by commas")


# Class labels.

def test_text_labels_become_one_hot_targets_in_sorted_order(tmp_path):
    found = data(tmp_path, "f.csv", "a,b,species\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n"
                                    "7,8,setosa\n")
    assert found == Data((2, 3), (Sample((1.0, 2.0), (0.0, 0.0, 1.0)),
                                  Sample((3.0, 4.0), (1.0, 0.0, 0.0)),
                                  Sample((5.0, 6.0), (0.0, 1.0, 0.0)),
                                  Sample((7.0, 8.0), (1.0, 0.0, 0.0))),
                         ("setosa", "versicolor", "virginica"), ("a", "b"))
    # Python's order of strings: capitals first.
    assert data(tmp_path, "g.csv", "x;k\n1;b\n2;B\n3;a\n").classes == ("B", "a", "b")


def test_two_classes_to_one_output_are_0_and_1(tmp_path):
    found = data(tmp_path, "b.csv", "x,kind\n1,spam\n2,ham\n3,spam\n", layers=(1, 3, 1))
    assert found == Data((1, 3, 1), (Sample((1.0,), (1.0,)), Sample((2.0,), (0.0,)),
                                     Sample((3.0,), (1.0,))), ("ham", "spam"), ("x",))
    two = data(tmp_path, "b.csv", "x,kind\n1,spam\n2,ham\n3,spam\n")
    assert two.sizes == (1, 2) and two.samples[0].targets == (0.0, 1.0)


def test_whole_number_labels_where_the_output_layer_needs_them(tmp_path):
    text = "x;class\n1;10\n2;2\n3;-1\n4;2,0\n5;1e1\n"
    found = data(tmp_path, "n.csv", text, labels=True)
    assert found.classes == ("-1", "2", "10")   # numerically, written without .0
    assert [s.targets for s in found.samples] == [(0.0, 0.0, 1.0), (0.0, 1.0, 0.0),
                                                  (1.0, 0.0, 0.0), (0.0, 1.0, 0.0),
                                                  (0.0, 0.0, 1.0)]
    # Without labels asked for, numbers are numeric targets, as ever.
    assert data(tmp_path, "n.csv", text).samples[0] == Sample((1.0,), (10.0,))
    assert refusal(data, tmp_path, "h.csv", "x;class\n1;1\n2;1,5\n", labels=True) == (
        'h.csv, line 3, column 2 ("class"): "1,5" is not a whole number, and class labels '
        "written as numbers must be")


def test_a_softmax_output_layer_reads_whole_numbers_as_labels(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("x,class\n1,3\n2,1\n")
    run = api.network_run(data=path, activation="softmax", loss="cross-entropy")
    assert (run.network.sizes, run.classes) == ((1, 2), ("1", "3"))
    assert [s.targets for s in run.samples] == [(0.0, 1.0), (1.0, 0.0)]


def test_text_among_numbers_is_not_a_number(tmp_path):
    assert refusal(data, tmp_path, "m.csv", "x,t\n1,2\n2,3\n3,abc\n") == (
        'm.csv, line 4, column 2 ("t"): "abc" is not a number')
    assert refusal(data, tmp_path, "e.csv", "x,t\n1,a\n2,b\n3,\n") == (
        'e.csv, line 4, column 2 ("t"): the cell is empty')


def test_labels_reach_the_run(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("a,b,species\n1,2,virginica\n3,4,setosa\n")
    run = api.network_run(data=path, layers="2,3,1", attempts=5)
    assert (run.network.sizes, run.classes) == ((2, 3, 1), ("setosa", "virginica"))
    # A tanh output says no at −1, where a sigmoid's says it at 0.
    assert [s.targets for s in run.samples] == [(1.0,), (-1.0,)]
    sigmoid = api.network_run(data=path, layers="2,3,1", activation="tanh,sigmoid")
    assert [s.targets for s in sigmoid.samples] == [(1.0,), (0.0,)]
    assert api.network_run(data="iris").classes == ("setosa", "versicolor", "virginica")
    assert api.network_run(data="iris").network.sizes == (4, 3)
    assert api.network_run(data="xor").classes == ()


# .xlsx workbooks.

def test_xlsx_values_and_a_sheet_by_name(tmp_path):
    path = xlsx_file(tmp_path / "f.xlsx", {
        "Notes": [["not", "data"]],
        "Flowers": [["x1", "x2", "species", None], [], [1, 2.5, "setosa"],
                    [-3, 4, " virginica "], [None, None, None, None]]})
    found = read_data(path, "Flowers")
    assert found == Data((2, 2), (Sample((1.0, 2.5), (1.0, 0.0)),
                                  Sample((-3.0, 4.0), (0.0, 1.0))), ("setosa", "virginica"),
                         ("x1", "x2"))
    assert all(type(v) is float for s in found.samples for v in s.inputs)
    assert refusal(read_data, path) == "f.xlsx, sheet Notes has a header (row 1) but no data rows"


def test_xlsx_formulas_read_their_stored_results(tmp_path):
    path = xlsx_file(tmp_path / "f.xlsx", {"Data": [["x", "t"], [1, "=A2*2"], [2, "=A3*2"]]},
                     stored={"B2": "2", "B3": "4.5"})
    assert read_data(path).samples == (Sample((1.0,), (2.0,)), Sample((2.0,), (4.5,)))
    path = xlsx_file(tmp_path / "g.xlsx", {"Data": [["x", "t"], [1, "=A2*2"], [2, "=A3*2"]]},
                     stored={"B2": "2"})
    assert refusal(read_data, path) == (
        "g.xlsx, sheet Data, cell B3: the cell has a formula but no stored result; open the "
        "file in a spreadsheet program and save it, then try again")


def test_xlsx_refusals_name_the_cell(tmp_path):
    rows = [["x", "t"], [1, 2], [None, 3]]
    assert refusal(read_data, xlsx_file(tmp_path / "a.xlsx", {"S": rows})) == (
        "a.xlsx, sheet S, cell A3: the cell is empty")
    rows = [["x", "t", "u"], [1, 2, 3], [True, 2, 3]]
    assert refusal(read_data, xlsx_file(tmp_path / "b.xlsx", {"S": rows})) == (
        'b.xlsx, sheet S, cell A3: "TRUE" is not a number')
    rows = [["x", "t"], [1, 2], [3, 4, 5]]
    assert refusal(read_data, xlsx_file(tmp_path / "c.xlsx", {"S": rows})) == (
        "c.xlsx, sheet S, row 3 has 3 cells; the header (row 1) has 2")
    path = xlsx_file(tmp_path / "d.xlsx", {"S": [["x", "t"], [1, "=1/0"]]}, stored={"B2": "1e400"})
    assert refusal(read_data, path) == (
        'd.xlsx, sheet S, cell B2: "inf" is not a finite number (NaN and infinity are not '
        "allowed)")
    assert refusal(read_data, xlsx_file(tmp_path / "e.xlsx", {"S": [[1, 2], [3, 4]]})) == (
        "e.xlsx, sheet S has no header row: row 1 holds numbers; add a first row naming the "
        "columns (like x1,x2,target)")
    assert refusal(read_data, xlsx_file(tmp_path / "f.xlsx", {"S": [[None], []]})) == (
        "f.xlsx, sheet S is empty")
    assert refusal(read_data, tmp_path / "none.xlsx") == (
        f"cannot read {tmp_path / 'none.xlsx'}: there is no such file")


# The command line and the API: the same refusals, the same messages.

def api_options(argv: list[str]) -> tuple[str, dict[str, str]]:
    """The API's function and options for a command line of `sheetgen [handout] network`."""
    kind = "network_handout" if argv[0] == "handout" else "network"
    flags = argv[argv.index("network") + 1:]
    return kind, {flag.removeprefix("--").replace("-", "_"): value
                  for flag, value in zip(flags[::2], flags[1::2])}


DATA_REFUSALS = [(args, message) for args, message in BAD_INPUT if "network" in args]


@pytest.mark.parametrize("args, message", DATA_REFUSALS,
                         ids=[" ".join(a) for a, _ in DATA_REFUSALS])
def test_the_api_refuses_data_with_the_command_lines_message(tmp_path, monkeypatch, args,
                                                             message):
    write_data_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    kind, options = api_options(args)
    assert refusal(getattr(api, kind), **options) == message
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("args, message", [
    (["--data", "nowhere"], "argument --data: must be one of article, xor, and, or, line, "
                            "iris, digits, circle, gauss, spiral, quadrants or a .csv or .xlsx "
                            "file, not 'nowhere'"),
    (["--data", "f.xlsx", "--data-sheet", ""],
     "argument --data-sheet: must be the name of a sheet, not ''"),
    (["--data", "digits", "--image", "8"],
     "argument --image: must be W×H, a picture's width and height in pixels like 8x8, not "
     "'8'"),
    (["--data", "digits", "--image", "0x8"],
     "argument --image: must be at least 1 pixel each way, not '0x8'"),
])
def test_option_refusals(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["network", *args, "-o", str(tmp_path / "w.xlsx")])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"sheetgen network: error: {message}\n"
    assert refusal(sheetgen.network, tmp_path / "w.xlsx", **api_options(["network", *args])[1]
                   ) == message
    assert list(tmp_path.iterdir()) == []


def test_an_xlsx_file_writes_a_workbook(tmp_path):
    data_file = xlsx_file(tmp_path / "f.xlsx", {"Notes": [["n"]], "Flowers": FLOWERS})
    target = tmp_path / "w.xlsx"
    assert main(["network", "--data", str(data_file), "--data-sheet", "Flowers",
                 "--layers", "2,1", "--attempts", "3", "-o", str(target), "-q"]) == 0
    run = api.network_run(data=data_file, data_sheet="Flowers", layers="2,1", attempts=3)
    assert run.samples == (Sample((1.0, 2.0), (-1.0,)), Sample((3.0, 4.0), (1.0,)))
    assert read_network_workbook(target).run.samples == run.samples
