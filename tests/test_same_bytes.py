"""Every kind of workbook comes out byte for byte as it did when its hash was recorded.

A change that should not change what is written (a refactor, a faster writer) is held to
this: a corpus of small workbooks, one for each kind of option, each with the SHA-256 of its
parts' bytes in `same_bytes.json`. None of them is large enough for the second process that
formats a large sheet's rows: `test_workbook` holds that writer to the same bytes as one. A
change that means to change the bytes records them again, and the diff of the JSON shows
which kinds it changed:

    python tests/test_same_bytes.py --record
"""

import hashlib
import json
import sys
import zipfile
from pathlib import Path

import pytest

from sheetgen import api

HASHES = Path(__file__).with_name("same_bytes.json")
XOR = {"preset": "xor", "attempts": 40}
IRIS = {"preset": "iris", "attempts": 30}
DIGITS = {"data": "digits", "samples": 40, "test_fraction": 0.25, "layers": "64,10",
          "activation": "softmax", "loss": "cross-entropy", "batch": 5, "attempts": 6}
CORPUS = {
    "article": (api.neuron, {"attempts": 60}),
    "article-adam-check": (api.neuron, {"attempts": 60, "optimizer": "adam",
                                        "gradient_check": True}),
    "article-momentum": (api.neuron, {"attempts": 60, "optimizer": "momentum"}),
    "article-exercise": (api.exercise, {"attempts": 20, "blank": "forward,backward",
                                        "self_check": True}),
    "xor": (api.network, XOR),
    "xor-momentum": (api.network, {**XOR, "optimizer": "momentum"}),
    "xor-rmsprop": (api.network, {**XOR, "optimizer": "rmsprop"}),
    "xor-adam": (api.network, {**XOR, "optimizer": "adam"}),
    "xor-gradient-check": (api.network, {**XOR, "gradient_check": True}),
    "xor-penalties-decay": (api.network, {**XOR, "l2": 0.01, "l1": 0.001, "lr_decay": 0.5,
                                          "lr_decay_every": 10}),
    "xor-init": (api.network, {**XOR, "init": {"layers": [
        {"weights": [[0.5, -0.5], [0.25, 0.75]], "biases": [0.1, -0.1]},
        {"weights": [[1.0, -1.0]], "biases": [0.2]}]}}),
    "xor-exercise": (api.network_exercise, {**XOR, "blank": "forward", "self_check": True}),
    "iris": (api.network, IRIS),
    "iris-batches-test": (api.network, {**IRIS, "batch": 10, "shuffle": True,
                                        "test_fraction": 0.2}),
    "iris-mse-sigmoid": (api.network, {**IRIS, "loss": "mse", "activation": "tanh,sigmoid"}),
    "circle-features": (api.network, {"preset": "circle", "attempts": 20}),
    "spiral-features": (api.network, {"preset": "spiral", "attempts": 10}),
    "pairs-relu": (api.network, {"data": [((0.0, 1.0), (1.0,)), ((1.0, 0.0), (0.0,)),
                                          ((0.5, 0.5), (0.5,))],
                                 "layers": "2,3,1", "activation": "relu,linear",
                                 "attempts": 25}),
    "digits-pictures": (api.network, DIGITS),
}


def digest(name: str, folder: Path) -> str:
    """The SHA-256 of the workbook's parts, each one's name and its bytes unpacked, in the
    package's order: what sheetgen writes, whichever zlib deflates it (the committed
    workbooks in output/ are compared packed, in `test_output_is_current`)."""
    write, options = CORPUS[name]
    path = folder / f"{name}.xlsx"
    write(path, **options)
    found = hashlib.sha256()
    with zipfile.ZipFile(path) as package:
        for part in package.infolist():
            found.update(part.filename.encode() + b"\0" + package.read(part) + b"\0")
    return found.hexdigest()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_workbook_has_the_bytes_recorded(name, tmp_path):
    recorded = json.loads(HASHES.read_text())
    assert set(recorded) == set(CORPUS), "record the corpus again: its cases changed"
    assert digest(name, tmp_path) == recorded[name]


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        HASHES.write_text(json.dumps({name: digest(name, Path(folder))
                                      for name in sorted(CORPUS)}, indent=1) + "\n")
    print(f"recorded {len(CORPUS)} hashes in {HASHES}")
