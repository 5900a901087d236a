"""Network runs that several test modules train, write and recalculate: the XOR network, the
article's neuron with the gradient check, each optimizer on both, and two classifiers (XOR with
a sigmoid output, three classes with a softmax)."""

from dataclasses import replace

from sheetgen.maths.datasets import BUILT_IN, article_start, seeded, shuffled_orders
from sheetgen.maths.network import Run
from sheetgen.maths.shape import Network, Sample


def xor_run(activations=("tanh", "tanh"), batch=None, attempts=50, sizes=(2, 2, 1),
            data="xor") -> Run:
    weights, biases = seeded(sizes, 0)
    return Run(Network(sizes, activations), BUILT_IN[data], weights, biases, 0.5, attempts,
               batch)
"""A network on a built-in data set from seeded weights: by default XOR on 2-2-1 tanh, the
full batch (`batch=None`; 1 for one sample per attempt)."""


ARTICLE = Run(Network((1, 1), ("tanh",)), (Sample((0.01,), (0.1,)),), (((0.5,),),), ((0.5,),),
              attempts=1000, gradient_step=1e-6)
"""The article's neuron as a network, with the gradient check at step 1e-6."""

SETTINGS = {"momentum": {"MOMENTUM": 0.8}, "rmsprop": {"RMS_DECAY": 0.95, "EPSILON": 1e-7},
            "adam": {"BETA1": 0.85, "BETA2": 0.995, "EPSILON": 1e-6}}


def article_run(optimizer: str, attempts: int = 300, rate: float = 0.1) -> Run:
    weights, biases = article_start((1, 1), "article")
    return Run(Network((1, 1), ("tanh",)), BUILT_IN["article"], weights, biases, rate,
               attempts, optimizer=optimizer, settings=SETTINGS[optimizer])


OPTIMIZER_RUNS = {
    f"{name}-{optimizer}": make(optimizer) for optimizer in SETTINGS
    for name, make in (("article", article_run),
                       ("xor", lambda o: replace(xor_run(attempts=300), learning_rate=0.05,
                                                 optimizer=o, settings=SETTINGS[o])),
                       ("xor-batch-1", lambda o: replace(
                           xor_run(batch=1, attempts=300), learning_rate=0.02,
                           optimizer=o, settings=SETTINGS[o])))}
"""Each optimizer on the article's neuron, on XOR with the full batch and with one sample per
attempt, 300 attempts each."""


XOR = tuple(Sample((a, b), (float(a != b),)) for a in (0.0, 1.0) for b in (0.0, 1.0))
THREE_CLASSES = (Sample((0.0, 0.0), (1.0, 0.0, 0.0)), Sample((0.0, 1.0), (0.0, 1.0, 0.0)),
                 Sample((1.0, 0.0), (0.0, 1.0, 0.0)), Sample((1.0, 1.0), (0.0, 0.0, 1.0)),
                 Sample((0.5, 0.5), (0.0, 0.0, 1.0)))
HIDDEN_WEIGHTS, HIDDEN_BIASES = ((0.5, -0.4), (0.3, 0.8), (-0.6, 0.2)), (0.1, -0.2, 0.05)


def binary_run(**changes) -> Run:
    """XOR on a 2-2-1 tanh network with a sigmoid output and the binary cross-entropy."""
    return Run(Network((2, 2, 1), ("tanh", "sigmoid")), XOR, (((0.5, -0.4), (0.3, 0.8)),
               ((0.7, -0.6),)), ((0.1, -0.2), (0.05,)), 0.5, 20, loss="cross-entropy",
               **changes)


def softmax_run(**changes) -> Run:
    """Three classes of five points on a 2-3-3 tanh/softmax network."""
    return Run(Network((2, 3, 3), ("tanh", "softmax")), THREE_CLASSES, (HIDDEN_WEIGHTS, (
        (0.4, -0.3, 0.2), (-0.5, 0.6, 0.1), (0.3, 0.2, -0.7))), (HIDDEN_BIASES,
                                                                 (0.0, 0.1, -0.1)),
        0.5, 20, loss="cross-entropy", **changes)


def shuffled_softmax(batch: int, attempts: int):
    """The softmax's five samples shuffled, in batches of `batch`."""
    run = replace(softmax_run(), batch=batch, attempts=attempts)
    return replace(run, orders=shuffled_orders(5, -(-attempts // run.epoch), 0))


TESTS_OF_THREE = (Sample((0.2, 0.9), (0.0, 1.0, 0.0)), Sample((0.9, 0.8), (0.0, 0.0, 1.0)),
                  Sample((0.1, 0.2), (1.0, 0.0, 0.0)), Sample((0.7, 0.1), (0.0, 1.0, 0.0)))
"""Four points held out from the three classes, two near their training points, two not."""


def held_out_softmax(**changes) -> Run:
    """The softmax's three classes with four test samples, its inputs standardised."""
    return replace(softmax_run(), tests=TESTS_OF_THREE, standardize=True, **changes)


def held_out_xor(**changes) -> Run:
    """XOR's squared error on 2-2-1 tanh, trained on three corners and tested on the fourth
    and two points between them."""
    tests = (XOR[3], Sample((0.5, 0.9), (1.0,)), Sample((0.9, 0.1), (1.0,)))
    return replace(xor_run(attempts=30), samples=XOR[:3], tests=tests, **changes)
