"""A network's workbook as a file: exact formulas built from the shape, named inputs, the Data
sheet, stored results equal to the reference, and the article's figure through the network."""

import re
import zipfile
from dataclasses import replace

import pytest
from helpers import stored_rows, write
from openpyxl import load_workbook
from runs import xor_run

from sheetgen import api
from sheetgen.cli import main
from sheetgen.engines.subjects import compare_network_values
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths import neuron
from sheetgen.maths.datasets import BUILT_IN, article_start, seeded
from sheetgen.maths.network import Run
from sheetgen.maths.training import Overflow, train
from sheetgen.maths.neuron import Parameters
from sheetgen.maths.shape import Network
from sheetgen.maths.summary import summarize_run
from sheetgen.sheets.network_sheet import describe

ARTICLE_ROW_3 = {"D": "=J3^2/2", "F": "=Data!$B$8", "G": "=Data!$C$8", "H": "=F3*M3+O3",
                 "I": "=TANH(H3)", "J": "=I3-G3", "K": "=J3*(1-I3^2)", "M": "=W_O1_X1",
                 "N": "=K3*F3", "O": "=B_O1", "P": "=K3", "C": 1}
ARTICLE_ROW_4 = {"M": "=M3-N3*LEARNING_RATE", "O": "=O3-P3*LEARNING_RATE", "N": "=K4*F4",
                 "K": "=J4*(1-I4^2)", "C": 2}


def test_the_article_network_is_the_articles_row(tmp_path):
    """1-1 tanh on the article's sample: the article's formulas, cell for cell."""
    weights, biases = article_start((1, 1), "article")
    run = Run(Network((1, 1), ("tanh",)), BUILT_IN["article"], weights, biases, attempts=20)
    sheet = load_workbook(write(tmp_path / "a.xlsx", run))["Training"]
    assert {letter: sheet[f"{letter}3"].value for letter in ARTICLE_ROW_3} == ARTICLE_ROW_3
    assert {letter: sheet[f"{letter}4"].value for letter in ARTICLE_ROW_4} == ARTICLE_ROW_4
    assert [sheet[f"{letter}2"].value for letter in "CDFGHIJKMNOP"] == [
        "Attempt", "Loss", "x1", "t1", "o1 net", "o1 out", "o1 error", "δ o1", "w x1→o1",
        "∂w x1→o1", "b o1", "∂b o1"]


def test_the_articles_neuron_through_the_network_command(tmp_path):
    """`sheetgen network --layers 1,1 --data article --learning-rate 0.01` stores the article's
    run, row for row (the Rust demo's 100,001 attempts are proved in the benchmark)."""
    target = tmp_path / "article.xlsx"
    assert main(["network", "--layers", "1,1", "--activation", "tanh", "--data", "article",
                 "--learning-rate", "0.01", "--attempts", "2001", "-o", str(target),
                 "-q"]) == 0
    rows = stored_rows(target)
    outputs = [attempt.output for attempt in neuron.train(
        Parameters(learning_rate=0.01, attempts=2001))]
    assert max(rows) == 2003
    assert [rows[row]["I"] for row in range(3, 2004)] == outputs

def test_xor_formulas_sum_term_by_term(tmp_path):
    sheet = load_workbook(write(tmp_path / "x.xlsx", xor_run(("tanh", "sigmoid"))))["Training"]
    row_4 = {sheet[f"{letter}2"].value + f" ({letter})": sheet[f"{letter}4"].value
             for letter in ("D", "I", "N", "P", "Q", "BK", "BO", "BW")}
    assert row_4 == {
        "Loss (D)": "=(O4^2/2+AC4^2/2+AQ4^2/2+BE4^2/2)/4",
        "h1 net (I)": "=F4*BJ4+G4*BL4+BN4",
        "o1 out (N)": "=1/(1+EXP(-M4))",
        "δ o1 (P)": "=O4*(N4*(1-N4))",
        "δ h1 (Q)": "=(BW4*P4)*(1-J4^2)",
        "∂w x1→h1 (BK)": "=(Q4*F4+AE4*T4+AS4*AH4+BG4*AV4)/4",
        "∂b h1 (BO)": "=(Q4+AE4+AS4+BG4)/4",
        "w h1→o1 (BW)": "=BW3-BX3*LEARNING_RATE",
    }
    assert "SUM" not in "".join(str(cell.value) for row in sheet.iter_rows(max_row=10)
                                for cell in row)
    assert [sheet[f"{letter}1"].value for letter in ("C", "F", "T", "BJ", "BW")] == [
        "Attempt", "Sample 1", "Sample 2", "Layer 1: Hidden layer · tanh",
        "Layer 2: Output layer · sigmoid"]


def test_one_sample_per_attempt_picks_the_sample_by_formula(tmp_path):
    sheet = load_workbook(write(tmp_path / "b.xlsx", xor_run(batch=1)))["Training"]
    assert sheet["D2"].value == "Sample" and sheet["D5"].value == "=MOD(C5-1,4)+1"
    assert sheet["G5"].value == "=INDEX(Data!$B$8:$B$11,D5)"
    assert sheet["I5"].value == "=INDEX(Data!$D$8:$D$11,D5)"


@pytest.mark.parametrize("run", [
    xor_run(), xor_run(("tanh", "sigmoid"), batch=1), xor_run(("relu", "linear")),
    xor_run(("linear",), sizes=(1, 1), data="line"),
    xor_run(("sigmoid", "tanh", "relu"), sizes=(2, 3, 2, 1)),
], ids=["xor-tanh", "sigmoid-batch-1", "relu-linear", "line-linear", "two-hidden-layers"])
def test_stored_results_are_the_references_exactly(tmp_path, run):
    workbook = read_network_workbook(write(tmp_path / "w.xlsx", run))
    assert workbook.run == run
    expected = summarize_run(run)
    assert [workbook.summary_values[row] for row in (4, 6, 8)] == [
        expected.first_below or "never", expected.final_loss, expected.status]
    comparison = compare_network_values(workbook.values.rows, workbook.sheet)
    assert comparison.mismatch is None
    assert max(comparison.largest.values()) == 0    # stored, not recomputed: exact
    assert comparison.compared_attempts == run.attempts


def test_every_row_follows_the_description(tmp_path):
    run = xor_run(attempts=30)
    workbook = read_network_workbook(write(tmp_path / "w.xlsx", run))
    for row, cells in enumerate(workbook.formulas.rows, start=3):
        for col in workbook.sheet.columns:
            expected = col.formula(row)
            assert cells[col.letter] == (row - 2 if expected is None else expected)


def test_the_summary_and_charts_sheet(tmp_path):
    run = xor_run(attempts=300)
    path = write(tmp_path / "w.xlsx", run)
    workbook = load_workbook(path)
    charts = workbook["Charts"]
    assert [charts[f"A{row}"].value for row in (1, 3, 5, 7)] == [
        "Summary", "Below threshold from", "Final loss", "Status"]
    assert charts["A4"].value.text == (
        '=IFERROR(MATCH(TRUE(),Training!D3:D302<LOSS_THRESHOLD,0),"never")')
    assert charts["A4"].value.ref == "A4"    # a legacy array formula, not a dynamic one
    assert charts["A6"].value == "=Training!D302"
    assert charts["A8"].value == ('=IF(Training!D302<LOSS_THRESHOLD,"converged",'
                                  'IF(Training!D302>Training!D3,"diverging","not converged"))')
    assert workbook["Training"]["A7"].value == "Summary and charts: Charts sheet"
    titles = [chart.title.tx.rich.p[0].r[0].t for chart in charts._charts]
    assert titles == ["Loss falling", "Loss, log scale", "Outputs (solid) and targets (dashed)"]
    scaling = charts._charts[1].y_axis.scaling
    losses = [attempt.loss for attempt in train(run)]
    assert scaling.logBase == 10
    assert scaling.min <= min(losses) and max(losses) <= scaling.max
    assert scaling.max / scaling.min <= 1e6 * max(losses) / min(losses)


def test_named_validated_inputs_on_the_data_sheet(tmp_path):
    run = xor_run()
    workbook = load_workbook(write(tmp_path / "w.xlsx", run))
    data = workbook["Data"]
    assert workbook.sheetnames == ["Training", "Charts", "Boundary", "Data", "Notes"]
    assert [data[f"B{row}"].value for row in (2, 3, 4)] == ["2,2,1", "tanh,tanh", "full"]
    assert [[data[f"{c}{row}"].value for c in "ABCD"] for row in range(8, 12)] == [
        [1, 0, 0, 0], [2, 0, 1, 1], [3, 1, 0, 1], [4, 1, 1, 0]]
    for initial in describe(run).initial_cells:
        assert workbook.defined_names[initial.name].attr_text == (
            f"Data!${initial.cell[0]}${initial.cell[1:]}")
        assert data[initial.cell].value == initial.value
    assert workbook.defined_names["LEARNING_RATE"].attr_text == "Training!$A$2"
    assert workbook.defined_names["LOSS_THRESHOLD"].attr_text == "Training!$A$5"
    validated = {str(ref) for rule in data.data_validations.dataValidation
                 for ref in rule.sqref.ranges}
    # One rule a column of the samples' table, one a cell of the initial weights.
    assert {"B8:B11", "C8:C11", "D8:D11", "B15", "D15", "D19"} <= validated
    prompts = {str(rule.sqref): rule.prompt for rule in data.data_validations.dataValidation}
    assert prompts["D8:D11"] == "Its target. A number from -1e+06 to 1e+06."


def test_same_options_same_bytes(tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    for path in (first, second):
        assert main(["network", "--preset", "xor", "--attempts", "200", "-o", str(path),
                     "-q"]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_large_sheets_are_the_same_whether_computed_in_one_process_or_two(tmp_path,
                                                                          monkeypatch):
    """4,000 XOR attempts make 23 chunks: a helper process computes the rows, and the summary
    and log axis written here are what the helper's watcher noted."""
    run = replace(xor_run(attempts=4000), loss_threshold=1e-4)
    shared = write(tmp_path / "two.xlsx", run).read_bytes()
    monkeypatch.setattr("sheetgen.writing.parallel.SMALLEST_SHARED", 10**9)
    alone = write(tmp_path / "one.xlsx", run).read_bytes()
    assert shared == alone
    expected = summarize_run(run)
    summary = stored_rows(tmp_path / "two.xlsx", "Charts")   # column A: the summary
    assert (summary[4]["A"], summary[6]["A"], summary[8]["A"]) == (
        expected.first_below, expected.final_loss, "converged")
    assert 1000 < expected.first_below < 2000


def test_an_overflow_in_the_helper_process_is_raised_here_as_itself(tmp_path):
    """A linear neuron on the line data at rate 100 overflows early in a 50,000-row sheet,
    which a helper process computes."""
    weights, biases = seeded((1, 1), 0)
    run = Run(Network((1, 1), ("linear",)), BUILT_IN["line"], weights, biases, 100.0, 50_000)
    with pytest.raises(Overflow) as raised:
        write(tmp_path / "never.xlsx", run)
    with pytest.raises(Overflow) as computed_here:
        list(train(run))
    assert raised.value.attempt == computed_here.value.attempt


def test_a_run_whose_losses_are_all_zero(tmp_path):
    """Nothing to learn: the log axis still gets a range (the smallest positive loss is none)."""
    data = tmp_path / "zero.csv"
    data.write_text("x1,t1\n1,0\n2,0\n")
    init = tmp_path / "zero.json"
    init.write_text('{"layers": [{"weights": [[0.0]], "biases": [0.0]}]}')
    target = tmp_path / "w.xlsx"
    assert main(["network", "--data", str(data), "--layers", "1,1", "--activation", "linear",
                 "--init", str(init), "--attempts", "5", "-o", str(target), "-q"]) == 0
    assert read_network_workbook(target).summary_values[6] == 0.0


def chart_parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode() for name in package.namelist()
                if name.startswith("xl/charts/chart")}


def test_the_charts_name_each_output_by_its_sample_and_keep_the_attempts_axis_below(
        tmp_path):
    path = tmp_path / "x.xlsx"
    api.network(path, preset="xor", attempts=20)
    charts = chart_parts(path)
    outputs = next(xml for xml in charts.values() if "Outputs (solid)" in xml)
    assert re.findall(r"<tx><v>([^<]*)</v></tx>", outputs)[:4] == [
        "(0, 0) → 0", "(0, 0) → 0: target", "(0, 1) → 1", "(0, 1) → 1: target"]
    for xml in charts.values():   # Gnumeric draws an axis where it says it stands
        assert xml.count('<axPos val="b" />') == 1 and xml.count('<axPos val="l" />') == 1
    # Not "General" alone, which Gnumeric replaces with the loss column's nine decimals.
    assert [re.findall(r'formatCode="([^"]*)"', xml) for xml in charts.values()] == [
        ["General;-General"], ["0E+00"], ["General;-General"], ["General;-General"] * 2]


def test_mini_batches_draw_the_epochs_mean_over_thin_light_batches_and_no_outputs(tmp_path):
    path = tmp_path / "c.xlsx"
    api.network(path, preset="circle", attempts=20, samples=40)
    charts = chart_parts(path)
    assert not any("Outputs (solid)" in xml for xml in charts.values())
    loss = next(xml for xml in charts.values() if "Loss falling" in xml)
    names = re.findall(r"<tx><v>([^<]*)</v></tx>", loss)
    assert names == ["Each batch's loss", "Epoch's mean loss"]   # the mean drawn last, on top
    widths = [int(w) for w in re.findall(r'<a:ln w="([0-9]+)"', loss)][:2]
    assert widths[1] == 4 * widths[0] and 'val="E8B4B3"' in loss
    accuracy = next(xml for xml in charts.values() if "Accuracy: the share" in xml)
    assert '<max val="1" />' in accuracy and '<min val="0" />' in accuracy and \
        'formatCode="0%"' in accuracy


def test_many_samples_chart_the_first_three_by_name(tmp_path):
    path = tmp_path / "o.xlsx"
    api.network(path, data=[((x / 10,), (x / 5,)) for x in range(12)], layers="1,1",
                activation="linear", attempts=10)
    outputs = next(xml for xml in chart_parts(path).values() if "Outputs (solid)" in xml)
    assert re.findall(r"<tx><v>([^<]*)</v></tx>", outputs) == [
        "(0) → 0", "(0) → 0: target", "(0.1) → 0.2", "(0.1) → 0.2: target", "(0.2) → 0.4",
        "(0.2) → 0.4: target"]
