"""The columns of a network's Training sheet, one builder per group: the attempt and its loss,
a sample's forward and backward pass, a weight's or bias's update, gradient, optimizer state
and gradient check. Each column's header comes from its field (`fields.header`), its formula
from the records of the activations, the loss and the optimizer."""

from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl.utils.cell import absolute_coordinate

from sheetgen.maths.classification import threshold
from sheetgen.maths.fields import (
    ACCURACY,
    ATTEMPT,
    BATCH,
    DIFFERENCE,
    EPOCH,
    EPOCH_LOSS,
    LARGEST_DIFFERENCE,
    LOSS,
    PENALTY,
    RATE,
    SAMPLE,
    SIZE,
    STREAK,
    TEST_ACCURACY,
    TEST_LOSS,
    Field,
    Kind,
    header,
    parameter_field,
    pass_numbers,
    test_numbers,
    verdict_fields,
)
from sheetgen.maths.network import Run
from sheetgen.sheets import gradient_check
from sheetgen.sheets.columns import (
    FIRST_ROW,
    PARAMETER_FORMAT,
    SMALL_FORMAT,
    STATE_FORMAT,
    Column,
    last_row,
)
from sheetgen.sheets.network_data import (
    DATA_SHEET_NAME,
    InitialCell,
    data_reference,
    order_lookup,
)
from sheetgen.sheets.parameter_columns import check_columns, parameter_columns
from sheetgen.sheets.network_formulas import (
    class_formula,
    class_words,
    decayed_rate,
    input_of,
    masked_mean,
    mean,
    parameter_of,
    penalty_sum,
    place_masks,
    row_loss,
    sample_loss,
    with_penalty,
)

SHARE_FORMAT = "0.00%"
"""The accuracy's, a share of the samples."""
NUMBER_WIDTH, DATA_WIDTH = 13, 9
"""Column widths, as in the article's sheet: computed numbers, and the data they start from."""
LOSS_WIDTH = 17
"""The gradient check's moved losses, shown to twelve digits."""
WIDTHS = {STATE_FORMAT: NUMBER_WIDTH, SMALL_FORMAT: NUMBER_WIDTH,
          gradient_check.LOSS_FORMAT: LOSS_WIDTH}


@dataclass(frozen=True)
class Builder:
    """Writes the columns of a run whose fields have the column `letters`."""

    run: Run
    letters: Mapping[Field, str]
    sample_cells: tuple[tuple[str, ...], ...]
    test_cells: tuple[tuple[str, ...], ...]
    """The Data sheet's cells of each held-out test sample, as `sample_cells`."""
    names: Mapping[str, str]
    """The workbook names of the learning rate and hyperparameters, where another sheet's
    own cells stand for them."""

    def at(self, field: Field, row: str = "{row}") -> str:
        return f"{self.letters[field]}{row}"

    def column(self, field: Field, first: str | None, later: str | None, number_format: str,
               meaning: str) -> Column:
        return Column(self.letters[field], header(self.run.network, field), field, first,
                      later, number_format, WIDTHS.get(number_format, DATA_WIDTH), meaning)

    def computed(self, field: Field, formula: str, number_format: str, meaning: str) -> Column:
        return self.column(field, formula, formula, number_format, meaning)

    def build(self, initial: tuple[InitialCell, ...]) -> dict[Field, Column]:
        """Every column of the row, by field."""
        built = self.attempt_columns()
        for sample in pass_numbers(self.run):
            built += (self.place_columns(sample) + self.forward_columns(sample)
                      + self.backward_columns(sample))
        for cell in initial:
            built += parameter_columns(self, cell) + check_columns(self, cell)
        if self.run.gradient_step is not None:
            built.append(self.computed(
                LARGEST_DIFFERENCE, gradient_check.row_largest(
                    [self.at(parameter_field(cell.parameter, Kind.CHECK, DIFFERENCE))
                     for cell in initial]),
                SMALL_FORMAT, "The largest of the row's relative differences."))
        for test in test_numbers(self.run):
            built += self.forward_columns(test, held_out=True)
        return {col.field: col for col in built}

    def attempt_columns(self) -> list[Column]:
        run, n = self.run, len(self.run.samples)
        loss = run.criterion
        columns = [self.column(ATTEMPT, None, None, "0", "Which attempt this row is: 1 for the "
                                                          "first, one more on every row.")]
        if run.mini_batch:
            columns += self.batch_columns()
        elif not run.full_batch:
            attempt = self.at(ATTEMPT)
            turn = f"MOD({attempt}-1,{n})+1"
            columns.append(self.computed(
                SAMPLE, "=" + (order_lookup(run, turn, f"INT(({attempt}-1)/{n})+1")
                               if run.orders else turn), "0",
                "Which sample this attempt trains on: they take turns, " + (
                    "in the epoch's order on the Data sheet." if run.orders else
                    f"1 to {n}.")))
        if run.lr_decay is not None:
            columns.append(self.computed(
                RATE, decayed_rate(self.rate_name, self.at(ATTEMPT)), PARAMETER_FORMAT,
                "The learning rate this row's update steps with: the learning rate times γ "
                "(LR_DECAY) once for every N attempts (LR_DECAY_EVERY) before this one."))
        samples = pass_numbers(run)
        averaged = f" and averaged over the {n} samples" if run.full_batch and n > 1 else (
            " and averaged over the batch's samples" if run.mini_batch else "")
        formula = self.mean_loss(samples)
        if loss.negated:   # the mean of the samples' own losses, each in its column
            averaged = ""
        if run.penalties:
            formula = with_penalty(formula, self.at(PENALTY), False)
            averaged += ", plus the penalty on the weights"
        columns.append(self.computed(LOSS, formula, SMALL_FORMAT, loss.words + averaged
                                     + ": the number that training drives down."))
        if run.mini_batch:
            columns.append(self.epoch_loss_column())
        if run.penalties:
            columns.append(self.computed(
                PENALTY, "=" + penalty_sum(run.penalties, self.weight_cells()), SMALL_FORMAT,
                "The penalty on the size of the weights (not the biases): "
                + ", plus ".join(penalty.words for penalty, _ in run.penalties) + "."))
        if loss.classifies:
            columns += self.accuracy_columns()
        return columns + self.test_columns()

    def test_columns(self) -> list[Column]:
        """The mean loss over the held-out test samples, with this row's weights (and where
        the loss classifies, the share of them classified right); none without them."""
        run, last = self.run, self.run.network.last
        tests = test_numbers(run)
        if not tests:
            return []
        loss, m = run.criterion, len(tests)
        columns = [self.computed(
            TEST_LOSS, self.mean_loss(tests, held_out=True), SMALL_FORMAT,
            f"{loss.words}, averaged over the {m} held-out test sample"
            f"{'s' if m > 1 else ''}, with this row's weights but no penalty: never trained "
            "on, they show how well the network does on data it has not seen.")]
        if loss.classifies:
            rights = [[self.at(Field(Kind.RIGHT, t, last, held_out=True))] for t in tests]
            columns.append(self.computed(TEST_ACCURACY, self.average(rights, held_out=True),
                                         SHARE_FORMAT,
                                         "The share of the test samples classified right."))
        return columns

    def batch_columns(self) -> list[Column]:
        """A mini-batch attempt's epoch, its batch within the epoch, and where the epoch ends
        in a smaller batch, how many samples it trains on."""
        run, attempt = self.run, self.at(ATTEMPT)
        k, n, batches = run.batch_size, len(run.samples), run.epoch
        columns = [
            self.computed(EPOCH, f"=INT(({attempt}-1)/{batches})+1", "0",
                          f"Which epoch this attempt is in: an epoch goes through all {n} "
                          f"samples once, in {batches} batches."),
            self.computed(BATCH, f"=MOD({attempt}-1,{batches})+1", "0",
                          f"Which batch of its epoch this attempt trains on: batch b holds "
                          f"samples {k}(b−1)+1 to {k}b.")]
        if run.uneven:
            columns.append(self.computed(
                SIZE, f"=MIN({k},{n}-({self.at(BATCH)}-1)*{k})", "0",
                f"How many samples this batch holds: {k}, or {n % k} in an epoch's last."))
        return columns

    def epoch_loss_column(self) -> Column:
        """The mean of the losses of the attempts of the row's epoch, the same on each of
        its rows: a step for each epoch in the loss chart."""
        run, attempts = self.run, self.run.attempts
        column = self.letters[LOSS]
        losses = f"{column}${FIRST_ROW}:{column}${last_row(attempts)}"
        first = f"{self.at(ATTEMPT)}-{self.at(BATCH)}+1"
        last = f"MIN({self.at(ATTEMPT)}-{self.at(BATCH)}+{run.epoch},{attempts})"
        return self.computed(
            EPOCH_LOSS, f"=AVERAGE(INDEX({losses},{first}):INDEX({losses},{last}))",
            SMALL_FORMAT, "The mean of the losses of this epoch's attempts, the same on each "
                          "of its rows (the epoch as far as the run goes): each epoch's loss, "
                          "as frameworks log it.")

    def place_columns(self, place: int) -> list[Column]:
        """Which sample a place of a mini-batch holds, and whether it counts; none
        elsewhere."""
        run = self.run
        if not run.mini_batch:
            return []
        k, n = run.batch_size, len(run.samples)
        turn = f"MOD(({self.at(BATCH)}-1)*{k}+{place - 1},{n})+1"
        columns = [self.computed(
            Field(Kind.SAMPLE, place),
            "=" + (order_lookup(run, turn, self.at(EPOCH)) if run.orders else turn),
            "0", f"Which sample is place {place} of the batch"
                 + (", in the epoch's order on the " if run.orders else ", from the ")
                 + f"{DATA_SHEET_NAME} sheet" + (": past the epoch's last sample, the first "
                                                 "ones again, which count for nothing."
                                                 if run.uneven else "."))]
        if run.uneven:
            columns.append(self.computed(
                Field(Kind.COUNTS, place), f"=IF({place}<={self.at(SIZE)},1,0)", "0",
                "1 where this place's sample is in the batch, 0 past the epoch's last: its "
                "loss, verdict and gradients are multiplied by it."))
        return columns

    def masks(self) -> tuple[list[str], str] | None:
        return place_masks(self.run, self.at)

    def average(self, terms_by_place: list[list[str]], held_out: bool = False) -> str:
        """The mean over the row's samples (or with `held_out` the test samples, which no
        place's mask weighs) of their terms."""
        masks = None if held_out else self.masks()
        if masks is not None:
            return masked_mean(terms_by_place, *masks)
        return mean([term for terms in terms_by_place for term in terms],
                    len(terms_by_place))

    def mean_loss(self, numbers: list[int] | range, held_out: bool = False) -> str:
        """The loss averaged over the passes `numbers`, the row's samples' or the test
        samples': the mean of their own losses where each has a column, else every sample's
        terms in one formula."""
        loss, last = self.run.criterion, self.run.network.last
        if loss.negated:
            return self.average([[self.at(Field(Kind.SAMPLE_LOSS, s, last, held_out=held_out))]
                                 for s in numbers], held_out)
        return row_loss(loss, [self.loss_terms(s, held_out) for s in numbers], len(numbers),
                        None if held_out else self.masks())

    @property
    def rate_name(self) -> str:
        """The learning rate's cell: the workbook's, or another sheet's own."""
        return self.names.get("LEARNING_RATE", "LEARNING_RATE")

    def weight_cells(self) -> list[str]:
        """This row's weights, in the row's order, without the biases."""
        return [self.at(parameter_field(parameter)) for parameter in self.run.network.weights()]

    def loss_terms(self, sample: int, held_out: bool = False) -> list[str]:
        """A sample's terms of the loss, one per output, from its cells."""
        net = self.run.network

        def cell(kind: Kind, k: int) -> str:
            return self.at(Field(kind, sample, net.last, k, held_out=held_out))
        return [self.run.criterion.term_formula(cell(Kind.OUT, k), cell(Kind.TARGET, k),
                                                cell(Kind.ERROR, k))
                for k in range(net.sizes[-1])]

    def accuracy_columns(self) -> list[Column]:
        """The row's accuracy, and but for the full batch, how many rows in a row were all
        right."""
        run = self.run
        samples = pass_numbers(run)
        accuracy = self.average([[self.at(Field(Kind.RIGHT, s, run.network.last))]
                                 for s in samples])
        if run.full_batch:
            return [self.computed(ACCURACY, accuracy, SHARE_FORMAT,
                                  "The share of the row's samples classified right.")]
        if run.mini_batch:
            share = self.computed(ACCURACY, accuracy, SHARE_FORMAT,
                                  "The share of the batch's samples classified right.")
            seen = (f"every sample of the batch right: once it reaches {run.epoch}, the "
                    "batches of an epoch, every sample")
        else:
            share = self.computed(ACCURACY, accuracy, "0",
                                  "1 where the row's sample is classified right, else 0.")
            seen = ("their sample right: once it reaches the number of samples, every "
                    "sample")
        return [share, self.column(
            STREAK, f"=IF({self.at(ACCURACY)}=1,1,0)",
            f"=IF({self.at(ACCURACY)}=1,{self.at(STREAK, '{prev}')}+1,0)", "0",
            f"How many attempts in a row, up to this one, classified {seen} was right the "
            "last time it was seen.")]

    def data_formula(self, c: int, sample: int, held_out: bool = False) -> str:
        """A sample's c-th value from the Data sheet: its own cell in a full batch (and a test
        sample's always), else the row's (or the place's) sample's, picked by INDEX."""
        if held_out:
            return f"={data_reference(self.test_cells[sample - 1][c])}"
        if self.run.full_batch:
            return f"={data_reference(self.sample_cells[sample - 1][c])}"
        top = data_reference(self.sample_cells[0][c])
        bottom = absolute_coordinate(self.sample_cells[-1][c])
        return f"=INDEX({top}:{bottom},{self.at(Field(Kind.SAMPLE, sample))})"

    def forward_columns(self, sample: int, held_out: bool = False) -> list[Column]:
        """A sample's inputs and targets, each neuron's net and output, and the errors: a
        training sample's, or with `held_out` a test sample's."""
        net, at = self.run.network, self.at
        last, width = net.last, net.sizes[0]
        whose = ("the held-out test sample", "The test sample's") if held_out else (
            "the sample", "The sample's")

        def field(kind: Kind, layer: int, j: int = 0) -> Field:
            return Field(kind, sample, layer, j, held_out=held_out)
        columns = [self.computed(field(Kind.INPUT, 0, i), self.data_formula(i, sample, held_out),
                                 PARAMETER_FORMAT,
                                 f"An input of {whose[0]}, from the {DATA_SHEET_NAME} sheet.")
                   for i in range(width)]
        columns += [self.computed(field(Kind.TARGET, last, k),
                                  self.data_formula(width + k, sample, held_out),
                                  PARAMETER_FORMAT, f"{whose[1]} target, the output wanted, "
                                                    f"from the {DATA_SHEET_NAME} sheet.")
                    for k in range(net.sizes[-1])]
        for layer, record in enumerate(net.layers, start=1):
            activation = self.run.activations[layer - 1]
            nets = [at(field(Kind.NET, layer, j)) for j in range(net.sizes[layer])]
            parameter = parameter_of(at, layer)

            def input_at(i: int) -> str:
                return at(input_of(layer, i, sample, held_out))

            for j in range(net.sizes[layer]):
                me = net.neuron(layer, j)
                columns += [
                    self.computed(field(Kind.NET, layer, j),
                                  "=" + record.net_formula(j, input_at, parameter),
                                  STATE_FORMAT, f"The net of {me}: {record.net_meaning}."),
                    self.computed(field(Kind.OUT, layer, j),
                                  activation.output_formula(nets, j), STATE_FORMAT,
                                  f"The output of {me}: {record.output_words(activation)}.")]
        columns += [self.computed(field(Kind.ERROR, last, k),
                                  f"={at(field(Kind.OUT, last, k))}"
                                  f"-{at(field(Kind.TARGET, last, k))}", SMALL_FORMAT,
                                  f"How far the output of {net.neuron(last, k)} is from its "
                                  "target.")
                    for k in range(net.sizes[-1])]
        loss = self.run.criterion
        if loss.negated:   # a sample's own loss, as `fields.forward_fields` names it
            columns.append(self.computed(
                field(Kind.SAMPLE_LOSS, last),
                sample_loss(loss, self.loss_terms(sample, held_out)), SMALL_FORMAT,
                f"This sample's loss: {loss.sample_words}."))
        if loss.classifies:
            columns += self.verdict_columns(sample, held_out)
        return columns

    def verdict_columns(self, sample: int, held_out: bool = False) -> list[Column]:
        """A sample's class, the class the outputs pick, and whether it is right."""
        net, at = self.run.network, self.at
        last, outputs = net.last, range(net.sizes[-1])
        targets = [at(Field(Kind.TARGET, sample, last, k, held_out=held_out)) for k in outputs]
        outs = [at(Field(Kind.OUT, sample, last, k, held_out=held_out)) for k in outputs]
        fields = verdict_fields(net, sample, held_out)
        middle = threshold(net)
        if len(fields) == 1:
            sides = ",".join(f"({y}>={middle:g})=({t}>={middle:g})"
                             for y, t in zip(outs, targets))
            return [self.computed(fields[0], f"=IF(AND({sides}),1,0)", "0",
                                  f"1 where every output is on its target's side of "
                                  f"{middle:g}, else 0.")]
        true, predicted, right = fields
        return [
            self.computed(true, class_formula(targets, middle), "0", "The sample's class: "
                          + class_words(targets, "target", middle)),
            self.computed(predicted, class_formula(outs, middle), "0",
                          "The class the network picks: " + class_words(outs, "output", middle)),
            self.computed(right, f"=IF({at(true)}={at(predicted)},1,0)", "0",
                          "1 where the class picked is the sample's own, else 0.")]

    def backward_columns(self, sample: int) -> list[Column]:
        """Each neuron's δ, from the output layer back."""
        net, at, loss = self.run.network, self.at, self.run.criterion
        columns = []
        for layer in range(net.last, 0, -1):
            activation = self.run.activations[layer - 1]
            for j in range(net.sizes[layer]):
                me = net.neuron(layer, j)
                factor = activation.slope_of(at(Field(Kind.NET, sample, layer, j)),
                                             at(Field(Kind.OUT, sample, layer, j)))
                if layer == net.last:
                    formula = loss.delta_formula(at(Field(Kind.ERROR, sample, layer, j)),
                                                 factor)
                    meaning = loss.delta_meaning.format(slope=activation.slope_words)
                else:
                    later = net.layers[layer]   # the record of layer + 1
                    back = later.back_formula(
                        j, parameter_of(at, layer + 1),
                        lambda k: at(Field(Kind.DELTA, sample, layer + 1, k)),
                        lambda i: at(Field(Kind.OUT, sample, layer, i)),
                        lambda k: at(Field(Kind.NET, sample, layer + 1, k)))
                    formula = f"={back}" if factor is None else f"=({back})*{factor}"
                    slope = net.layers[layer - 1].slope_words(activation)
                    meaning = f"{later.back_meaning}, times {slope}"
                columns.append(self.computed(Field(Kind.DELTA, sample, layer, j), formula,
                                             SMALL_FORMAT,
                                             f"How the loss changes with the net of {me}: "
                                             f"{meaning}."))
        return columns
