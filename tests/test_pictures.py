"""The Pictures sheet without an engine: its exact formulas (a weight's pixel, a gallery's
answer, a confusion count, the samples' shared rows); its stored results against a forward
pass written out here in numpy; reading it back; which runs have one; and --show-attempt for
a run of pictures."""

import re
import zipfile

import numpy as np
import pytest
from helpers import assert_network_refused, sheet_part
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths.fields import parameter_field
from sheetgen.maths.training import train
from sheetgen.maths.shape import Parameter
from sheetgen.sheets.boundary import Picture, has_boundary
from sheetgen.sheets.network_data import typed_cells
from sheetgen.sheets.network_sheet import describe
from sheetgen.sheets.classified import has_pictures
from sheetgen.sheets.pictures import describe_pictures
from sheetgen.sheets.pictures_cells import pictures_values

DIGITS = dict(data="digits", samples=20, test_fraction=0.25, layers=(64, 3, 10),
              activation=("tanh", "softmax"), loss="cross-entropy", attempts=6,
              learning_rate=0.5)


def digits_workbook(tmp_path, shown=4, **options):
    path = tmp_path / "d.xlsx"
    options = {**DIGITS, **options}
    api.network(path, show_attempt=shown, **options)
    return path, api.network_run(**options)


def test_the_formulas_read_the_shown_attempt(tmp_path):
    path, run = digits_workbook(tmp_path)
    pictures, sheet = describe_pictures(run, 4), describe(run)
    ws = load_workbook(path)["Pictures"]
    assert (ws["B3"].value, ws["B4"].value) == (4, "8x8")
    # The table of the shown attempt's parameters, read from the Training sheet by INDEX.
    assert pictures.parameter_cell(Parameter(1, 1, 9)) == "$BE$52"
    weight = sheet.letter(parameter_field(Parameter(1, 1, 9)))
    assert ws["BE52"].value == f"=INDEX(Training!${weight}$3:${weight}$8,SHOW_ATTEMPT)"
    # h2's picture: pixel 9 is row 2, column 2 of its 8×8.
    h2 = pictures.weights[1]
    assert (h2.title, pictures.pixel(h2, 9)) == ("h2", (12, 12))
    assert ws["L12"].value == "=$BE$52"
    assert ws["B5"].value == "=MAX(MAX($AV$51:$DG$53),-MIN($AV$51:$DG$53))"
    # The gallery's second image: test 2, the samples' table's row 85.
    second = pictures.gallery[1]
    assert pictures.point_row(pictures.gallery_index(1)) == 85
    top, left = pictures.pixel(second, 0)
    assert ws.cell(top, left).value == f"=Data!${typed_cells(run, True)[1][0][0]}$" + \
        typed_cells(run, True)[1][0][1:]
    assert ws["K30"].value == "=$AX$85" and ws["O30"].value == "=$BA$85"
    assert ws["K31"].value == '=IF($AZ$85=1,"✓","✗ is "&$AV$85)'
    # Class 3 taken for class 5, over every training and test sample.
    assert pictures.matrix_cell(3, 5) == (37, 10)
    assert ws["J37"].value == "=COUNTIFS($AW$69:$AW$88,3,$AY$69:$AY$88,5)"
    assert (ws["B46"].value, ws["B47"].value) == ("=SUM($AZ$69:$AZ$83)", "=SUM($AZ$84:$AZ$88)")


def test_the_samples_rows_share_each_columns_formula(tmp_path):
    """Only each block's first row holds its columns' formulas, with relative references to
    the Data sheet's row; the training block and the test block each share theirs."""
    path, run = digits_workbook(tmp_path)
    with zipfile.ZipFile(path) as package:
        xml = package.read(sheet_part(package, "Pictures")).decode()
    assert re.search(r'<c r="AW69" s="\d+"><f t="shared" ref="AW69:AW83" si="1">'
                     r'MATCH\(AV69,Data!\$D\$3:\$M\$3,0\)</f>', xml)
    assert re.search(r'<c r="BB69" s="\d+"><f t="shared" ref="BB69:BB83" si="\d+">TANH\(Data!B8'
                     r'\*\$AV\$51\+Data!C8\*\$AW\$51\+', xml)
    assert re.search(r'<c r="BB70" s="\d+"><f t="shared" si="\d+"/><v>', xml)
    test_first = typed_cells(run, True)[0][0]
    assert re.search(f'<c r="BB84" s="\\d+"><f t="shared" ref="BB84:BB88" si="\\d+">'
                     f'TANH\\(Data!{test_first}\\*', xml)
    assert all(len(formula) <= 8192 for formula in re.findall(r"<f[^>]*>([^<]*)</f>", xml))


def numpy_forward(run, weights, biases, inputs):
    """The hidden layer's tanh, the output layer's softmax, written out apart."""
    hidden = np.tanh(np.array(weights[0]) @ np.array(inputs) + np.array(biases[0]))
    nets = np.array(weights[1]) @ hidden + np.array(biases[1])
    powers = np.exp(nets - nets.max())
    return hidden, powers / powers.sum()


def test_the_stored_results_are_the_forward_pass_at_the_shown_attempt(tmp_path):
    path, run = digits_workbook(tmp_path)
    pictures = describe_pictures(run, 4)
    shown = list(train(run))[3]
    ws = load_workbook(path, data_only=True)["Pictures"]
    samples = run.samples + run.tests
    said = []
    for index, sample in enumerate(samples):
        hidden, probabilities = numpy_forward(run, shown.weights, shown.biases, sample.inputs)
        row = pictures.point_row(index)
        for j, value in enumerate(hidden):
            column = pictures.neuron_columns[1, j]
            assert ws.cell(row, column).value == pytest.approx(value, rel=1e-13, abs=1e-15)
        assert ws.cell(row, pictures.column("sure")).value == pytest.approx(
            probabilities.max(), rel=1e-13)
        said.append(int(probabilities.argmax()) + 1)
        assert ws.cell(row, pictures.column("said")).value == said[-1]
        assert ws.cell(row, pictures.column("says")).value == run.classes[said[-1] - 1]
    true = [int(np.argmax(sample.targets)) + 1 for sample in samples]
    counts = {(t, s): 0 for t in range(1, 11) for s in range(1, 11)}
    for pair in zip(true, said):
        counts[pair] += 1
    assert {pair: ws.cell(*pictures.matrix_cell(*pair)).value for pair in counts} == counts
    assert ws["B46"].value + ws["B47"].value == sum(t == s for t, s in zip(true, said))
    first = [w for neuron in shown.weights[0] for w in neuron]
    assert ws["B5"].value == max(abs(w) for w in first)
    # The gallery shows the test images as typed, and each one's answer.
    g = pictures.gallery[2]
    assert [ws.cell(*pictures.pixel(g, i)).value for i in range(64)] == list(
        run.tests[2].inputs)
    answer = ws.cell(g.top + 8, g.left).value
    assert answer == run.classes[said[len(run.samples) + 2] - 1]
    right = true[len(run.samples) + 2] == said[len(run.samples) + 2]
    assert ws.cell(g.top + 9, g.left).value == (
        "✓" if right else f"✗ is {run.classes[true[len(run.samples) + 2] - 1]}")
    # Every formula's stored result is the reference's.
    expected = pictures_values(pictures, describe(run), shown.weights, shown.biases)
    assert len(expected) > 1200
    assert [cell for cell, value in expected.items() if ws[cell].value != value] == []


def test_without_a_hidden_layer_each_class_has_its_picture_and_no_test_set_shows_training(
        tmp_path):
    path, run = digits_workbook(tmp_path, shown=2, layers=(64, 10), activation=("softmax",),
                                test_fraction=None)
    pictures = describe_pictures(run, 2)
    assert [tile.title for tile in pictures.weights] == list(run.classes)
    assert len(pictures.gallery) == 20 and not pictures.gallery_held_out
    ws = load_workbook(path)["Pictures"]
    assert ws["A9"].value.startswith("What each class looks for")
    (row,) = pictures.accuracy_rows
    assert ws[f"A{row}"].value == "Training right" and ws[f"A{row + 1}"].value.startswith(
        "Not printed")


def test_the_notes_say_how_to_redraw_the_pictures(tmp_path):
    path, run = digits_workbook(tmp_path)
    notes = " ".join(str(cell.value) for row in load_workbook(path)["Notes"].iter_rows()
                     for cell in row if cell.value)
    assert "The pictures" in notes and "Type an attempt into B3 (named SHOW_ATTEMPT)" in notes
    assert "typing a pixel on the Data sheet redraws its image" in notes


def test_reading_back_the_shown_attempt_and_the_pictures_size(tmp_path):
    path, run = digits_workbook(tmp_path)
    found = read_network_workbook(path)
    assert found.picture == Picture(shown=4)
    assert found.run.network.image == (8, 8) and has_pictures(found.run)


def test_which_runs_have_a_pictures_sheet(tmp_path):
    assert has_pictures(api.network_run(**DIGITS))
    assert not has_boundary(api.network_run(**DIGITS))
    assert not has_pictures(api.network_run(data="xor"))
    assert not has_pictures(api.network_run(data="iris"))
    api.network(tmp_path / "x.xlsx", data="xor", attempts=2)
    assert "Pictures" not in load_workbook(tmp_path / "x.xlsx").sheetnames
    api.network(tmp_path / "d.xlsx", **DIGITS)
    names = load_workbook(tmp_path / "d.xlsx").sheetnames
    assert "Pictures" in names and "Boundary" not in names
    assert load_workbook(tmp_path / "d.xlsx")["Pictures"]["B3"].value == 6


@pytest.mark.parametrize("args, message", [
    (["--data", "digits", "--samples", "20", "--layers", "64,10", "--activation", "softmax",
      "--loss", "cross-entropy", "--attempts", "5", "--grid", "10"],
     "argument --grid: is for the Boundary sheet, which draws samples that are points of the "
     "plane (two inputs, and classes or one target), and the data's samples have 64 input(s)"),
    (["--data", "digits", "--samples", "20", "--layers", "64,10", "--activation", "softmax",
      "--loss", "cross-entropy", "--attempts", "5", "--show-attempt", "6"],
     "argument --show-attempt: 6 is past the run's 5 attempts"),
])
def test_bad_pictures_options_are_one_line_exit_2_and_no_file(tmp_path, monkeypatch, capsys,
                                                              args, message):
    monkeypatch.chdir(tmp_path)
    assert_network_refused(args, message, tmp_path, capsys)
