"""The Boundary sheet without an engine: where it stands and its exact formulas; its stored
results against a forward pass written out here in numpy and against the Training sheet's own
verdicts; reading it back; which runs have one; and the options' refusals."""

import gc
import math
import re
import zipfile

import numpy as np
import pytest
from helpers import assert_network_refused, sheet_part
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths.classification import verdict
from sheetgen.maths.fields import parameter_field
from sheetgen.maths.training import train
from sheetgen.maths.shape import Parameter
from sheetgen.sheets.boundary import (
    BAND_POINTS,
    POINT_HEADERS,
    NODE_COLUMNS,
    Margins,
    Picture,
    Sizes,
    band_sizes,
    data_ranges,
    describe_boundary,
    has_boundary,
)
from sheetgen.sheets.boundary_cells import map_cells
from sheetgen.sheets.boundary_diagram import STRONG, link_cells
from sheetgen.sheets.network_sheet import describe
from sheetgen.writing.boundary_band import BandStyles, band_part

CIRCLE = dict(data="circle", samples=12, layers=(2, 3, 1), attempts=20, learning_rate=0.3)


def circle_workbook(tmp_path, **options):
    path = tmp_path / "b.xlsx"
    api.network(path, **{**CIRCLE, "grid": 5, "show_attempt": 12, **options})
    return path, api.network_run(**{**CIRCLE, **options})


def numpy_forward(run, weights, biases, point):
    """Every layer's values at a point: features, standardised, then Σ w·a + b through each
    activation (softmax's nets as they are)."""
    x1, x2 = point
    features = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
                "sin(x1)": math.sin(x1), "sin(x2)": math.sin(x2)}
    a = np.array([features[name] for name in run.network.features or ("x1", "x2")])
    if run.standardize:
        a = (a - np.array(run.input_scaling.means)) / np.array(run.input_scaling.deviations)
    layers = []
    for w, b, name in zip(weights, biases, run.network.activations):
        z = np.array(w) @ a + np.array(b)
        a = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
             "softmax": lambda v: v}[name](z)
        layers.append(a)
    return layers


def drawn_elsewhere(boundary) -> set[tuple[int, int]]:
    """The (row, column) of every map's grid point and of every cell of the inputs' boxes."""
    places = {place for m in boundary.maps for line in m.places(boundary.grid)
              for place in line}
    return places | {(top + k, column) for top, rows in boundary.inputs for k in range(rows)
                     for column in NODE_COLUMNS}


def test_the_sheet_stands_where_its_description_says(tmp_path):
    """Rows 1-7 the title, attempt, grid and legend, row 8 the layers' titles; then the band:
    the inputs' boxes, the small maps below their names, the answer with the chart's margins;
    the tables right of the band and below its rows, outside the print area."""
    path, run = circle_workbook(tmp_path)
    boundary = describe_boundary(run, Picture(5, 12))
    assert boundary.sizes == Sizes(5.25, 4, 5, 15, 4, Margins(2, 10, 8, 3))
    assert [(m.title, m.layer, m.neuron, m.top, m.left, m.block) for m in boundary.maps] == [
        ("h1", 1, 0, 15, 19, 1), ("h2", 1, 1, 24, 19, 1), ("h3", 1, 2, 33, 19, 1),
        ("what the network says (blue)", 2, None, 12, 49, 4)]
    assert (boundary.inputs, boundary.band_end, boundary.band_right) == (((20, 5), (29, 5)), 39,
                                                                         71)
    assert (boundary.table_column, boundary.parameter_rows, boundary.points_title_row,
            boundary.grid_title_row) == (73, ((42, 43), (47, 48)), 50, 65)
    assert [boundary.point_letter(header) for header in POINT_HEADERS] == [
        "BU", "BV", "BW", "BX", "BY", "BZ"]
    assert boundary.helper_columns == (84, 85, 86) and boundary.grid_letters == ("BV", "BW")
    assert boundary.chart_frame == Margins(10, 39, 39, 71)
    book = load_workbook(path)
    ws = book["Boundary"]
    assert (ws["A3"].value, ws["B3"].value, ws["A4"].value, ws["B4"].value) == (
        "Show attempt", 12, "Grid (fixed)", 5)
    assert ws.print_area == "'Boundary'!$A$1:$BS$40"
    assert ws["A40"].value == "Not printed: the weights, verdicts and grid, from cell BU42."
    assert [(ws[cell].value, ws[cell].font.sz) for cell in ("A8", "S8", "AW8", "S11", "A20",
                                                            "A29")] == [
        ("Inputs", 12), ("Hidden layer · tanh", 12), ("The answer: what the network says (blue)",
                                                      12), ("h1", 12), ("x1", 12), ("x2", 12)]
    assert {"S11:W14", "S20:W23", "S29:W32", "A20:B24", "A29:B33"} <= {
        str(r) for r in ws.merged_cells.ranges}
    assert book.defined_names["SHOW_ATTEMPT"].attr_text == "Boundary!$B$3"
    (rule,) = [v for v in ws.data_validations.dataValidation if "B3" in str(v.sqref)]
    assert (rule.type, rule.formula1, rule.formula2) == ("whole", "1", "20")
    low, high = data_ranges(run)
    assert low == (math.floor(min(s.inputs[0] for s in run.samples)) - 1,
                   math.ceil(max(s.inputs[0] for s in run.samples)) + 1)
    grid = list(boundary.grid_rows)
    assert [ws[f"BV{row}"].value for row in grid] == list(boundary.x1s)
    assert boundary.x1s[0] == low[0] and boundary.x1s[-1] == low[1]
    assert boundary.x2s[0] == high[1] and boundary.x2s[-1] == high[0]   # up the plane


def test_the_band_is_small_squares_and_the_helpers_hidden(tmp_path):
    """Every row of the band 5.25 points high and every column of it, and the column of x2s
    left of it, 0.75 characters wide (LibreOffice's 5.25 points); the sheet's default width
    5.25, which Gnumeric gives those columns, narrower than it reads, in points; the title's
    row as high as its type; the chart's helper columns hidden."""
    path, run = circle_workbook(tmp_path)
    with zipfile.ZipFile(path) as package:
        xml = package.read(sheet_part(package, "Boundary")).decode()
    heights = re.findall(r'<row r="([0-9]+)" ht="([0-9.]+)" customHeight="1"', xml)
    assert heights == [("1", "22.4")] + [(str(row), "5.25") for row in range(9, 40)] + [
        ("51", "30")]
    ws = load_workbook(path)["Boundary"]
    assert {ws.column_dimensions[get_column_letter(c)].width for c in range(3, 72)} == {0.75}
    assert ws.sheet_format.defaultColWidth == 5.25
    assert [ws.column_dimensions[get_column_letter(c)].hidden for c in (83, 84, 85, 86)] == [
        False, True, True, True]


@pytest.mark.parametrize("options, cell, block", [
    (dict(data="spiral", layers=(4, 6, 4, 1), features="x1,x2,sin(x1),sin(x2)"), 3.43, 5),
    (dict(data="circle", layers=(2, 4, 1)), 5.25, 3),
    (dict(data="xor", layers=(2, 2, 1)), 5.25, 3)])
def test_a_tall_column_of_maps_takes_smaller_cells(options, cell, block):
    """Six maps of 30 rows stacked would not print readably on one page at 5.25 points a
    row: their cells shrink until the column fits BAND_POINTS, and the answer's blocks grow
    to keep it about ANSWER_POINTS across."""
    run = api.network_run(**options, attempts=2)
    sizes = band_sizes(run, 30)
    assert (sizes.cell, sizes.block) == (cell, block)
    boundary = describe_boundary(run, Picture(30))
    tallest = max(run.network.sizes[:-1]) * (sizes.label_rows + 30)
    assert tallest * sizes.cell <= BAND_POINTS + sizes.label_rows * sizes.cell
    assert boundary.band_end - boundary.band_top + 1 == max(
        tallest, sizes.margins.top + 30 * block + sizes.margins.bottom)


def test_the_formulas_read_the_shown_attempts_parameters(tmp_path):
    path, run = circle_workbook(tmp_path)
    boundary, sheet = describe_boundary(run, Picture(5, 12)), describe(run)
    ws = load_workbook(path)["Boundary"]
    first_row = boundary.parameter_rows[0][1]
    weight = sheet.letter(parameter_field(Parameter(1, 0, 0)))
    assert first_row == 43 and boundary.parameter_cell(Parameter(1, 0, 0)) == "$BV$43"
    assert ws["BV43"].value == f"=INDEX(Training!${weight}$3:${weight}$22,SHOW_ATTEMPT)"
    h1, h2 = boundary.maps[:2]
    g, r1 = boundary.grid_rows[0], first_row
    # The first layer's maps read their coordinates from the row above them and the column
    # beside them, which read the grid's table: each map shares one formula.
    x1 = get_column_letter(h1.left)
    x2 = get_column_letter(boundary.coordinate_column)
    across = boundary.coordinate_row
    assert (x1, x2, across) == ("S", "C", 9)
    assert ws["S15"].value == f"=TANH(S$9*$BV${r1}+$C15*$BW${r1}+$BX${r1})"
    assert (ws["S9"].value, ws["C15"].value, ws["C25"].value) == (f"=$BV${g}", f"=$BW${g}",
                                                                  f"=$BW${g + 1}")
    assert ws[h2.cell(1, 2)].value == "=TANH(U$9*$BV$44+$C25*$BW$44+$BX$44)"
    with zipfile.ZipFile(path) as package:
        xml = package.read(sheet_part(package, "Boundary")).decode()
    assert f'<c r="{h1.cell(0, 0)}" s="' in xml and (
        f'<f t="shared" ref="{h1.span(5)}" si="0">TANH({x1}${across}*') in xml
    assert re.search(f'<c r="{h2.cell(1, 2)}" s="[0-9]+"><f t="shared" si="1"/><v>', xml)
    answer, out = boundary.answer, boundary.parameter_rows[1][1]
    assert out == 48 and answer.cell(1, 2) == "BE16"
    assert ws["BE16"].value == "=TANH(U16*$BV$48+U25*$BW$48+U34*$BX$48+$BY$48)"
    # Each grid point's block is one merged cell, coloured whole; nothing else is in it.
    assert answer.block == 4 and answer.point_span(1, 2) == "BE16:BH19"
    in_answer = {str(r) for r in ws.merged_cells.ranges
                 if r.min_col >= answer.left and r.max_row <= boundary.band_end}
    assert in_answer == {answer.point_span(r, c) for r in range(5) for c in range(5)}
    assert not re.search(f'<c r="{get_column_letter(answer.left + 1)}{answer.top}"', xml)


def test_the_stored_results_are_the_forward_pass_at_the_shown_attempt(tmp_path):
    path, run = circle_workbook(tmp_path)
    boundary = describe_boundary(run, Picture(5, 12))
    shown = list(train(run))[11]
    ws = load_workbook(path, data_only=True)["Boundary"]
    for r, x2 in enumerate(boundary.x2s):
        for c, x1 in enumerate(boundary.x1s):
            hidden, output = numpy_forward(run, shown.weights, shown.biases, (x1, x2))
            for m, value in zip(boundary.maps, [*hidden, output[0]]):
                assert ws[m.cell(r, c)].value == pytest.approx(value, rel=1e-13, abs=1e-15)
    (title, first), _ = boundary.parameter_rows
    assert [ws.cell(first, c).value for c in (74, 75, 76)] == list(shown.weights[0][0]) + [
        shown.biases[0][0]]


def test_the_verdicts_are_the_training_sheets_own_at_that_attempt(tmp_path):
    """With the full batch, the Training row of the shown attempt runs every sample forward:
    the Boundary sheet's verdicts, worked out apart on its own sheet, must judge those
    outputs."""
    path, run = circle_workbook(tmp_path)
    boundary = describe_boundary(run, Picture(5, 12))
    passes = list(train(run))[11].passes
    verdicts = [verdict(run.network, p.outputs[-1], p.targets) for p in passes]
    ws = load_workbook(path, data_only=True)["Boundary"]
    rows = [boundary.point_row(k) for k in range(len(run.samples))]
    assert rows[0] == 52
    assert [ws[f"BZ{row}"].value for row in rows] == [v.right for v in verdicts]
    assert 0 < sum(v.right for v in verdicts) < len(verdicts)
    assert [ws[f"BX{row}"].value for row in rows] == [
        run.classes[v.true_class - 1] for v in verdicts]
    assert [ws[f"BY{row}"].value for row in rows] == [
        run.classes[v.predicted - 1] for v in verdicts]
    formulas = load_workbook(path)["Boundary"]
    assert formulas["BZ52"].value == "=IF(BY52=BX52,1,0)"
    assert (formulas["BU52"].value, formulas["BV52"].value) == (1, "=Data!$B$8")
    assert formulas["CH52"].value == f"=IF($BZ52=0,$BV52,{boundary.off_axis:g})"
    # The chart's helper columns: x1 where the point is in the series, far right else.
    wrong = [ws[f"CH{row}"].value for row in rows]
    assert wrong == [s.inputs[0] if not v.right else boundary.off_axis
                     for s, v in zip(run.samples, verdicts)]


def test_the_chart_draws_markers_on_the_planes_axes(tmp_path):
    """Each class's samples and the wrong ones, markers only, on x1 across (at the bottom:
    Gnumeric places an axis where it says) and x2 up, over the data's range."""
    path, run = circle_workbook(tmp_path)
    boundary = describe_boundary(run, Picture(5, 12))
    with zipfile.ZipFile(path) as package:
        charts = [package.read(name).decode() for name in package.namelist()
                  if name.startswith("xl/charts/")]
    (chart,) = [chart for chart in charts if "'Boundary'!" in chart]
    axes = re.findall(r'<valAx><axId val="([0-9]+)" /><scaling><orientation val="minMax" />'
                      r'<max val="([-0-9.]+)" /><min val="([-0-9.]+)" /></scaling>'
                      r'<delete val="0" /><axPos val="(.)" />', chart)
    (x_low, x_high), (y_low, y_high) = boundary.ranges
    assert axes == [("10", f"{x_high:g}", f"{x_low:g}", "b"),
                    ("20", f"{y_high:g}", f"{y_low:g}", "l")]
    # Not "General" alone: Gnumeric would take the hidden helper columns' format instead.
    assert chart.count('<numFmt formatCode="General;-General" sourceLinked="0" />') == 2
    series = re.findall(r"<ser>.*?</ser>", chart)
    assert [re.search(r"<tx><v>([^<]*)</v></tx>", s).group(1) for s in series] == [
        *run.classes, "on the wrong side"]
    # A line not filled and with no dash style: Gnumeric draws a dashed one between points.
    assert all(re.search(r"</tx><spPr><a:ln><a:noFill /></a:ln></spPr>", s) for s in series)


def test_each_link_is_a_line_of_cells_holding_its_weight(tmp_path):
    """x1→h1 runs from x1's box (D21) to h1's left edge (R16), each cell `=$BV$43`, the
    weight's cell; a second cell beside each shows it only from ±STRONG. Every link is
    drawn, none over a map, a box or the coordinates, and each cell stores the shown
    attempt's weight."""
    path, run = circle_workbook(tmp_path)
    boundary = describe_boundary(run, Picture(5, 12))
    ws = load_workbook(path)["Boundary"]
    line = ["D21", "E21", "F20", "G20", "H20", "I19", "J19", "K19", "L18", "M18", "N17",
            "O17", "P17", "Q16", "R16"]
    assert [ws[cell].value for cell in line] == ["=$BV$43"] * len(line)
    assert (ws["F21"].value, ws["R17"].value) == ("=IF(ABS($BV$43)>=1,$BV$43,0)",) * 2
    links = link_cells(boundary)
    assert len(links) == 254 and {link.parameter for link in links} == {
        p for p in boundary.parameter_places if p.source is not None}
    taken = {(link.row, link.column) for link in links}
    assert not taken & drawn_elsewhere(boundary)
    assert min(c for _, c in taken) > boundary.coordinate_column
    shown = list(train(run))[11]
    values = load_workbook(path, data_only=True)["Boundary"]
    for link in links:
        layer, j, i = link.parameter
        weight, cell = shown.weights[layer - 1][j][i], boundary.parameter_cell(link.parameter)
        formula = f"=IF(ABS({cell})>=1,{cell},0)" if link.thick else f"={cell}"
        assert ws.cell(link.row, link.column).value == formula
        assert values.cell(link.row, link.column).value == (
            weight if not link.thick or abs(weight) >= STRONG else 0)


@pytest.mark.parametrize("options, grid", [
    (dict(data="spiral", layers=(4, 6, 4, 1), features="x1,x2,sin(x1),sin(x2)"), 30),
    (dict(data="spiral", layers=(4, 3, 2, 1), features="x1^2,x2^2,sin(x1),sin(x2)"), 4),
    (dict(data="gauss", layers=(2, 5, 2), activation=("tanh", "softmax"),
          loss="cross-entropy"), 7)])
def test_the_links_keep_to_the_band_between_the_layers(options, grid):
    """Whatever the network and the grid, every link cell is inside the band, right of the
    column of x2s, and on no map and no input's box."""
    boundary = describe_boundary(api.network_run(**options, attempts=2), Picture(grid))
    taken = {(link.row, link.column) for link in link_cells(boundary)}
    assert not taken & drawn_elsewhere(boundary)
    assert {row for row, _ in taken} <= set(range(boundary.band_top, boundary.band_end + 1))
    assert {column for _, column in taken} <= set(range(boundary.map_column,
                                                        boundary.answer.left))


def test_the_links_are_coloured_by_their_weights_sign_and_size(tmp_path):
    """Orange below 0 and blue above, deeper past 0.5, 1 and 2, the first rule that holds
    giving the colour; over the columns between the layers and the legend's cell, which
    holds −2."""
    path, _ = circle_workbook(tmp_path)
    ws = load_workbook(path)["Boundary"]
    (rules,) = [cf.rules for cf in ws.conditional_formatting
                if str(cf.sqref) == "B7 D10:R39 X10:AL39"]
    assert [(r.operator, r.formula, r.dxf.fill.fgColor.rgb, r.stopIfTrue) for r in rules] == [
        ("lessThan", ["-2"], "00F59322", True), ("lessThan", ["-1"], "00F7A94E", True),
        ("lessThan", ["-0.5"], "00F9BE7A", True), ("lessThan", ["0"], "00FBD4A7", True),
        ("greaterThan", ["2"], "000877BD", True), ("greaterThan", ["1"], "003992CA", True),
        ("greaterThan", ["0.5"], "006BADD7", True), ("greaterThan", ["0"], "009CC9E5", True)]
    assert ws["B7"].value == -2


def test_the_chart_lies_over_the_answer_map(tmp_path):
    """Anchored from the chart frame's first cell to past its last, the plot area placed by
    hand at the map's own cells (10 of 33 columns in, 2 of 30 rows down, 20 of each across),
    no fill and no border, so that the map shows through; axes the grid's range, with tick
    values in the sheet's 12 points."""
    path, run = circle_workbook(tmp_path)
    boundary = describe_boundary(run, Picture(5, 12))
    assert boundary.chart_frame == Margins(10, 39, 39, 71)
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        charts = [package.read(name).decode() for name in names
                  if name.startswith("xl/charts/")]
        (chart,) = [chart for chart in charts if "'Boundary'!" in chart]
        drawings = [package.read(name).decode() for name in names
                    if name.startswith("xl/drawings/drawing")]
    assert ('<layout><manualLayout><layoutTarget val="inner" /><xMode val="edge" /><yMode '
            'val="edge" /><wMode val="factor" /><hMode val="factor" /><x val="0.303030303030303" '
            '/><y val="0.06666666666666667" /><w val="0.6060606060606061" /><h val='
            '"0.6666666666666666" /></manualLayout></layout>') in chart
    assert any("<twoCellAnchor><from><col>38</col><colOff>0</colOff><row>9</row><rowOff>0"
               "</rowOff></from><to><col>71</col><colOff>0</colOff><row>39</row><rowOff>0"
               "</rowOff></to>" in drawing for drawing in drawings)
    assert chart.count('<a:defRPr sz="1200" />') == 2
    assert chart.endswith("<spPr><a:noFill /><a:ln><a:noFill /></a:ln></spPr></chartSpace>")
    assert "<spPr><a:noFill /><a:ln><a:noFill /></a:ln></spPr></plotArea>" in chart
    (x_low, x_high), (y_low, y_high) = boundary.ranges
    assert re.findall(r"<max val=\"([-0-9.]+)\" /><min val=\"([-0-9.]+)\" />", chart) == [
        (f"{x_high:g}", f"{x_low:g}"), (f"{y_high:g}", f"{y_low:g}")]


@pytest.mark.parametrize("grid, block, options", [
    (5, 4, {}), (30, 3, {}), (60, 2, {}), (60, 1, dict(layers=(2, 2, 1))),
    (20, 4, dict(layers=(2, 2), activation="softmax", loss="cross-entropy")),
    (12, 4, dict(layers=(2, 1), activation="sigmoid", loss="cross-entropy"))])
def test_each_grid_point_of_the_answer_is_one_cell_merged_over_its_block(tmp_path, grid, block,
                                                                         options):
    """However many cells a grid point takes (about ANSWER_POINTS across, from 4 down to 1), the
    answer map holds one formula a point, merged over its block where that is more than one
    cell; with softmax outputs and without a hidden layer too."""
    path = tmp_path / "m.xlsx"
    api.network(path, **{**CIRCLE, "grid": grid, **options})
    answer = describe_boundary(api.network_run(**{**CIRCLE, **options}), Picture(grid)).answer
    assert answer.block == block
    ws = load_workbook(path)["Boundary"]
    inside = range(answer.left, answer.left + grid * block)
    merged = {str(r) for r in ws.merged_cells.ranges
              if r.min_col in inside and r.min_row >= answer.top}
    assert merged == (set() if block == 1 else
                      {answer.point_span(r, c) for r in range(grid) for c in range(grid)})
    formulas = [(cell.row, cell.column) for row in ws.iter_rows(
        min_row=answer.top, max_row=answer.top + grid * block - 1, min_col=inside.start,
        max_col=inside.stop - 1) for cell in row if isinstance(cell.value, str)]
    assert formulas == [answer.place(r, c) for r in range(grid) for c in range(grid)]


def test_the_band_holds_off_the_cycle_collector_and_gives_it_back():
    """Collecting in the middle of the band walks the laid-out workbook for nothing; the
    collector is as it was afterwards, whether the band is written or fails."""
    run = api.network_run(**CIRCLE)
    boundary = describe_boundary(run, Picture(4))
    seen = []

    def cells():
        seen.append(gc.isenabled())
        yield from map_cells(boundary, run.weights, run.biases)

    def failing():
        yield from cells()
        raise RuntimeError("the reference failed")

    styles = BandStyles(1, 2, 3, {boundary.table_column: 4})
    xml = b'<sheetData></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/>'
    assert gc.isenabled()
    assert b"<row " in band_part(xml, boundary, cells(), iter(()), styles)
    with pytest.raises(RuntimeError):
        band_part(xml, boundary, failing(), iter(()), styles)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        band_part(xml, boundary, cells(), iter(()), styles)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_softmax_features_standardised_and_held_out(tmp_path):
    """Two softmax outputs: a small map of each output's net and the class picked as the
    answer; the inputs are features, standardised; the test samples have their verdicts."""
    options = dict(data="gauss", samples=12, layers=(3, 2, 2), activation=("tanh", "softmax"),
                   loss="cross-entropy", features="x1,x2,x1*x2", standardize=True,
                   test_fraction=0.25, attempts=10, learning_rate=0.5)
    path = tmp_path / "s.xlsx"
    api.network(path, grid=4, **options)
    run = api.network_run(**options)
    boundary = describe_boundary(run, Picture(4))
    assert [m.title for m in boundary.maps] == ["h1", "h2", "orange", "blue",
                                                "the class the network picks"]
    ws = load_workbook(path, data_only=True)["Boundary"]
    last = list(train(run))[-1]
    for r, x2 in enumerate(boundary.x2s):
        for c, x1 in enumerate(boundary.x1s):
            hidden, nets = numpy_forward(run, last.weights, last.biases, (x1, x2))
            assert ws[boundary.maps[2].cell(r, c)].value == pytest.approx(nets[0], rel=1e-12)
            assert ws[boundary.answer.cell(r, c)].value == 1 + int(nets[1] > nets[0])
    tests = [boundary.point_row(k) for k in range(len(run.samples), len(boundary.points))]
    sample, right = boundary.point_letter("sample"), boundary.point_letter("right")
    assert [ws[f"{sample}{row}"].value for row in tests] == ["test 1", "test 2", "test 3"]
    assert [ws[f"{right}{row}"].value for row in tests] == [v.right for v in last.test_verdicts]
    formulas = load_workbook(path)["Boundary"]
    h1 = boundary.maps[0]
    w1, w2, w3, b = (boundary.parameter_cell(Parameter(1, 0, i)) for i in (0, 1, 2, None))
    x1 = f"{get_column_letter(h1.left)}${boundary.coordinate_row}"
    x2 = f"${get_column_letter(boundary.coordinate_column)}{h1.top}"
    assert formulas[h1.cell(0, 0)].value == (
        f"=TANH((({x1})-Data!$H$17)/Data!$H$18*{w1}+(({x2})-Data!$I$17)/Data!$I$18*{w2}"
        f"+((({x1}*{x2}))-Data!$J$17)/Data!$J$18*{w3}+{b})")


def test_reading_back_the_picture(tmp_path):
    path, run = circle_workbook(tmp_path)
    assert read_network_workbook(path).picture == Picture(5, 12)
    assert read_network_workbook(path).run == run


def test_which_runs_have_a_boundary_sheet(tmp_path):
    assert has_boundary(api.network_run(data="xor"))
    assert has_boundary(api.network_run(data="circle", features="x1^2,x2^2", layers=(2, 1)))
    assert not has_boundary(api.network_run(data="iris"))
    assert not has_boundary(api.network_run(data="line"))
    api.network(tmp_path / "i.xlsx", data="iris", attempts=2)
    assert "Boundary" not in load_workbook(tmp_path / "i.xlsx").sheetnames


@pytest.mark.parametrize("args, message", [
    (["--data", "iris", "--grid", "10"],
     "argument --grid: is for the Boundary sheet, which draws samples that are points of the "
     "plane (two inputs, and classes or one target), and the data's samples have 4 input(s)"),
    (["--data", "iris", "--show-attempt", "3"],
     "argument --show-attempt: is for the Boundary sheet, which draws samples that are points "
     "of the plane (two inputs, and classes or one target), and the data's samples have 4 "
     "input(s)"),
    (["--grid", "1"], "argument --grid: must be from 2 to 100 points each way, not 1"),
    (["--grid", "101"], "argument --grid: must be from 2 to 100 points each way, not 101"),
    (["--show-attempt", "0"], "argument --show-attempt: must be an attempt, from 1, not 0"),
    (["--show-attempt", "1001"], "argument --show-attempt: 1,001 is past the run's 1,000 "
                                 "attempts"),
])
def test_bad_boundary_options_are_one_line_exit_2_and_no_file(tmp_path, monkeypatch, capsys,
                                                              args, message):
    monkeypatch.chdir(tmp_path)
    assert_network_refused(args, message, tmp_path, capsys)
