"""Data as spreadsheets save it: CSV files with commas, semicolons or tabs and decimal commas,
.xlsx workbooks, class labels made one-hot, and the built-in iris set."""

from collections import Counter

from sheetgen.maths.datasets import BUILT_IN, CLASSES, DEFAULT_LAYERS, class_targets
from sheetgen.maths.iris import FLOWERS, SPECIES
from sheetgen.maths.shape import Sample


# The iris set.

def test_iris_is_scikit_learns_150_flowers():
    samples = BUILT_IN["iris"]
    assert len(samples) == len(FLOWERS) == 150
    assert [round(sum(s.inputs[i] for s in samples), 6) for i in range(4)] == [
        876.5, 458.6, 563.7, 179.9]
    assert Counter(s.targets for s in samples) == {(1.0, 0.0, 0.0): 50, (0.0, 1.0, 0.0): 50,
                                                   (0.0, 0.0, 1.0): 50}
    assert samples[0] == Sample((5.1, 3.5, 1.4, 0.2), (1.0, 0.0, 0.0))
    assert samples[-1] == Sample((5.9, 3.0, 5.1, 1.8), (0.0, 0.0, 1.0))
    # Flowers 35 and 38, where scikit-learn's copy differs from others (UCI's, R's).
    assert samples[34].inputs == (4.9, 3.1, 1.5, 0.2)
    assert samples[37].inputs == (4.9, 3.6, 1.4, 0.1)
    assert all(type(v) is float for s in samples for v in s.inputs + s.targets)


def test_iris_classes_and_layers():
    assert CLASSES == {"iris": ("setosa", "versicolor", "virginica")}
    assert SPECIES == CLASSES["iris"]
    assert DEFAULT_LAYERS["iris"] == (4, 3)


def test_class_targets_are_one_hot_or_one_output_for_two_classes():
    assert class_targets(1, 3) == (0.0, 1.0, 0.0)
    assert class_targets(0, 2) == (1.0, 0.0)
    assert class_targets(0, 1) == (0.0,) and class_targets(1, 1) == (1.0,)
