"""Where samples and starting parameters come from: built-in sets, CSV, init JSON, seeds."""

import gzip
import hashlib
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from sheetgen import api
from sheetgen.errors import InputError as DataError
from sheetgen.inputs import digits
from sheetgen.inputs.data_files import read_data
from sheetgen.inputs.init_file import read_init
from sheetgen.maths.datasets import (BUILT_IN, DEFAULT_LAYERS, LIMIT, MAX_SAMPLES, article_start,
                                     balanced_order, seeded)
from sheetgen.maths.network import Sample


def refusal(call, *args) -> str:
    """The DataError's message, checked to be one line."""
    with pytest.raises(DataError) as caught:
        call(*args)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert "Traceback" not in message
    return message


# Built-in sets.

def test_built_in_sets_exactly():
    assert BUILT_IN["article"] == (Sample((0.01,), (0.1,)),)
    pairs = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
    for name, targets in (("xor", (0, 1, 1, 0)), ("and", (0, 0, 0, 1)), ("or", (0, 1, 1, 1))):
        assert BUILT_IN[name] == tuple(Sample(p, (float(t),)) for p, t in zip(pairs, targets))
    assert BUILT_IN["line"] == (Sample((-1.0,), (-1.0,)), Sample((-0.5,), (0.0,)),
                                Sample((0.0,), (1.0,)), Sample((0.5,), (2.0,)),
                                Sample((1.0,), (3.0,)))
    assert set(BUILT_IN) == {"article", "xor", "and", "or", "line", "iris"}


def test_built_in_values_are_floats_and_fit_their_default_layers():
    assert DEFAULT_LAYERS == {"article": (1, 1), "xor": (2, 2, 1), "and": (2, 2, 1),
                              "or": (2, 2, 1), "line": (1, 1), "iris": (4, 3),
                              "digits": (64, 10), "circle": (2, 1), "gauss": (2, 1),
                              "spiral": (2, 1), "quadrants": (2, 1)}
    for name, samples in BUILT_IN.items():
        sizes = DEFAULT_LAYERS[name]
        for sample in samples:
            assert isinstance(sample, Sample)
            assert len(sample.inputs) == sizes[0] and len(sample.targets) == sizes[-1]
            assert all(type(v) is float for v in sample.inputs + sample.targets)


# CSV: happy paths.

def read_csv(path: Path, inputs: int | None = None, outputs: int | None = None):
    """The samples of a CSV file for `inputs` and `outputs`, or what it needs if both None."""
    return read_data(path, layers=None if inputs is None else (inputs, outputs)).samples


def default_layers_for_csv(path: Path) -> tuple[int, ...]:
    return read_data(path).sizes


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_plain(tmp_path):
    path = write(tmp_path, "x1,x2,t\n0,1,1\n1,1,0\n")
    assert read_csv(path, 2, 1) == (Sample((0.0, 1.0), (1.0,)), Sample((1.0, 1.0), (0.0,)))
    assert default_layers_for_csv(path) == (2, 1)


def test_csv_bom_spaces_blank_lines_scientific_and_crlf(tmp_path):
    text = "\ufeff x , t \r\n\r\n  1e-3 ,  -0.5\r\n   \r\n,,\n+2, .5\n-1.5E+2,3.\n\n"
    path = write(tmp_path, text)
    assert read_csv(path, None, None) == (Sample((0.001,), (-0.5,)), Sample((2.0,), (0.5,)),
                                          Sample((-150.0,), (3.0,)))
    assert default_layers_for_csv(path) == (1, 1)


def test_csv_splits_columns_as_asked(tmp_path):
    path = write(tmp_path, "a,b,c,d\n1,2,3,4\n")
    assert read_csv(path, 1, 3) == (Sample((1.0,), (2.0, 3.0, 4.0)),)
    assert read_csv(path, 3, 1) == (Sample((1.0, 2.0, 3.0), (4.0,)),)
    assert read_csv(path, 2, 2) == (Sample((1.0, 2.0), (3.0, 4.0)),)


def test_csv_bounds_and_sample_count_are_inclusive(tmp_path):
    rows = "".join(f"{LIMIT:.0f},-{LIMIT:.0f}\n" for _ in range(MAX_SAMPLES))
    samples = read_csv(write(tmp_path, "x,t\n" + rows), 1, 1)
    assert len(samples) == MAX_SAMPLES and samples[0] == Sample((LIMIT,), (-LIMIT,))


def test_csv_quoted_cells(tmp_path):
    assert read_csv(write(tmp_path, '"x","t"\n"1","2"\n'), 1, 1) == (Sample((1.0,), (2.0,)),)


# CSV: refusals.

def test_csv_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    assert refusal(read_csv, path, 1, 1) == f"cannot read {path}: there is no such file"
    assert refusal(default_layers_for_csv, path) == f"cannot read {path}: there is no such file"


def test_csv_directory(tmp_path):
    message = refusal(read_csv, tmp_path, 1, 1)
    assert message.startswith(f"cannot read {tmp_path}: ")


def test_csv_not_utf8(tmp_path):
    path = write(tmp_path, "x,t\n1,2\né,3\n", encoding="latin-1")
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv is not UTF-8 text: line 3 holds the byte 0xE9; save it as UTF-8 "
        "(in Excel: CSV UTF-8)")
    utf16 = write(tmp_path, "x,t\n1,2\n", name="wide.csv", encoding="utf-16")
    assert refusal(read_csv, utf16, 1, 1).startswith("wide.csv is not UTF-8 text: line 1")


@pytest.mark.parametrize("text", ["", "\ufeff", "\n\n  \n", ",,\n"])
def test_csv_empty(tmp_path, text):
    assert refusal(read_csv, write(tmp_path, text), 1, 1) == "data.csv is empty"


def test_csv_no_header(tmp_path):
    path = write(tmp_path, "\n0.5,1\n2,3\n")
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv has no header row: line 2 holds numbers; add a first line naming the "
        "columns (like x1,x2,target)")
    assert refusal(default_layers_for_csv, path).startswith("data.csv has no header row")


def test_csv_no_data_rows(tmp_path):
    path = write(tmp_path, "x,t\n\n")
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv has a header (line 1) but no data rows")


def test_csv_row_width_differs_from_header(tmp_path):
    path = write(tmp_path, "x,t\n1,2\n\n3,a,b\n")
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv, line 4 has 3 cells; the header (line 1) has 2")
    short = write(tmp_path, "x,t\n1\n", name="short.csv")
    assert refusal(read_csv, short, 1, 1) == (
        "short.csv, line 2 has 1 cell; the header (line 1) has 2")


def test_csv_empty_cell(tmp_path):
    path = write(tmp_path, "x1,x2,target\n1,2,3\n4, ,6\n")
    assert refusal(read_csv, path, 2, 1) == (
        'data.csv, line 3, column 2 ("x2"): the cell is empty')


def test_csv_unnamed_column(tmp_path):
    path = write(tmp_path, "x,\n1,\n")
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv, line 1: column 2 has no name; name every column in the header")


@pytest.mark.parametrize("text", ["abc", "0x10", "1_000", "١", "1e", "--1", "#DIV/0!"])
def test_csv_not_a_number(tmp_path, text):
    path = write(tmp_path, f'x,t\n1,2\n3,"{text}"\n')
    assert refusal(read_csv, path, 1, 1) == (
        f'data.csv, line 3, column 2 ("t"): {json.dumps(text, ensure_ascii=False)} '
        "is not a number")


def test_csv_long_text_is_shortened(tmp_path):
    path = write(tmp_path, "x,t\n" + "a" * 100 + ",1\n")
    message = refusal(read_csv, path, 1, 1)
    assert message == f'data.csv, line 2, column 1 ("x"): "{"a" * 40}…" is not a number'


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity", "+INF"])
def test_csv_not_finite(tmp_path, text):
    path = write(tmp_path, f"x,t\n{text},2\n")
    assert refusal(read_csv, path, 1, 1) == (
        f'data.csv, line 2, column 1 ("x"): "{text}" is not a finite number '
        "(NaN and infinity are not allowed)")


@pytest.mark.parametrize("text", ["1000000.5", "-2e6", "1e400"])
def test_csv_outside_limit(tmp_path, text):
    path = write(tmp_path, f"x,t\n1,2\n3,{text}\n")
    assert refusal(read_csv, path, 1, 1) == (
        f'data.csv, line 3, column 2 ("t"): "{text}" is outside ±1,000,000')


def test_csv_too_many_samples(tmp_path):
    path = write(tmp_path, "x,t\n" + "1,2\n" * (MAX_SAMPLES + 1))
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv has 2,001 samples; at most 2,000 fit in a sheet")


def test_csv_width_does_not_match_layers(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n")
    assert refusal(read_csv, path, 2, 2) == (
        "data.csv has 3 columns; --layers 2,…,2 needs 2 inputs and 2 targets (4 columns)")
    assert refusal(read_csv, path, 1, 1) == (
        "data.csv has 3 columns; --layers 1,…,1 needs 1 input and 1 target (2 columns)")


def test_csv_single_column(tmp_path):
    path = write(tmp_path, "x t\n1 2\n")
    expected = ("data.csv has 1 column; it needs at least 2, the inputs then the target, "
                "separated by commas")
    assert refusal(read_csv, path, None, None) == expected
    assert refusal(default_layers_for_csv, path) == expected


# init JSON.

def init_file(tmp_path: Path, document, name: str = "init.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document),
                    encoding="utf-8")
    return path


GOOD = {"layers": [{"weights": [[0.1, -0.2], [3, 4e-1]], "biases": [0, -1]},
                   {"weights": [[1.5, -2.5]], "biases": [0.25]}]}


def test_init_happy_path(tmp_path):
    weights, biases = read_init(init_file(tmp_path, GOOD), (2, 2, 1))
    assert weights == (((0.1, -0.2), (3.0, 0.4)), ((1.5, -2.5),))
    assert biases == ((0.0, -1.0), (0.25,))
    assert all(type(w) is float for layer in weights for row in layer for w in row)
    assert all(type(b) is float for layer in biases for b in layer)
    assert isinstance(weights, tuple) and isinstance(weights[0][0], tuple)


def test_init_bom_and_limits(tmp_path):
    document = {"layers": [{"weights": [[LIMIT]], "biases": [-1000000]}]}
    path = tmp_path / "init.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
    assert read_init(path, (1, 1)) == ((((LIMIT,),),), ((-LIMIT,),))


def test_init_missing_file(tmp_path):
    path = tmp_path / "init.json"
    assert refusal(read_init, path, (1, 1)) == f"cannot read {path}: there is no such file"


def test_init_not_utf8(tmp_path):
    path = tmp_path / "init.json"
    path.write_bytes(b'{"layers":\n[\xff]}')
    assert refusal(read_init, path, (1, 1)).startswith(
        "init.json is not UTF-8 text: line 2 holds the byte 0xFF")


def test_init_empty(tmp_path):
    assert refusal(read_init, init_file(tmp_path, " \n"), (1, 1)) == "init.json is empty"


def test_init_invalid_json(tmp_path):
    path = init_file(tmp_path, '{"layers": [\n  {"weights": [[1]] "biases": [1]}\n]}')
    assert refusal(read_init, path, (1, 1)) == (
        "init.json is not valid JSON: Expecting ',' delimiter at line 2, column 21")


@pytest.mark.parametrize("document", [[], "text", 1, None])
def test_init_not_an_object(tmp_path, document):
    path = init_file(tmp_path, json.dumps(document))
    assert refusal(read_init, path, (1, 1)).startswith(
        'init.json is not a JSON object; it must be shaped like {"layers": [')


def test_init_no_layers(tmp_path):
    assert refusal(read_init, init_file(tmp_path, {}), (1, 1)) == 'init.json has no "layers"'
    path = init_file(tmp_path, {"layers": {"weights": [[1]]}})
    assert refusal(read_init, path, (1, 1)).startswith('"layers" in init.json is not a list')


def test_init_unknown_keys(tmp_path):
    path = init_file(tmp_path, {"layers": [], "layer": []})
    assert refusal(read_init, path, (1, 1)) == (
        'init.json has an unknown key "layer"; it holds only "layers"')
    path = init_file(tmp_path, {"layers": [{"weights": [[1]], "bias": [1], "biases": [1]}]})
    assert refusal(read_init, path, (1, 1)) == (
        'layer 1 of init.json has an unknown key "bias"; it holds only "weights" and "biases"')


def test_init_missing_keys(tmp_path):
    path = init_file(tmp_path, {"layers": [{"weights": [[1]]}]})
    assert refusal(read_init, path, (1, 1)) == 'layer 1 of init.json has no "biases"'


def test_init_duplicate_keys(tmp_path):
    path = init_file(tmp_path, '{"layers": [{"weights": [[1]], "biases": [1], "biases": [2]}]}')
    assert refusal(read_init, path, (1, 1)) == (
        'init.json has the key "biases" twice in one object')


def test_init_wrong_number_of_layers(tmp_path):
    assert refusal(read_init, init_file(tmp_path, GOOD), (2, 1)) == (
        "init.json has 2 layers; --layers 2,1 needs 1 (one per layer after the inputs)")


def test_init_layer_not_an_object(tmp_path):
    path = init_file(tmp_path, {"layers": [[1, 2]]})
    assert refusal(read_init, path, (1, 1)) == (
        'layer 1 of init.json is not an object with "weights" and "biases"')


def test_init_weights_rows(tmp_path):
    document = json.loads(json.dumps(GOOD))
    document["layers"][1]["weights"] = [[1, 2], [3, 4], [5, 6]]
    assert refusal(read_init, init_file(tmp_path, document), (2, 2, 1)) == (
        "layer 2 of init.json has 3 rows of weights; --layers 2,2,1 needs 1 (one per "
        "neuron), each of 2")


def test_init_weights_row_length(tmp_path):
    document = json.loads(json.dumps(GOOD))
    document["layers"][0]["weights"][1] = [1, 2, 3]
    assert refusal(read_init, init_file(tmp_path, document), (2, 2, 1)) == (
        "layer 1 of init.json: weights[1] has 3 numbers; --layers 2,2,1 needs 2 (one per "
        "neuron of layer 0)")


def test_init_weights_not_a_matrix(tmp_path):
    path = init_file(tmp_path, {"layers": [{"weights": [1], "biases": [1]}]})
    assert refusal(read_init, path, (1, 1)).startswith(
        'layer 1 of init.json: "weights" is not a list of rows')


def test_init_wrong_number_of_biases(tmp_path):
    document = json.loads(json.dumps(GOOD))
    document["layers"][0]["biases"] = [1]
    assert refusal(read_init, init_file(tmp_path, document), (2, 2, 1)) == (
        "layer 1 of init.json has 1 bias; --layers 2,2,1 needs 2 (one per neuron)")
    path = init_file(tmp_path, {"layers": [{"weights": [[1]], "biases": 1}]})
    assert refusal(read_init, path, (1, 1)).startswith(
        'layer 1 of init.json: "biases" is not a list')


@pytest.mark.parametrize("value, shown", [(True, "true"), (None, "null"), ("0.5", '"0.5"'),
                                          ([1], "[1]"), ({"a": 1}, '{"a": 1}')])
def test_init_not_a_number(tmp_path, value, shown):
    document = json.loads(json.dumps(GOOD))
    document["layers"][1]["weights"][0][1] = value
    assert refusal(read_init, init_file(tmp_path, document), (2, 2, 1)) == (
        f"layer 2 of init.json, weights[0][1]: {shown} is not a number")


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_init_not_finite(tmp_path, word):
    path = init_file(tmp_path, '{"layers": [{"weights": [[1]], "biases": [' + word + ']}]}')
    assert refusal(read_init, path, (1, 1)) == (
        f"layer 1 of init.json, biases[0]: {word} is not a finite number "
        "(NaN and infinity are not allowed)")


@pytest.mark.parametrize("text", ["1000001", "-1e7", "1e400", "1" + "0" * 5000],
                         ids=["int", "float", "huge float", "5001 digits"])
def test_init_outside_limit(tmp_path, text):
    path = init_file(tmp_path, '{"layers": [{"weights": [[' + text + ']], "biases": [1]}]}')
    message = refusal(read_init, path, (1, 1))
    assert message.startswith("layer 1 of init.json, weights[0][0]: ")
    assert message.endswith(" is outside ±1,000,000")
    assert len(message) < 200


# Seeds.

def test_seeded_is_deterministic():
    assert seeded((2, 2, 1), 7) == seeded((2, 2, 1), 7)
    # Pinned: the same numbers on every machine and every Python from 3.11 on.
    assert seeded((1, 1), 0) == ((((0.69,),),), ((0.52,),))


def test_seeded_shape_bounds_and_rounding():
    sizes = (3, 4, 2)
    for seed in range(20):
        weights, biases = seeded(sizes, seed)
        assert [len(layer) for layer in weights] == [4, 2]
        assert [len(row) for layer in weights for row in layer] == [3] * 4 + [4] * 2
        assert [len(layer) for layer in biases] == [4, 2]
        for layer, (fan_in, layer_biases) in enumerate(zip(sizes, biases)):
            values = [w for row in weights[layer] for w in row] + list(layer_biases)
            for value in values:
                assert type(value) is float
                assert abs(value) <= 1 / math.sqrt(fan_in)
                assert value == round(value, 2) == float(f"{value:.2f}")


def test_seeded_order_is_weights_then_bias_per_neuron():
    # One neuron with one input: the first draw is its weight, the second its bias; adding a
    # second output neuron appends its draws without changing the first neuron's.
    ((first_weights,),), ((first_bias,),) = seeded((1, 1), 3)
    (rows,), (layer_biases,) = seeded((1, 2), 3)
    assert rows[0] == first_weights and layer_biases[0] == first_bias
    assert first_weights[0] != first_bias  # two draws (for seed 3 they differ)


def test_seeded_differs_between_seeds():
    assert len({seeded((2, 2, 1), seed) for seed in range(10)}) == 10


def test_seeded_breaks_symmetry():
    for seed in range(21):
        hidden = seeded((2, 2, 1), seed)[0][0]
        assert hidden[0] != hidden[1]


def test_bad_sizes():
    assert refusal(seeded, (2,), 0).startswith("a network needs at least two layers")
    assert refusal(seeded, (2, 0, 1), 0).startswith("a network needs at least two layers")


# The article's start.

def test_article_start():
    assert article_start((1, 1), "article") == ((((0.5,),),), ((0.5,),))
    assert article_start([1, 1], "article") == ((((0.5,),),), ((0.5,),))
    assert article_start((1, 2, 1), "article") is None
    assert article_start((1, 1), "line") is None
    assert article_start((2, 2, 1), "xor") is None


# The 8×8 handwritten digits.

def test_the_vendored_digits_are_scikit_learns_file():
    """The package's copy unpacks to the text whose SHA-256 scikit-learn's file has, 1,797
    images of 64 pixels from 0 to 16, in its class counts."""
    text = gzip.decompress((Path(digits.__file__).parent / "data" / "digits.csv.gz")
                           .read_bytes())
    assert hashlib.sha256(text).hexdigest() == (
        "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8")
    images = digits.images()
    assert len(images) == 1797
    assert {len(pixels) for pixels, _ in images} == {64}
    assert {p for pixels, _ in images for p in pixels} <= set(range(17))
    assert [n for _, n in sorted(Counter(label for _, label in images).items())] == [
        178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert sum(sum(pixels) for pixels, _ in images) == sum(
        int(cell) for line in text.decode().splitlines() for cell in line.split(",")[:64])


def test_a_digits_subset_is_balanced_seeded_and_apart_from_its_test_set():
    chosen = digits.digit_samples(25, seed=3)
    assert Counter(s.targets.index(1.0) for s in chosen) == {
        **dict.fromkeys(range(5), 3), **dict.fromkeys(range(5, 10), 2)}
    assert chosen == digits.digit_samples(25, seed=3) != digits.digit_samples(25, seed=4)
    assert all(p in {n / 16 for n in range(17)} for s in chosen for p in s.inputs)
    tests = digits.digit_samples(25, seed=3, test=True)
    assert len(tests) == 25 and not set(chosen) & set(tests)
    assert len(digits.digit_samples(None, seed=0)) == 1797
    assert balanced_order((0, 1, 1, 1, 0), seed=0)[:2] in {(0, 1), (0, 2), (0, 3),
                                                          (4, 1), (4, 2), (4, 3)}
    assert sorted(balanced_order((0, 1, 1, 1, 0), seed=0)) == [0, 1, 2, 3, 4]


def test_the_digits_reach_a_run_and_refuse_a_test_set_they_cannot_hold():
    run = api.network_run(data="digits", samples=20, batch=10, activation="softmax",
                          loss="cross-entropy", attempts=3)
    assert run.network.sizes == (64, 10) and run.classes == tuple("0123456789")
    assert len(run.samples) == 20
    with pytest.raises(DataError) as caught:
        api.network_run(data="digits", samples=1000, test="digits", batch=10,
                        activation="softmax", loss="cross-entropy", attempts=3)
    assert str(caught.value) == (
        "argument --test: the digits' 1,797 images hold no 1,000 beside the 1,000 training "
        "ones; give --samples 898 or fewer")
