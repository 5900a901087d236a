"""What every layer kind's parameters share: they stand in a table, a row per neuron (a dense
layer's) or per filter (a convolution's), each row's weights across and its bias last, as
the Data sheet shows them and `--init` gives them. A layer's record names a parameter by its
key, (row, column) for a weight and (row, None) for the row's bias; the table alone knows
where a key stands and how its value is found among the weights w[row][column] and biases
b[row]. A pooling layer has an empty table: no rows."""

from collections.abc import Callable, Sequence

Label = Callable[[int], str]
"""A neuron's label from its number in its layer."""
Key = tuple[int, int | None]
"""A parameter of a layer: (row, column), a weight, or (row, None), the row's bias."""


class ParameterTable:
    """A layer's weights and biases as a table of `rows` × `columns` weights and a bias per
    row. Subclasses say what the rows and columns are."""

    rows: int
    columns: int
    activated = True
    """Whether the layer has an activation of its own (a pooling layer has none)."""

    def output_words(self, activation) -> str:
        """What a neuron's output is, for its column: its activation's words."""
        return activation.words

    def slope_words(self, activation) -> str:
        """The slope that a δ of the layer is multiplied by, for its column."""
        return activation.slope_words

    @property
    def parameter_count(self) -> int:
        return (self.columns + 1) * self.rows

    def parameters(self) -> list[Key]:
        """Every weight and bias, in a row's order: each table row's weights, then its bias."""
        return [(j, i) for j in range(self.rows) for i in (*range(self.columns), None)]

    def table_place(self, key: Key) -> tuple[int, int]:
        """Where a parameter stands in the layer's table, (row, column) from 0, its bias
        last, as the Data sheet and the drawn parameters show them."""
        j, i = key
        return j, self.columns if i is None else i

    def value(self, key: Key, w: Sequence[Sequence[float]], b: Sequence[float]) -> float:
        """A parameter's value among the layer's weights w[j][i] and biases b[j]."""
        j, i = key
        return b[j] if i is None else w[j][i]

    def with_value(self, key: Key, value: float, w: Sequence[Sequence[float]],
                   b: Sequence[float]) -> tuple[list, list]:
        """The layer's weights and biases with one parameter set to `value`, the others as
        they are (the gradient check's moved parameter)."""
        j, i = key
        if i is None:
            return list(w), [*b[:j], value, *b[j + 1:]]
        row = list(w[j])
        row[i] = value
        return [*w[:j], row, *w[j + 1:]], list(b)

    def weights_and_biases(self, value: Callable[[Key], float]
                           ) -> tuple[tuple[tuple[float, ...], ...], tuple[float, ...]]:
        """The layer's weights w[j][i] and biases b[j] from each parameter's `value`: what a
        workbook read back holds."""
        return (tuple(tuple(value((j, i)) for i in range(self.columns))
                      for j in range(self.rows)),
                tuple(value((j, None)) for j in range(self.rows)))

    def zeros(self) -> tuple[tuple[tuple[float, ...], ...], tuple[float, ...]]:
        """Every weight and bias 0: a placeholder where only the shape matters."""
        return self.weights_and_biases(lambda key: 0.0)
