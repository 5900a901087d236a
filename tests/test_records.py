"""The records the reference and the sheet share: each activation, loss and layer, and the
structured fields of a network's row with the headers made from them."""

import math
import re
from dataclasses import replace

import pytest

from sheetgen.maths.activations import ACTIVATIONS, LEAK
from sheetgen.maths.dense import Dense
from sheetgen.maths.fields import CHECKS, Field, Kind, RowOrder, fields, header
from sheetgen.maths.losses import LOSSES, SQUARED_ERROR
from sheetgen.maths.network import Run
from sheetgen.maths.training import train
from sheetgen.maths.shape import Network, Parameter, Sample
from sheetgen.sheets.network_sheet import describe

NETS = (-3.0, -0.5, -1e-3, 0.25, 2.0)


@pytest.mark.parametrize("name", [name for name, a in ACTIVATIONS.items() if a.elementwise])
def test_each_slope_is_the_derivative_of_its_activation(name):
    activation = ACTIVATIONS[name]
    for z in NETS:
        h = 1e-6
        estimate = (activation.apply(z + h) - activation.apply(z - h)) / (2 * h)
        assert activation.slope(z, activation.apply(z)) == pytest.approx(estimate, rel=1e-6)


def test_leaky_relu_is_written_as_the_issue_gives_it():
    leaky = ACTIVATIONS["leaky_relu"]
    assert leaky.output_formula(["I3"], 0) == "=MAX(0.01*I3,I3)"
    assert leaky.slope_of("I3", "J3") == "IF(I3>0,1,0.01)"
    assert [leaky.apply(z) for z in (-2.0, 0.0, 3.0)] == [LEAK * -2.0, 0.0, 3.0]
    assert [leaky.slope(z, leaky.apply(z)) for z in (-2.0, 0.0, 3.0)] == [LEAK, LEAK, 1.0]


@pytest.mark.parametrize("name, inline", [
    ("tanh", "TANH(F3*G3+H3)"),
    ("sigmoid", "1/(1+EXP(-(F3*G3+H3)))"),
    ("relu", "MAX(0,F3*G3+H3)"),
    ("leaky_relu", "MAX(0.01*(F3*G3+H3),(F3*G3+H3))"),
    ("linear", "(F3*G3+H3)"),
])
def test_an_activation_inside_a_longer_formula_brackets_its_net_where_it_must(name, inline):
    assert ACTIVATIONS[name].applied(["J3", "F3*G3+H3"], 1) == inline


def test_the_squared_error_in_cells_and_in_floats():
    assert SQUARED_ERROR.term_formula("N3", "H3", "O3") == "O3^2/2"
    assert SQUARED_ERROR.term_formula("TANH(K3)", "H3") == "(TANH(K3)-H3)^2/2"
    assert SQUARED_ERROR.delta_formula("O3", "(1-N3^2)") == "=O3*(1-N3^2)"
    assert SQUARED_ERROR.delta_formula("O3", None) == "=O3"
    assert SQUARED_ERROR.terms([0.3, 0.5], [0.1, 0.0], [0.3 - 0.1, 0.5]) == [
        (0.3 - 0.1) ** 2 / 2, 0.5 ** 2 / 2]
    tanh = ACTIVATIONS["tanh"]
    y = math.tanh(0.4)
    assert SQUARED_ERROR.output_deltas(tanh, [0.4], [y], [y - 1]) == [(y - 1) * (1 - y**2)]
    assert list(LOSSES) == ["mse", "cross-entropy"]


def _xor(**changes) -> Run:
    samples = tuple(Sample((a, b), (float(a != b),)) for a in (0.0, 1.0) for b in (0.0, 1.0))
    run = Run(Network((2, 2, 1), ("tanh", "sigmoid")), samples,
              (((0.1, -0.2), (0.3, 0.4)), ((0.5, -0.6),)), ((0.1, 0.2), (0.3,)), attempts=3)
    return replace(run, **changes)


def test_the_batch_is_a_number_of_samples():
    assert _xor().batch_size == 4 and _xor().full_batch and _xor(batch=4).full_batch
    assert _xor(batch=1).samples_of(6) == (_xor().samples[1],)
    assert not _xor(batch=1).full_batch and _xor(batch=1).batch_size == 1
    assert _xor(batch=2).mini_batch and not _xor(batch=2).uneven and _xor(batch=3).uneven
    for unwritten in (0, 5):
        with pytest.raises(ValueError, match=f"a batch takes 1 to 4 samples, not {unwritten}"):
            _xor(batch=unwritten)


def test_a_full_batch_stays_full_with_other_samples():
    fewer = replace(_xor(), samples=_xor().samples[:3])
    assert fewer.full_batch and fewer.batch_size == 3


def test_every_value_of_a_row_has_a_structured_field_and_a_header_made_from_it():
    run = _xor(optimizer="adam", gradient_step=1e-6)
    row = dict(zip(fields(run), RowOrder(run)(next(train(run)))))
    assert len(row) == len(fields(run))
    weight = Field(Kind.PARAMETER, layer=2, neuron=0, source=1)
    assert row[weight] == -0.6
    assert header(run.network, weight) == "w h2→o1"
    assert header(run.network, weight.of(Kind.GRADIENT)) == "∂w h2→o1"
    assert header(run.network, weight.of(Kind.STATE, "m")) == "m w h2→o1"
    assert [header(run.network, weight.of(Kind.CHECK, part)) for part in CHECKS] == [
        "loss +H w h2→o1", "loss −H w h2→o1", "≈∂w h2→o1", "rel. diff. w h2→o1"]
    bias = Field(Kind.PARAMETER, layer=1, neuron=1)
    assert bias.parameter == Parameter(1, 1, None) and header(run.network, bias) == "b h2"
    assert header(run.network, Field(Kind.NET, 3, 1, 0)) == "h1 net"
    assert header(run.network, Field(Kind.DELTA, 3, 2, 0)) == "δ o1"
    assert header(run.network, Field(Kind.TARGET, 2, 2, 0)) == "t1"


def test_the_sheets_columns_carry_the_fields_and_group_by_them():
    sheet = describe(_xor(batch=1))
    by_field = {col.field: col for col in sheet.columns}
    assert set(by_field) == set(fields(_xor(batch=1)))
    assert [group.title for group in sheet.groups] == [
        "Attempt", "The row's sample", "Layer 1: Hidden layer · tanh",
        "Layer 2: Output layer · sigmoid"]
    net = sheet.letter(Field(Kind.NET, 0, 2, 0))
    assert by_field[Field(Kind.OUT, 0, 2, 0)].formula(3) == f"=1/(1+EXP(-{net}3))"


def _evaluated(formula: str, values: dict[str, float]) -> float:
    """A formula of cells, * and + only, computed in doubles left to right, as an engine does."""
    return eval(re.sub(r"[A-Z]+[0-9]+", lambda cell: repr(values[cell[0]]), formula))


def test_a_dense_layers_formulas_and_its_reference_compute_the_same_bits():
    """One record, read by both: a neuron's net, what a hidden neuron gets back, and a
    parameter's gradient term, each as its cells' formula and as the reference's floats."""
    layer = Dense(3, 2)
    a, w, b, delta = [0.1, -0.7, 0.3], [[0.2, -0.5, 0.9], [1.1, 0.4, -0.3]], [0.05, -0.2], \
        [0.37, -1.3]
    cells = {f"A{i + 1}": a[i] for i in range(3)} | {f"D{j + 1}": delta[j] for j in range(2)}
    cells |= {f"W{j + 1}{i + 1}": w[j][i] for j in range(2) for i in range(3)}
    cells |= {f"B{j + 1}": b[j] for j in range(2)}

    def input_of(i):
        return f"A{i + 1}"

    def delta_of(j):
        return f"D{j + 1}"

    def parameter(key):
        j, i = key
        return f"B{j + 1}" if i is None else f"W{j + 1}{i + 1}"

    assert layer.net_formula(0, input_of, parameter) == "A1*W11+A2*W12+A3*W13+B1"
    assert layer.back_formula(2, parameter, delta_of, input_of, delta_of) == "W13*D1+W23*D2"
    assert [_evaluated(layer.net_formula(j, input_of, parameter), cells)
            for j in range(2)] == layer.nets(a, w, b)
    assert [_evaluated(layer.back_formula(i, parameter, delta_of, input_of, delta_of), cells)
            for i in range(3)] == layer.back(w, delta, a, [])
    # Two passes, the second's inputs and δs in cells of their own: each parameter's
    # gradient is the mean of its two terms, summed in order.
    a2, delta2 = [0.6, 0.25, -0.9], [-0.45, 0.8]
    cells |= {f"E{i + 1}": a2[i] for i in range(3)} | {f"F{j + 1}": delta2[j] for j in range(2)}
    weight_gradients, bias_gradients = layer.gradients([a, a2], [delta, delta2])
    by_key = {(j, i): (bias_gradients[j] if i is None else weight_gradients[j][i])
              for j, i in layer.parameters()}

    def mean_of(key):
        terms = [*layer.gradient_terms(key, input_of, delta_of),
                 *layer.gradient_terms(key, lambda i: f"E{i + 1}", lambda j: f"F{j + 1}")]
        return _evaluated(f"({'+'.join(terms)})/2", cells)
    assert {key: mean_of(key) for key in layer.parameters()} == by_key
    assert layer.parameter_count == len(layer.parameters()) == 8


def test_the_network_and_its_sheet_go_through_its_layer_records():
    run = _xor()
    assert run.network.layers == (Dense(2, 2), Dense(2, 1))
    assert run.network.parameters()[:3] == [Parameter(1, 0, 0), Parameter(1, 0, 1),
                                            Parameter(1, 0, None)]
    sheet = describe(run)
    net = {col.field: col for col in sheet.columns}[Field(Kind.NET, 1, 2, 0)]
    assert net.meaning == f"The net of o1: {Dense.net_meaning}."
    letter = sheet.letter
    assert net.formula(3) == "=" + run.network.layers[1].net_formula(
        0, lambda i: f"{letter(Field(Kind.OUT, 1, 1, i))}3",
        lambda key: f"{letter(Field(Kind.PARAMETER, layer=2, neuron=key[0], source=key[1]))}3")


def test_a_dense_layers_parameters_stand_in_its_table_and_come_back_from_their_values():
    """Its table puts each neuron on a row, its weights across and its bias last, every
    place once; its weights and biases read back from the parameters' values are its own."""
    layer = Dense(3, 2)
    w, b = ((0.5, -1.0, 2.0), (0.25, 0.0, -3.5)), (0.1, -0.2)
    places = [layer.table_place(key) for key in layer.parameters()]
    assert places == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)]
    assert [layer.value(key, w, b) for key in layer.parameters()] == [
        0.5, -1.0, 2.0, 0.1, 0.25, 0.0, -3.5, -0.2]
    assert layer.weights_and_biases(lambda key: layer.value(key, w, b)) == (w, b)


def test_a_dense_parameter_moved_changes_itself_alone_and_reaches_its_own_neuron():
    layer = Dense(2, 2)
    w, b = ((1.0, 2.0), (3.0, 4.0)), (5.0, 6.0)
    assert layer.with_value((1, 0), 9.0, w, b) == ([(1.0, 2.0), [9.0, 4.0]], [5.0, 6.0])
    assert layer.with_value((0, None), 7.0, w, b) == ([(1.0, 2.0), (3.0, 4.0)], [7.0, 6.0])
    assert [layer.reaches(key) for key in layer.parameters()] == [(0,)] * 3 + [(1,)] * 3
    assert layer.incoming(1) == [(1, 0), (1, 1)]   # a picture of neuron 1: its weights
