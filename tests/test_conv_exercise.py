"""An exercise on a convolutional network: its map values' headers carry a comma of their
own (m1[1,2] net), and --blank still names them one by one."""

from openpyxl import load_workbook

from sheetgen import api
from sheetgen.options import blank_names
from sheetgen.sheets.columns import FIRST_ROW

CONV = {"data": "digits", "samples": 10, "layers": "8x8,conv1@3x3,maxpool2,10",
        "activation": "tanh,softmax", "loss": "cross-entropy", "batch": 2, "attempts": 3}


def test_blank_names_split_at_commas_outside_brackets():
    assert blank_names("m1[1,1] net, δ m1[1,2],forward") == ("m1[1,1] net", "δ m1[1,2]",
                                                            "forward")


def test_a_map_values_net_and_a_routed_delta_are_left_blank(tmp_path):
    path = tmp_path / "e.xlsx"
    api.network_exercise(path, blank="m1[1,1] net,δ m1[1,2]", rows=2, **CONV)
    training = load_workbook(path)["Training"]
    headers = {cell.value: cell.column_letter for cell in training[FIRST_ROW - 1]}
    for header in ("m1[1,1] net", "δ m1[1,2]"):
        letter = headers[header]
        assert [training[f"{letter}{row}"].value for row in (FIRST_ROW, FIRST_ROW + 1)] \
            == [None, None]
        assert str(training[f"{letter}{FIRST_ROW + 2}"].value).startswith("=")
    neighbour = headers["m1[1,2] net"]
    assert str(training[f"{neighbour}{FIRST_ROW}"].value).startswith("=")
