"""LibreOffice, Gnumeric and `formulas` compute the Boundary sheet — every map cell, the
shown attempt's weights and biases, the samples' verdicts — to within 1e-12 of the
reference's forward pass at that attempt: from files whose every stored result is spoiled
(the canary), after SHOW_ATTEMPT is typed into the file, and in a real LibreOffice session
where a person types it."""

import re

import pytest
from formulas_engine import calculate
from helpers import (
    assert_network_checked,
    edit_in_libreoffice,
    network_canary,
    rewrite_sheet,
    typed_numbers,
    with_wrong_results,
)
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.engines.subjects import cell_agrees
from sheetgen.maths.training import train
from sheetgen.sheets.boundary import Picture, describe_boundary
from sheetgen.sheets.boundary_cells import boundary_values
from sheetgen.sheets.boundary_diagram import STRONG, link_cells
from sheetgen.sheets.network_data import typed_cells
from sheetgen.sheets.network_sheet import describe

RUNS = {
    "circle, tanh": dict(data="circle", samples=12, layers=(2, 3, 1), attempts=20,
                         learning_rate=0.3),
    "gauss, softmax of standardised features, held out, shuffled twos": dict(
        data="gauss", samples=12, layers=(3, 2, 2), activation=("tanh", "softmax"),
        loss="cross-entropy", features="x1,x2,x1*x2", standardize=True, test_fraction=0.25,
        batch=2, shuffle=True, attempts=12, learning_rate=0.5),
    "spiral, sigmoid of sines and squares, two hidden layers": dict(
        data="spiral", samples=10, noise=20, layers=(4, 3, 2, 1),
        activation=("tanh", "relu", "sigmoid"), features="x1^2,x2^2,sin(x1),sin(x2)",
        attempts=8),
}

pytestmark = pytest.mark.engines


def written(tmp_path, options, grid=4, shown=None):
    path = tmp_path / "b.xlsx"
    api.network(path, grid=grid, **({"show_attempt": shown} if shown else {}), **options)
    return path, api.network_run(**options)


def boundary_sheet(found):
    (name,) = [name for name, _ in found.sheets if name.startswith("Boundary sheet")]
    return name, dict(found.sheets)[name]


@pytest.mark.parametrize("name", RUNS)
def test_engine_computes_the_boundary_sheet(engine, tmp_path, name):
    path, run = written(tmp_path, RUNS[name])
    spoiled = network_canary(path, tmp_path, run)
    cells = load_workbook(spoiled, data_only=True)["Boundary"]
    assert cells[describe_boundary(run, Picture(4)).answer.cell(0, 0)].value == 12345
    assert_network_checked(spoiled, engine.name, run.attempts, False)
    (found,) = api.check(spoiled, engine.name).engines
    title, comparison = boundary_sheet(found)
    assert title == f"Boundary sheet at attempt {run.attempts}"
    assert comparison.mismatch is None and comparison.compared_attempts > 16 * 3


def test_engine_follows_an_attempt_typed_into_show_attempt(engine, tmp_path):
    """SHOW_ATTEMPT typed as 7 into the file: the check reads it and compares the maps with
    attempt 7's forward pass; the engine passes only where every map follows it."""
    path, run = written(tmp_path, RUNS["circle, tanh"])

    def typed(xml: str) -> str:
        xml, count = re.subn(r'(<c r="B3"[^>]*>)<v>[^<]*</v>', r"\g<1><v>7</v>", xml)
        assert count == 1
        return xml
    edited = rewrite_sheet(path, tmp_path / "typed.xlsx", typed, sheets=("Boundary",))
    assert read_network_workbook(edited).picture == Picture(4, 7)
    result = api.check(network_canary(edited, tmp_path, run), engine.name)
    assert result.passed, result.report
    assert boundary_sheet(result.engines[0])[0] == "Boundary sheet at attempt 7"


def test_engine_follows_a_coordinate_typed_into_the_data_sheet(engine, tmp_path):
    """Sample 2's x1 typed as 1.5: its features on the Data sheet, every row and every map
    follow, as the check's reference, which reads the coordinate from the file, says."""
    options = RUNS["spiral, sigmoid of sines and squares, two hidden layers"]
    path, run = written(tmp_path, options)
    cell = typed_cells(run)[1][0]
    edited = rewrite_sheet(path, tmp_path / "typed.xlsx", typed_numbers({cell: 1.5}),
                           sheets=("Data",))
    found = read_network_workbook(edited).run
    assert found.samples[1].inputs == (1.5, run.samples[1].inputs[1])
    assert found.trained_samples[1].inputs[0] == 1.5 ** 2
    result = api.check(network_canary(edited, tmp_path, found), engine.name)
    assert result.passed, result.report


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_user_types_an_attempt_to_show(tmp_path):
    """A person opens the circle workbook in LibreOffice, types 5 into SHOW_ATTEMPT and saves:
    every map, weight and verdict of the Boundary sheet is attempt 5's, as LibreOffice saved
    it."""
    path, run = written(tmp_path, RUNS["circle, tanh"])
    edited = edit_in_libreoffice(path, tmp_path / "edited.xlsx", {"Boundary!B3": 5}, tmp_path)
    shown = list(train(run))[4]
    expected = boundary_values(describe_boundary(run, Picture(4, 5)), describe(run),
                               shown.weights, shown.biases)
    found = load_workbook(edited, data_only=True)["Boundary"]
    assert found["B3"].value == 5
    assert [cell for cell, value in expected.items()
            if not cell_agrees(found[cell].value, value)] == []


@pytest.mark.usefixtures("libreoffice")
def test_the_links_follow_an_attempt_typed_in_libreoffice_and_gnumeric(gnumeric, tmp_path):
    """A person types 5 into SHOW_ATTEMPT in LibreOffice and saves: every cell of the network
    diagram holds attempt 5's weight (or 0, a thick cell of a weak link) within 1e-12, as
    LibreOffice saved it and as Gnumeric computes that file with the Boundary sheet's stored
    results spoiled. The file as written held attempt 20's, every one of them different."""
    path, run = written(tmp_path, RUNS["circle, tanh"])
    boundary = describe_boundary(run, Picture(4, 5))
    links = link_cells(boundary)
    edited = edit_in_libreoffice(path, tmp_path / "edited.xlsx", {"Boundary!B3": 5}, tmp_path)
    spoiled = with_wrong_results(edited, tmp_path / "spoiled.xlsx", sheets=("Boundary",))
    attempts = list(train(run))
    before, after = (_link_values(links, attempts[k].weights) for k in (19, 4))
    assert all(before[place] != after[place] for place, (_, thick) in _links(links).items()
               if not thick)
    computed = tmp_path / "gnumeric.xlsx"
    gnumeric.recalculate(spoiled, computed)   # warns of much LibreOffice wrote: not ours
    for source, expected in ((path, before), (edited, after), (computed, after)):
        found = load_workbook(source, data_only=True)["Boundary"]
        assert [place for place, value in expected.items()
                if abs(found.cell(*place).value - value) > 1e-12] == [], source.name


def test_an_exercise_draws_no_link_nor_map_until_its_blanks_are_filled(engine, tmp_path):
    """xor with its backward stage blank: the shown attempt's weights wait for the blanks, so
    every link and map cell shows an empty text (a number there would give an answer away),
    and no cell of the Boundary sheet holds an error value, as the engine computes the file,
    which stores no result."""
    path = tmp_path / "exercise.xlsx"
    api.network_exercise(path, preset="xor", blank="backward")
    boundary = describe_boundary(api.network_run(preset="xor"))
    formulas = load_workbook(path)["Boundary"]
    link = link_cells(boundary)[0]
    assert formulas.cell(link.row, link.column).value == (
        f'=IF(READY,IF(ABS({boundary.parameter_cell(link.parameter)})>=1,'
        f'{boundary.parameter_cell(link.parameter)},0),"")')
    computed = tmp_path / "computed.xlsx"
    engine.recalculate(path, computed)
    found = load_workbook(computed, data_only=True)["Boundary"]
    drawn = [(link.row, link.column) for link in link_cells(boundary)] + [
        place for m in boundary.maps for line in m.places(boundary.grid) for place in line]
    assert [place for place in drawn if found.cell(*place).value not in (None, "")] == []
    assert [cell.coordinate for row in found.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("#")] == []
    assert found["B3"].value == 3000 and found["A1"].value.startswith("What the network")


def _links(links) -> dict:
    return {(link.row, link.column): (link.parameter, link.thick) for link in links}


def _link_values(links, weights) -> dict[tuple[int, int], float]:
    """What each link cell shows at the attempt of `weights`."""
    values = {}
    for place, ((layer, j, i), thick) in _links(links).items():
        weight = weights[layer - 1][j][i]
        values[place] = 0.0 if thick and abs(weight) < STRONG else weight
    return values


def test_formulas_computes_a_small_boundary_sheet(tmp_path):
    path, run = written(tmp_path, {**RUNS["circle, tanh"], "attempts": 3}, grid=3, shown=2)
    cells = calculate(path)
    shown = list(train(run))[1]
    expected = boundary_values(describe_boundary(run, Picture(3, 2)), describe(run),
                               shown.weights, shown.biases)
    assert [cell for cell, value in expected.items()
            if not cell_agrees(cells["BOUNDARY", cell], value)] == []
