"""The Playground's sets of the plane and the features of a point, without an engine: each
set as its dataset.ts draws it, the labels each output takes, the Data sheet's feature
formulas and what the network sees, reading them back, and the options' refusals."""

import math
import statistics

import pytest
from helpers import assert_network_refused, write
from openpyxl import load_workbook

from sheetgen import api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.maths import playground
from sheetgen.maths.features import FEATURES
from sheetgen.maths.training import train
from sheetgen.maths.passes import forward
from sheetgen.sheets.network_data import feature_cells, sample_cells


def by_class(points, label):
    return [(x, y) for x, y, c in points if c == label]


def test_the_circle_is_blue_inside_and_orange_around():
    points = playground.points("circle", 201, 0, 3)
    inside, around = by_class(points, 1), by_class(points, 0)
    assert (len(inside), len(around)) == (101, 100)   # the odd one is the first class's
    # Rounded to hundredths, a radius can pass its bound by half a hundredth at most.
    assert all(math.hypot(x, y) <= 2.5 + 0.01 for x, y in inside)
    assert all(3.5 - 0.01 <= math.hypot(x, y) <= 5 + 0.01 for x, y in around)
    assert all(round(v, 2) == v for x, y, _ in points for v in (x, y))
    noisy = playground.points("circle", 2000, 50, 3)
    # Noise moves where a point is judged, not where it is: some drawn inside count as orange.
    assert any(c == 0 and math.hypot(x, y) < 2.5 for x, y, c in noisy)


def test_the_gauss_set_is_the_playgrounds_two_clouds():
    """Half the points around (2, 2) as blue, half around (−2, −2); the variance 0.5 at no
    noise, 4 at the most."""
    for noise, variance in ((0, 0.5), (50, 4.0)):
        points = playground.points("gauss", 20_000, noise, 7)
        for label, centre in ((1, 2), (0, -2)):
            xs = [x for x, _ in by_class(points, label)]
            assert len(xs) == 10_000
            assert statistics.fmean(xs) == pytest.approx(centre, abs=0.06)
            assert statistics.pvariance(xs) == pytest.approx(variance, rel=0.05)


def test_the_spiral_winds_two_arms_out_from_the_centre():
    points = playground.points("spiral", 100, 0, 0)
    blue, orange = by_class(points, 1), by_class(points, 0)
    for arm, turned in ((blue, 0.0), (orange, math.pi)):
        for i, (x, y) in enumerate(arm):
            r, t = 5 * i / 50, 1.75 * 2 * math.pi * i / 50 + turned
            assert (x, y) == (round(r * math.sin(t), 2), round(r * math.cos(t), 2))
    noisy = playground.points("spiral", 100, 50, 0)
    assert max(abs(a - b) for (a, _, _), (b, _, _) in zip(points, noisy)) <= 0.5 + 0.01


def test_the_quadrants_are_blue_where_the_signs_agree():
    points = playground.points("quadrants", 400, 0, 1)
    assert all(abs(x) >= 0.3 and abs(y) >= 0.3 and abs(x) <= 5.3 for x, y, _ in points)
    assert all(c == (x * y >= 0) for x, y, c in points)
    assert 150 < sum(c for _, _, c in points) < 250


def test_a_seed_draws_its_own_points_and_a_test_set_others():
    assert playground.points("circle", 20, 0, 1) == playground.points("circle", 20, 0, 1)
    assert playground.points("circle", 20, 0, 1) != playground.points("circle", 20, 0, 2)
    run = api.network_run(data="circle", test="circle", samples=20, layers=(2, 3, 1))
    assert len(run.tests) == 20 and not set(run.samples) & set(run.tests)


def test_the_labels_follow_the_output():
    def targets(**options):
        return {s.targets for s in api.network_run(data="circle", samples=8, **options).samples}
    assert targets(layers=(2, 1)) == {(1.0,), (-1.0,)}                 # tanh says no at −1
    assert targets(layers=(2, 1), activation="sigmoid") == {(1.0,), (0.0,)}
    assert targets(layers=(2, 2), activation="softmax", loss="cross-entropy") == {
        (0.0, 1.0), (1.0, 0.0)}
    run = api.network_run(data="circle", samples=8, layers=(2, 1))
    assert run.classes == ("orange", "blue")
    blue = [s for s, (_, _, c) in zip(run.samples, playground.points("circle", 8, 0, 0)) if c]
    assert all(s.targets == (1.0,) for s in blue) and len(blue) == 4


FEATURED = ("x1", "x1^2", "x1*x2", "sin(x2)")


def featured_run(**options):
    return api.network_run(data="gauss", samples=6, features=",".join(FEATURED),
                           layers=(4, 2, 1), attempts=3, **options)


def test_the_network_sees_each_points_features():
    run = featured_run()
    assert [run.network.neuron(0, i) for i in range(4)] == ["x1", "x1²", "x1·x2", "sin x2"]
    for typed, seen in zip(run.samples, run.trained_samples):
        x1, x2 = typed.inputs
        assert seen.inputs == (x1, x1 ** 2, x1 * x2, math.sin(x2))
    first = next(train(run))
    nets = forward(run.network.layers, run.activations, first.weights, first.biases,
                   run.trained_samples[0].inputs)
    assert first.passes[0].nets == nets[0]


def test_the_data_sheet_works_the_features_out_of_each_point(tmp_path):
    run = featured_run()
    assert feature_cells(run)[0] == ("G8", "H8", "I8", "J8")   # after x1, x2, target, class
    data = load_workbook(write(tmp_path / "f.xlsx", run))["Data"]
    assert [data[c].value for c in feature_cells(run)[0]] == [
        "=B8", "=B8^2", "=B8*C8", "=SIN(C8)"]
    assert [data.cell(7, c).value for c in range(1, 11)] == [
        "Sample", "x1", "x2", "t blue", "class", None, "x1", "x1²", "x1·x2", "sin x2"]
    assert (data["E4"].value, data["F4"].value) == ("Features", ",".join(FEATURED))
    assert sample_cells(run)[0] == ("G8", "H8", "I8", "J8", "D8")
    training = load_workbook(tmp_path / "f.xlsx")["Training"]
    assert "=Data!$H$8" in [cell.value for cell in training[3]]
    assert read_network_workbook(tmp_path / "f.xlsx").run.network == run.network


def test_standardised_features_are_the_features_statistics(tmp_path):
    run = featured_run(standardize=True)
    column = [s.inputs[1] for s in run.trained_samples]
    assert statistics.fmean(column) == pytest.approx(0, abs=1e-15)
    assert statistics.pstdev(column) == pytest.approx(1, rel=1e-12)
    data = load_workbook(write(tmp_path / "s.xlsx", run))["Data"]
    assert data["H14"].value == "=(H8+H9+H10+H11+H12+H13)/6"     # under the x1² column
    scaled = [row for row in data.iter_rows(values_only=True) if row[0] == 1][-1]
    assert scaled[2] == "=(H8-H$14)/H$15"


@pytest.mark.parametrize("args, message", [
    (["--features", "x1,x3"], "argument --features: 'x3' is not a feature; choose from "
                              + ", ".join(FEATURES)),
    (["--features", "x1,x2,x1"], "argument --features: lists x1 twice; give each feature once"),
    (["--data", "iris", "--features", "x1,x2"],
     "argument --features: takes features of a point of the plane, (x1, x2), and the iris "
     "data's samples have 4 input(s)"),
    (["--data", "circle", "--features", "x1,x2,x1^2", "--layers", "2,3,1"],
     "argument --layers: 2,3,1 takes 2 input(s), and --features gives 3"),
    (["--data", "circle", "--noise", "51"], "argument --noise: must lie between 0 and 50 "
                                            "(percent), not 51"),
    (["--data", "circle", "--samples", "3"], "argument --samples: must be from 4 to 2,000 "
                                             "samples, not 3"),
    (["--data", "circle", "--samples", "2001"], "argument --samples: must be from 4 to "
                                                "2,000 samples, not 2001"),
    (["--data", "xor", "--samples", "10"],
     "argument --samples: is for the digits and the Playground's sets of the plane (digits, "
     "circle, gauss, spiral, quadrants), and the data is xor"),
    (["--noise", "10"], "argument --noise: is for the Playground's sets of the plane (circle, "
                        "gauss, spiral, quadrants), and the data is xor"),
])
def test_bad_plane_options_are_one_line_exit_2_and_no_file(tmp_path, monkeypatch, capsys, args,
                                                           message):
    monkeypatch.chdir(tmp_path)
    assert_network_refused(args, message, tmp_path, capsys)
