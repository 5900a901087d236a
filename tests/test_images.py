"""Pictures as inputs: the built-in digits' 8×8, and --image W×H for a file's pixels."""

import openpyxl
import pytest

from sheetgen import InputError, api
from sheetgen.maths.summary import summarize_run


def _letters(path, width: int, height: int) -> None:
    """Two letters of W×H pixels, a row each: an L and a T, 0 or 1 a pixel."""
    def letter(lit) -> list[str]:
        return ["1" if lit(r, c) else "0" for r in range(height) for c in range(width)]
    rows = [letter(lambda r, c: c == 0 or r == height - 1) + ["L"],
            letter(lambda r, c: r == 0 or c == width // 2) + ["T"]]
    header = [f"p{n + 1}" for n in range(width * height)] + ["letter"]
    path.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n")


def test_image_gives_a_files_inputs_their_picture(tmp_path):
    data = tmp_path / "letters.csv"
    _letters(data, 5, 7)
    run = api.network_run(data=data, image="5x7", attempts=2)
    assert run.network.sizes == (35, 2) and run.network.image == (5, 7)
    assert run.classes == ("L", "T")
    assert api.network_run(data=data, attempts=2).network.image is None


def test_the_digits_are_eight_by_eight_pictures():
    run = api.network_run(data="digits", samples=10, batch=10, activation="softmax",
                          loss="cross-entropy", attempts=2)
    assert run.network.image == (8, 8)
    assert api.network_run(data="digits", samples=10, batch=10, activation="softmax",
                           loss="cross-entropy", attempts=2, image=(4, 16)).network.image == (
        4, 16)


def test_the_api_refuses_a_bad_image_with_the_command_lines_message():
    for image, message in (("8", "must be W×H, a picture's width and height in pixels like "
                                  "8x8, not '8'"),
                           ((0, 8), "must be at least 1 pixel each way, not (0, 8)")):
        with pytest.raises(InputError) as caught:
            api.network_run(data="digits", samples=10, image=image)
        assert str(caught.value) == f"argument --image: {message}"


def test_the_digits_preset_reads_most_held_out_pictures_right():
    """The reference's own figures: 47 of the 50 held-out digits right after 200 attempts."""
    run = api.network_run(preset="digits")
    assert (run.network.sizes, len(run.samples), len(run.tests)) == ((64, 10), 250, 50)
    assert (run.batch, run.attempts, run.learning_rate) == (10, 200, 1.0)
    assert summarize_run(run).final_test_accuracy == 47 / 50


def test_the_notes_sum_up_a_large_layers_columns_after_its_first_neurons(tmp_path):
    target = tmp_path / "d.xlsx"
    api.network(target, data="digits", samples=20, batch=10, activation="softmax",
                loss="cross-entropy", attempts=3)
    rows = {row[0]: row[1:4] for row in openpyxl.load_workbook(target)["Notes"].iter_rows(
        values_only=True) if row[0]}
    assert rows["L"][:2] == ("Place 1 of the batch · x1", "=INDEX(Data!$B$8:$B$27,K4)")
    assert rows["M–BW"][:2] == ("Place 1 of the batch · x2 …", "as x1's")
    assert rows["M–BW"][2].startswith("The same columns for each of the other 63 inputs, "
                                      "every formula")   # the rest wraps to the next row
    assert rows["CJ–DA"][:2] == ("Place 1 of the batch · 1 net …", "as 0 net's")
    assert rows["DQ–DY"][:2] == ("Place 1 of the batch · δ 1 …", "as δ 0's")
    assert rows["ATQ–CRN"][2].startswith("The same columns for each of the layer's other 649 "
                                         "weights and biases")
