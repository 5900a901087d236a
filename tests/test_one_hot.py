"""Data as people have it: targets written one-hot (Keras's `to_categorical`, pandas'
`get_dummies`), and the column names a file gives, kept on every sheet that names an input."""

import openpyxl
import pytest
from helpers import xlsx_file
from test_cli import ONE_HOT

from sheetgen import api
from sheetgen.errors import InputError
from sheetgen.inputs.data_files import read_data
from sheetgen.maths.datasets import BUILT_IN, CLASSES
from sheetgen.maths.shape import Sample

SOFTMAX = dict(activation="tanh,softmax", loss="cross-entropy")
FLOWER_NAMES = ("sepal length", "sepal width", "petal length", "petal width")


def test_a_one_hot_block_is_read_as_the_targets_and_names_the_classes(tmp_path):
    path = tmp_path / "onehot.csv"
    path.write_text(ONE_HOT)
    for layers in ((4, 5, 3), None):   # given, or left to the data under a softmax output
        found = read_data(path, layers=layers, labels=True)
        assert found.sizes == (layers or (4, 3))
        assert found.classes == ("setosa", "versicolor", "virginica")
        assert found.names == FLOWER_NAMES
        assert found.samples == (Sample((5.1, 3.5, 1.4, 0.2), (1.0, 0.0, 0.0)),
                                 Sample((7.0, 3.2, 4.7, 1.4), (0.0, 1.0, 0.0)),
                                 Sample((6.3, 3.3, 6.0, 2.5), (0.0, 0.0, 1.0)))


def test_a_tanh_output_reads_a_one_hot_block_with_its_own_low_target(tmp_path):
    path = tmp_path / "onehot.csv"
    path.write_text(ONE_HOT)
    found = read_data(path, layers=(4, 3), low=-1.0)
    assert found.classes == ("setosa", "versicolor", "virginica")
    assert found.samples[1].targets == (-1.0, 1.0, -1.0)


def test_zeros_and_ones_that_are_not_one_hot_stay_numbers_under_a_sigmoid(tmp_path):
    """Several labels a sample (multi-label targets) are numbers, not classes."""
    path = tmp_path / "tags.csv"
    path.write_text("x1,x2,red,round\n1,2,1,1\n3,4,0,1\n5,6,0,0\n")
    found = read_data(path, layers=(2, 2))
    assert found.classes == () and found.samples[0].targets == (1.0, 1.0)


def test_labels_in_one_column_keep_working_beside_zero_one_inputs(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("x1,x2,kind\n1,0,0\n0,1,1\n1,1,2\n")
    found = read_data(path, labels=True)
    assert found.sizes == (2, 3) and found.classes == ("0", "1", "2")


def test_a_block_meant_as_one_hot_with_a_bad_row_is_refused_without_layers(tmp_path):
    rows = ["1,2,1,0,0", "3,4,0,1,0", "5,6,0,0,1"] * 4 + ["7,8,0,0,0"]
    path = tmp_path / "nearly.csv"
    path.write_text("x1,x2,a,b,c\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError) as caught:
        read_data(path, labels=True)
    assert str(caught.value) == (
        "nearly.csv, line 14: the one-hot targets (column 3 to column 5) sum to 0; each "
        "row's must sum to 1, a 1 in its class's column and 0 in the others")


def test_an_xlsx_one_hot_block_and_its_names(tmp_path):
    rows = [["size", "weight", "cat", "dog"], [1, 2, 1, 0], [3, 4, 0, 1]]
    found = read_data(xlsx_file(tmp_path / "pets.xlsx", {"Pets": rows}), labels=True)
    assert (found.classes, found.names) == (("cat", "dog"), ("size", "weight"))
    assert found.samples[1] == Sample((3.0, 4.0), (0.0, 1.0))


def test_a_test_file_must_name_the_datas_classes_in_order(tmp_path):
    (tmp_path / "train.csv").write_text(ONE_HOT)
    swapped = ONE_HOT.replace("setosa,versicolor", "versicolor,setosa", 1)
    (tmp_path / "test.csv").write_text(swapped)
    with pytest.raises(InputError) as caught:
        api.network_run(data=tmp_path / "train.csv", test=tmp_path / "test.csv",
                        layers="4,5,3", **SOFTMAX)
    assert str(caught.value) == (
        'argument --test: test.csv: its one-hot columns name the classes "versicolor", '
        '"setosa", "virginica", and the data\'s are "setosa", "versicolor", "virginica", '
        "in that order")


def _iris_csv(path, one_hot: bool) -> None:
    """The built-in iris flowers as a file: the species in one column, or one-hot."""
    header = [*FLOWER_NAMES, *(CLASSES["iris"] if one_hot else ("species",))]
    lines = [",".join(header)]
    for sample in BUILT_IN["iris"]:
        species = CLASSES["iris"][sample.targets.index(1.0)]
        targets = [f"{t:g}" for t in sample.targets] if one_hot else [species]
        lines.append(",".join([*map(repr, sample.inputs), *targets]))
    path.write_text("\n".join(lines) + "\n")


def _training_values(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path, data_only=True, read_only=True)["Training"]
    return list(sheet.iter_rows(values_only=True))


def test_one_hot_iris_computes_what_labelled_iris_does_in_every_row(tmp_path):
    written = {}
    for one_hot in (False, True):
        data = tmp_path / f"iris_{one_hot}.csv"
        _iris_csv(data, one_hot)
        written[one_hot] = tmp_path / f"iris_{one_hot}.xlsx"
        api.network(written[one_hot], data=data, layers="4,5,3", attempts=6, seed=3,
                    standardize=True, **SOFTMAX)
    labelled, one_hot = (_training_values(written[kind]) for kind in (False, True))
    assert len(labelled) == 2 + 6 and labelled == one_hot
    assert labelled[1][6:13] == ("x1 sepal length", "x2 sepal width", "x3 petal length",
                                 "x4 petal width", "t setosa", "t versicolor", "t virginica")


def test_the_column_names_reach_the_data_sheet_and_the_notes(tmp_path):
    data = tmp_path / "onehot.csv"
    data.write_text(ONE_HOT)
    target = tmp_path / "w.xlsx"
    api.network(target, data=data, layers="4,5,3", attempts=3, **SOFTMAX)
    book = openpyxl.load_workbook(target)
    data_rows = list(book["Data"].iter_rows(values_only=True))
    assert ("Sample", "x1 sepal length", "x2 sepal width", "x3 petal length", "x4 petal width",
            "t setosa", "t versicolor", "t virginica", "class") in [r[:9] for r in data_rows]
    notes = [cell for row in book["Notes"].iter_rows(values_only=True) for cell in row if cell]
    assert any(str(cell).startswith("x1, x2 … are the inputs (x1 sepal length, x2 sepal "
                                    "width, x3 petal length, x4 petal width), the output "
                                    "neurons are named after their classes")
               for cell in notes)


def test_a_column_named_as_its_label_is_not_named_twice(tmp_path):
    data = tmp_path / "xy.csv"
    data.write_text("X1,height,t\n0,0,0\n1,1,1\n")
    target = tmp_path / "w.xlsx"
    api.network(target, data=data, layers="2,1", attempts=2)
    row = next(openpyxl.load_workbook(target)["Training"].iter_rows(min_row=2, max_row=2,
                                                                       values_only=True))
    first = row.index("x1")
    assert row[first:first + 3] == ("x1", "x2 height", "t1")
