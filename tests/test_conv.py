"""Convolution and pooling without an engine: gradients against autograd, training against a
plain-loop reference, the formulas against the reference's bits, max pooling's ties, refusals
and the seeded start. The references read nothing of sheetgen's layers: maps[c][row][column],
Conv2d's cross-correlation (stride 1, no padding), MaxPool2d / AvgPool2d (stride their size),
flattened c, row, column before a dense layer. "Within 1e-12" is relative, plus 1e-15 absolute
for values near 0: |a − b| ≤ 1e-12·max(|a|, |b|) + 1e-15."""

import json
import math
import random
import re
from collections import Counter
from itertools import product

import autograd.numpy as anp
import pytest
from autograd import grad

from sheetgen import InputError, api
from sheetgen.cli import main
from sheetgen.inputs.layer_text import LAYER_SYNTAX
from sheetgen.maths.conv import Conv
from sheetgen.maths.datasets import seeded_tables
from sheetgen.maths.pool import Pool
from sheetgen.maths.shape import Sample
from sheetgen.maths.stack import ImageLayer, stacked
from sheetgen.maths.training import train

TANH, SIGMOID, RELU = "tanh", "sigmoid", "relu"
OWNERS = ("conv", "dense")   # the layers with parameters
SLOPES = {TANH: lambda z, y: 1 - y * y, SIGMOID: lambda z, y: y * (1 - y),
          RELU: lambda z, y: 1.0 if z > 0 else 0.0, "linear": lambda z, y: 1.0}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b)) + 1e-15


# A forward pass for floats and autograd's boxes alike. A layer is ("conv", k, filters,
# activation), ("maxpool", k), ("avgpool", k) or ("dense", n, activation); params hold each
# conv's (kernels[f][c][r][s], biases[f]) and each dense layer's (weights[j][i], biases[j]).
ACTIVATED = {TANH: lambda z, ops: ops.tanh(z), SIGMOID: lambda z, ops: 1 / (1 + ops.exp(-z)),
             RELU: lambda z, ops: z if z > 0 else 0.0 * z, "linear": lambda z, ops: z}


def _each(f, *nested):
    """f of the matching leaves of equally shaped nested lists."""
    if isinstance(nested[0], list | tuple):
        return [_each(f, *parts) for parts in zip(*nested)]
    return f(*nested)


def _flat(nested) -> list:
    return [x for part in nested for x in _flat(part)] if isinstance(nested, list | tuple) \
        else [nested]


def _convolved(a, kernels, biases):
    k, rows, columns = len(kernels[0][0]), len(a[0]), len(a[0][0])
    return [[[biases[f] + sum(a[c][y + r][x + s] * kernel[c][r][s]
                              for c, r, s in product(range(len(a)), range(k), range(k)))
              for x in range(columns - k + 1)] for y in range(rows - k + 1)]
            for f, kernel in enumerate(kernels)]


def _window(m, k, y, x) -> list:
    """The values of a k×k window of map m in row order."""
    return [m[y * k + r][x * k + s] for r in range(k) for s in range(k)]


def _pooled(a, kind, k):
    reduce = max if kind == "maxpool" else (lambda values: sum(values[1:], values[0]) / (k * k))
    return [[[reduce(_window(m, k, y, x)) for x in range(len(m[0]) // k)]
             for y in range(len(m) // k)] for m in a]


def _forward(spec, params, inputs, picture, ops=math) -> list:
    """(nets, outputs) of every layer; softmax where the last dense layer says so."""
    width, height = picture
    a = [[[inputs[y * width + x] for x in range(width)] for y in range(height)]]
    trace, tables = [], iter(params)
    for layer in spec:
        kind = layer[0]
        if kind == "conv":
            z = _convolved(a, *next(tables))
            y = _each(lambda v, f=ACTIVATED[layer[3]]: f(v, ops), z)
        elif kind == "dense":
            (w, b), a = next(tables), _flat(a)
            z = [b[j] + sum(w[j][i] * a[i] for i in range(len(a))) for j in range(layer[1])]
            if layer[2] == "softmax":
                powers = [ops.exp(v - max(z)) for v in z]
                y = [p / sum(powers) for p in powers]
            else:
                y = [ACTIVATED[layer[2]](v, ops) for v in z]
        else:
            z = y = _pooled(a, kind, layer[1])
        trace.append((z, y))
        a = y
    return trace


def _sample_loss(spec, params, sample, picture, loss, ops=math):
    pairs = list(zip(_forward(spec, params, sample.inputs, picture, ops)[-1][1], sample.targets))
    return -sum(t * ops.log(y) for y, t in pairs) if loss == "cross-entropy" else \
        sum((y - t) ** 2 / 2 for y, t in pairs)


# The same networks as sheetgen builds them.
def _run(spec, picture, params, samples, loss, **options):
    """sheetgen's run of the spec from `params`, given to the API as an init structure."""
    named = [f"conv{x[2]}@{x[1]}x{x[1]}" if x[0] == "conv" else str(x[1]) if x[0] == "dense"
             else f"{x[0]}{x[1]}" for x in spec]
    init = {"layers": [{"kernels" if layer[0] == "conv" else "weights": w, "biases": b}
                       for layer, (w, b) in zip([x for x in spec if x[0] in OWNERS], params)]}
    image = f"{picture[0]}x{picture[1]}"
    return api.network_run(data=[(s.inputs, s.targets) for s in samples], image=image,
                           layers=",".join([image, *named]), loss=loss, init=init,
                           activation=",".join(x[-1] for x in spec if x[0] in OWNERS),
                           **options)


def _aligned(spec, params) -> list:
    """The params of each layer of the spec; None for a pool's."""
    tables = iter(params)
    return [next(tables) if layer[0] in OWNERS else None for layer in spec]


def _tables(spec, params) -> tuple[tuple, tuple]:
    """sheetgen's weights and biases: a conv's kernel flattened channel, row, column per row."""
    pairs = [table or ((), ()) for table in _aligned(spec, params)]
    return (tuple(tuple(tuple(_flat(row)) for row in w) for w, _ in pairs),
            tuple(tuple(b) for _, b in pairs))


def _random_start(spec, picture, rng) -> list:
    def drawn(*shape):
        return [drawn(*shape[1:]) for _ in range(shape[0])] if shape else rng.uniform(-.6, .6)
    params, maps, rows, columns = [], 1, picture[1], picture[0]
    for layer in spec:
        n = layer[1]
        if layer[0] == "conv":
            params.append((drawn(layer[2], maps, n, n), drawn(layer[2])))
            maps, rows, columns = layer[2], rows - n + 1, columns - n + 1
        elif layer[0] == "dense":
            params.append((drawn(n, maps * rows * columns), drawn(n)))
            maps, rows, columns = n, 1, 1
        else:
            rows, columns = rows // n, columns // n
    return params


def _samples(picture, outputs, count, rng, loss) -> tuple[Sample, ...]:
    pixels = picture[0] * picture[1]
    return tuple(Sample(tuple(rng.random() for _ in range(pixels)),
                        tuple(float(k == n % outputs) if loss == "cross-entropy"
                              else rng.uniform(-0.9, 0.9) for k in range(outputs)))
                 for n in range(count))


AUTOGRAD_CASES = {
    "6x6 conv2@3x3 tanh, maxpool2, dense 3 softmax": (
        (6, 6), (("conv", 3, 2, TANH), ("maxpool", 2), ("dense", 3, "softmax")),
        "cross-entropy"),
    "6x6 conv2@3x3 tanh, avgpool2, conv3@2x2 relu, dense 2 tanh, mse": (
        (6, 6), (("conv", 3, 2, TANH), ("avgpool", 2), ("conv", 2, 3, RELU),
                 ("dense", 2, TANH)), "mse"),
    "7 wide 5 high conv2@2x2 sigmoid, maxpool2, conv2@2x2 tanh, dense 3 softmax": (
        (7, 5), (("conv", 2, 2, SIGMOID), ("maxpool", 2), ("conv", 2, 2, TANH),
                 ("dense", 3, "softmax")), "cross-entropy"),
}


@pytest.mark.parametrize("name", AUTOGRAD_CASES)
def test_conv_pool_and_dense_gradients_equal_autograds(name):
    picture, spec, loss = AUTOGRAD_CASES[name]
    rng = random.Random(11)
    params = _random_start(spec, picture, rng)
    samples = _samples(picture, spec[-1][1], 3, rng, loss)
    for sample in samples:   # no ties in a max window: the maximum's gradient is defined
        trace = _forward(spec, params, sample.inputs, picture)
        for n in (n for n, layer in enumerate(spec) if layer[0] == "maxpool"):
            k, z = spec[n][1], trace[n][0]
            assert all(len(set(_window(m, k, y, x))) == k * k for m in trace[n - 1][1]
                       for y in range(len(z[0])) for x in range(len(z[0][0])))
    this = next(train(_run(spec, picture, params, samples, loss, attempts=1)))

    def mean_loss(arrays):
        return sum(_sample_loss(spec, arrays, s, picture, loss, anp) for s in samples) / 3
    arrays = [(anp.array(w, dtype=float), anp.array(b, dtype=float)) for w, b in params]
    assert _close(this.loss, float(mean_loss(arrays)))
    table = iter(grad(mean_loss)(arrays))
    for layer, w_g, b_g in zip(spec, this.weight_gradients, this.bias_gradients):
        if layer[0] not in OWNERS:
            assert (w_g, b_g) == ([], [])
            continue
        g_w, g_b = next(table)
        assert (len(w_g), len(w_g[0])) == (len(g_w), g_w[0].size)   # a kernel flattened
        pairs = list(zip(_flat(w_g) + list(b_g), list(g_w.flatten()) + list(g_b)))
        assert all(_close(a, float(b)) for a, b in pairs), pairs
        assert any(abs(a) > 1e-4 for a, _ in pairs)   # gradients that say something


# An independent training: backward by hand, in plain loops.
def _backward(spec, params, trace, inputs, picture, targets, loss) -> list:
    """Each parameter's gradient from one sample, in params' shape."""
    width, height = picture
    z, y = trace[-1]
    delta = [v - t for v, t in zip(y, targets)]
    if loss == "mse":
        delta = [d * SLOPES[spec[-1][2]](a, b) for d, a, b in zip(delta, z, y)]
    grads, tables = [], _aligned(spec, params)
    for number in range(len(spec) - 1, -1, -1):
        layer, table = spec[number], tables[number]
        a = trace[number - 1][1] if number else [
            [[inputs[r * width + s] for s in range(width)] for r in range(height)]]
        if layer[0] == "conv":
            back, g = _conv_back(a, table[0], delta)
        elif layer[0] == "dense":
            flat, w = _flat(a), table[0]
            grads.insert(0, ([[d * v for v in flat] for d in delta], list(delta)))
            summed = iter([sum(w[j][i] * delta[j] for j in range(len(delta)))
                           for i in range(len(flat))])
            back = _each(lambda _, it=summed: next(it), a)   # back into the maps, if any
        else:
            back = _pool_back(a, layer, delta)
        if layer[0] == "conv":
            grads.insert(0, g)
        if number:
            before = spec[number - 1]
            slope = SLOPES[before[-1] if before[0] in OWNERS else "linear"]
            delta = _each(lambda d, z, y, f=slope: d * f(z, y), back, trace[number - 1][0], a)
    return grads


def _conv_back(a, kernels, delta):
    k, back, g_k, g_b = len(kernels[0][0]), _each(lambda _: 0.0, a), \
        _each(lambda _: 0.0, kernels), [0.0] * len(kernels)
    for f, kernel in enumerate(kernels):
        for (y, x), c, r, s in product(_places(delta[f]), range(len(a)), range(k), range(k)):
            d = delta[f][y][x]
            g_b[f] += d if c == r == s == 0 else 0.0
            g_k[f][c][r][s] += d * a[c][y + r][x + s]
            back[c][y + r][x + s] += kernel[c][r][s] * d
    return back, (g_k, g_b)


def _places(m) -> list:
    return list(product(range(len(m)), range(len(m[0]))))


def _pool_back(a, layer, delta):
    """A mean's δ shared out; a maximum's, all of it to the first largest in row order."""
    (kind, k), back = layer, _each(lambda _: 0.0, a)
    for c, (y, x), place in product(range(len(delta)), _places(delta[0]), range(k * k)):
        d, window = delta[c][y][x], _window(a[c], k, y, x)
        first = place == window.index(max(window))
        share = d / (k * k) if kind == "avgpool" else d if first else 0.0
        back[c][y * k + place // k][x * k + place % k] = share
    return back


def _trained_losses(spec, params, samples, picture, loss, batch, rate, attempts) -> list:
    losses = []
    for number in range(attempts):
        chosen = [samples[(number * batch + i) % len(samples)] for i in range(batch)]
        total, summed = 0.0, None
        for sample in chosen:
            trace = _forward(spec, params, sample.inputs, picture)
            total += _sample_loss(spec, params, sample, picture, loss)
            g = _backward(spec, params, trace, sample.inputs, picture, sample.targets, loss)
            summed = g if summed is None else _each(lambda u, v: u + v, summed, g)
        losses.append(total / batch)
        params = _each(lambda p, g: p - rate * g / batch, params, summed)
    return losses


TRAINED = {
    "conv2@3x3 tanh, maxpool2, conv2@2x2 relu, softmax, batches of 2": (
        (("conv", 3, 2, TANH), ("maxpool", 2), ("conv", 2, 2, RELU), ("dense", 3, "softmax")),
        "cross-entropy", 2),
    "conv2@3x3 sigmoid, avgpool2, tanh, mse, full batch": (
        (("conv", 3, 2, SIGMOID), ("avgpool", 2), ("dense", 2, TANH)), "mse", None),
}


@pytest.mark.parametrize("name", TRAINED)
def test_a_conv_run_from_an_init_has_the_plain_references_loss_at_every_attempt(name):
    spec, loss, batch = TRAINED[name]
    rng = random.Random(5)
    params = _each(lambda v: round(v, 2), _random_start(spec, (6, 6), rng))
    samples = _samples((6, 6), spec[-1][1], 4, rng, loss)
    run = _run(spec, (6, 6), params, samples, loss, batch=batch or "full", attempts=5,
               learning_rate=0.5)
    assert (run.weights, run.biases) == _tables(spec, params)   # kernels[f][c][r][s] read
    ours = [this.loss for this in train(run)]
    theirs = _trained_losses(spec, params, samples, (6, 6), loss, batch or 4, 0.5, 5)
    assert len(ours) == 5 and all(map(_close, ours, theirs)), (ours, theirs)
    if batch is None:   # the full batch learns
        assert ours[-1] < ours[0] - 1e-3


# The records' formulas, computed in doubles as an engine computes them.
def _evaluated(formula: str, cells: dict[str, float]) -> float:
    """A formula of named cells with + - * / MAX ABS IF AND = < >=, left to right in
    doubles."""
    python = re.sub(r"(?<![<>=])=", "==", formula)
    functions = {"MAX": lambda *v: max(v), "ABS": abs, "AND": lambda *v: all(v),
                 "IF": lambda test, yes, no: yes if test else no}
    return float(eval(python, functions, dict(cells)))


def _named(letter: str, values) -> dict[str, float]:
    return {f"{letter}{n}": v for n, v in enumerate(values)}


def test_a_conv_layers_formulas_and_its_reference_compute_the_same_bits():
    conv, rng = Conv(2, 5, 4, 3, 2), random.Random(3)   # 2 maps of 5 rows × 4 columns
    a, a2, d, d2, b = ([rng.uniform(-1, 1) for _ in range(n)] for n in (
        conv.inputs, conv.inputs, conv.outputs, conv.outputs, conv.filters))
    w = [[rng.uniform(-1, 1) for _ in range(conv.columns)] for _ in range(conv.filters)]
    cells = (_named("A", a) | _named("E", a2) | _named("D", d) | _named("F", d2)
             | _named("B", b) | {f"K{f}_{t}": w[f][t] for f in range(3)
                                 for t in range(conv.columns)})

    def parameter(key):
        return f"B{key[0]}" if key[1] is None else f"K{key[0]}_{key[1]}"
    z = conv.nets(a, w, b)
    assert [_evaluated(conv.net_formula(j, "A{}".format, parameter), cells)
            for j in range(conv.outputs)] == z
    assert [_evaluated(conv.back_formula(i, parameter, "D{}".format, "A{}".format, None), cells)
            for i in range(conv.inputs)] == conv.back(w, d, a, z)
    w_g, b_g = conv.gradients([a, a2], [d, d2])

    def mean_of(key):
        terms = [*conv.gradient_terms(key, "A{}".format, "D{}".format),
                 *conv.gradient_terms(key, "E{}".format, "F{}".format)]
        return _evaluated(f"({'+'.join(terms)})/2", cells)
    assert {key: mean_of(key) for key in conv.parameters()} == {
        (f, t): b_g[f] if t is None else w_g[f][t] for f, t in conv.parameters()}


@pytest.mark.parametrize("mean", [False, True])
def test_a_pool_layers_formulas_and_its_reference_compute_the_same_bits(mean):
    pool, rng = Pool(2, 4, 6, 2, mean), random.Random(8)   # 2 maps of 4 rows × 6 columns
    a, d = ([rng.uniform(-1, 1) for _ in range(n)] for n in (pool.inputs, pool.outputs))
    z = pool.nets(a, (), ())
    cells = _named("A", a) | _named("D", d) | _named("N", z)
    assert [_evaluated(pool.net_formula(j, "A{}".format, None), cells)
            for j in range(pool.outputs)] == z
    back = pool.back((), d, a, z)
    assert [_evaluated(pool.back_formula(i, None, "D{}".format, "A{}".format, "N{}".format), cells)
            for i in range(pool.inputs)] == back
    maps = [[a[c * 24 + r * 6: c * 24 + r * 6 + 6] for r in range(4)] for c in range(2)]
    assert all(map(_close, z, _flat(_pooled(maps, "avgpool" if mean else "maxpool", 2))))
    assert sum(v != 0 for v in back) == (pool.inputs if mean else pool.outputs)
    assert pool.gradient_terms((0, 0), "A{}".format, "D{}".format) == [] and pool.parameters() == []


def test_max_pooling_sends_a_tied_windows_whole_delta_to_its_first_maximum_in_row_order():
    pool = Pool(1, 4, 4, 2)
    a = [0.5, 0.5, 0.1, 0.7,     # windows: 0.5 0.5 / 0.2 0.5 → the first;
         0.2, 0.5, 0.7, 0.7,     # 0.1 0.7 / 0.7 0.7 → the second (index 3);
         0.3, 0.3, 0.2, 0.6,     # all 0.3 → the first (index 8);
         0.3, 0.3, 0.9, 0.9]     # 0.2 0.6 / 0.9 0.9 → the third (index 14),
    a[14] = math.nextafter(0.9, 0)  # even a hair below the fourth: within the route's margin
    delta, z = [1.5, -2.0, 0.25, 3.0], pool.nets(a, (), ())
    assert z == [0.5, 0.7, 0.3, 0.9]
    expected = [dict(zip((0, 3, 8, 14), delta)).get(i, 0.0) for i in range(16)]
    assert pool.back((), delta, a, z) == expected
    cells = _named("A", a) | _named("D", delta) | _named("N", z)
    assert [_evaluated(pool.back_formula(i, None, "D{}".format, "A{}".format, "N{}".format), cells)
            for i in range(16)] == expected


# Refusals.
def test_stacked_refuses_a_kernel_larger_than_its_input_and_a_pool_that_does_not_divide():
    with pytest.raises(ValueError, match="^a 5×5 kernel is larger than its 4×4 input$"):
        stacked((4, 4), (ImageLayer("conv", 5, 1),))
    with pytest.raises(ValueError, match="kernel is larger"):   # too tall, not too wide
        stacked((6, 3), (ImageLayer("conv", 4, 1),))
    with pytest.raises(ValueError, match="^a pool of 3 does not divide its 4×4 map$"):
        stacked((6, 6), (ImageLayer("conv", 3, 1), ImageLayer("maxpool", 3)))
    with pytest.raises(ValueError, match="^a pool of 2 does not divide its 2×3 map$"):
        stacked((2, 3), (ImageLayer("avgpool", 2),))


DIGITS = {"data": "digits", "samples": 4, "attempts": 1}
BAD_KERNELS = {"layers": [{"kernels": [[[[0.1, 0.2], [0.3, 0.4]]]] * 2, "biases": [0, 0]},
                          {"weights": [[0.0] * 18] * 10, "biases": [0.0] * 10}]}
NOT_PICTURES = "has image layers, and the data are not pictures"
REFUSED = {
    "kernel larger than its input": ({**DIGITS, "layers": "8x8,conv2@9x9,10"},
                                     "a 9×9 kernel is larger than its 8×8 input"),
    "pool that does not divide": ({**DIGITS, "layers": "8x8,conv2@3x3,maxpool4,10"},
                                  "a pool of 4 does not divide its 6×6 map"),
    "conv after dense": ({**DIGITS, "layers": "8x8,10,conv2@3x3"},
                         "'conv2@3x3' comes after the dense layer 10"),
    "xor is not pictures": ({"data": "xor", "layers": "2x1,conv1@1x1,1"}, NOT_PICTURES),
    "csv without --image": ({"data": "pixels.csv", "layers": "2x2,conv1@2x2,1"}, NOT_PICTURES),
    "malformed layer": ({**DIGITS, "layers": "8x8,cnv2,10"},
                        f"'cnv2' is not a layer: must be {LAYER_SYNTAX}"),
    "init's kernels of another shape": (
        {**DIGITS, "layers": "8x8,conv2@3x3,maxpool2,10", "init": "init.json"},
        'layer 1 of init.json: "kernels" is not 2 filters × 1 channel(s) × 3×3 numbers'),
}


@pytest.mark.parametrize("name", REFUSED)
def test_bad_image_layers_are_refused_in_one_line_with_no_file(name, tmp_path, capsys,
                                                               monkeypatch):
    options, message = REFUSED[name]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pixels.csv").write_text("x1,x2,x3,x4,t\n0,1,0,1,1\n1,0,1,0,0\n")
    (tmp_path / "init.json").write_text(json.dumps(BAD_KERNELS))
    (out := tmp_path / "out").mkdir()
    with pytest.raises(InputError) as refused:
        api.network(out / "api.xlsx", **options)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    args = [word for key, value in options.items()
            for word in (f"--{key.replace('_', '-')}", str(value))]
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["network", *args, "-o", str(out / "cli.xlsx")]))
    error = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert message in error and error.count("\n") == 1 and "Traceback" not in error
    assert list(out.iterdir()) == []


def test_a_conv_layer_of_no_filters_is_refused():
    with pytest.raises(InputError, match="every size must be at least 1"):
        api.network_run(**DIGITS, layers="8x8,conv0@3x3,10")


# The seeded start.
def test_a_seeded_conv_layer_starts_uniform_in_hundredths_within_its_fan_ins_bound():
    run = api.network_run(**DIGITS, layers="8x8,conv3@3x3,maxpool2,conv2@2x2,10", seed=7)
    tables = [(3, 9), (0, 0), (2, 12), (10, 8)]   # (filters, c·k·k), a pool's none, dense
    assert [(layer.rows, layer.columns) for layer in run.network.layers] == tables
    assert (run.weights, run.biases) == seeded_tables(tables, 7)
    assert run.weights[1] == run.biases[1] == ()
    # Many draws of those tables and a 2×5×5 kernel's: every hundredth within ±1/√(c·k·k),
    # none past it, each as often (1/3 → .33, 1/√12 → .28, 1/√8 → .35, 1/√50 → .14).
    for columns, largest in ((9, 33), (12, 28), (8, 35), (2 * 5 * 5, 14)):
        values = _flat(seeded_tables([(3000, columns)], 1))
        assert all(round(v * 100) / 100 == v for v in values)
        counts = Counter(round(v * 100) for v in values)
        assert sorted(counts) == list(range(-largest, largest + 1))
        mean = 3000 * (columns + 1) / (2 * largest + 1)
        assert all(abs(n - mean) < 0.25 * mean for n in counts.values()), counts
