"""Mini-batches without an engine: the epoch cut into batches as PyTorch's DataLoader cuts it,
the row's gradients and loss as the full batch of the same samples has them, against autograd,
the places past an epoch's last sample that count for nothing, the summary's accuracy, the
formulas, the Data sheet read back and the refusals."""

import re
from dataclasses import replace

import pytest
from autograd_reference import assert_penalised_gradients_equal_autograds
from helpers import rewrite_sheet, write
from runs import shuffled_softmax, softmax_run, xor_run

from sheetgen import InputError, api
from sheetgen.engines.network_reading import read_network_workbook
from sheetgen.engines.reading import UnreadableSheet
from sheetgen.maths.classification import accuracy
from sheetgen.maths.fields import BATCH, EPOCH, SIZE, Field, Kind, RowOrder, fields
from sheetgen.maths.training import attempt, train
from sheetgen.maths.summary import summarize_run
from sheetgen.sheets.network_sheet import describe

IRIS = api.network_run(preset="iris", batch=32, attempts=12)
THREES = replace(xor_run(attempts=12), batch=3)
"""XOR's four samples in batches of 3: each epoch's second batch holds sample 4 alone."""


def test_an_epoch_is_cut_as_pytorchs_dataloader_cuts_it():
    """150 samples in batches of 32: 32, 32, 32, 32 and 22, then the next epoch."""
    assert IRIS.epoch == 5
    assert [IRIS.size_of(t) for t in range(1, 7)] == [32, 32, 32, 32, 22, 32]
    assert [IRIS.epoch_of(t) for t in (1, 5, 6, 12)] == [(1, 1), (1, 5), (2, 1), (3, 2)]
    assert IRIS.slots_of(5) == (*range(129, 151), *range(1, 11))
    assert IRIS.slots_of(2) == tuple(range(33, 65))


def test_a_batch_trains_as_the_full_batch_of_its_own_samples():
    """Bit for bit: the places that count, averaged; the others change nothing."""
    for this in train(THREES):
        counted = [THREES.samples[s - 1] for s in this.slots[:this.size]]
        alone = attempt(replace(THREES, samples=tuple(counted), batch=None), 1,
                        this.weights, this.biases)
        assert (this.loss, this.weight_gradients, this.bias_gradients) == (
            alone.loss, alone.weight_gradients, alone.bias_gradients)
    assert [(a.epoch, a.batch, a.size, a.slots) for a in train(replace(THREES, attempts=3))] \
        == [(1, 1, 3, (1, 2, 3)), (1, 2, 1, (4, 1, 2)), (2, 1, 3, (1, 2, 3))]


@pytest.mark.parametrize("run", [THREES, replace(softmax_run(), batch=2, l2=0.01)],
                         ids=["xor in threes", "softmax in twos, L2"])
def test_a_batchs_gradients_equal_autograds(run):
    for this in list(train(replace(run, attempts=6)))[1::2]:   # the epoch's later batches
        assert_penalised_gradients_equal_autograds(
            this, run, [run.samples[s - 1] for s in this.slots[:this.size]])


def test_the_row_shows_every_place_and_says_which_count():
    this = list(train(THREES))[1]
    values = dict(zip(fields(THREES), RowOrder(THREES)(this)))
    assert (values[EPOCH], values[BATCH], values[SIZE]) == (1, 2, 1)
    assert [values[Field(Kind.SAMPLE, p)] for p in (1, 2, 3)] == [4, 1, 2]
    assert [values[Field(Kind.COUNTS, p)] for p in (1, 2, 3)] == [1, 0, 0]
    assert SIZE not in fields(replace(THREES, batch=2))


def test_the_summary_weighs_each_batch_by_its_size():
    """Softmax on five samples in twos (2, 2, 1): the final accuracy is the share of the five
    right at the last epoch's attempts, not the mean of the three rows' shares."""
    run = replace(softmax_run(), batch=2, attempts=9)
    last_epoch = list(train(run))[-3:]
    right = sum(v.right for a in last_epoch for v in a.counted_verdicts)
    summary = summarize_run(run)
    assert summary.final_accuracy == pytest.approx(right / 5, rel=1e-15)
    assert sum(summary.confusion.values()) == 5
    assert [a.accuracy for a in last_epoch] == [accuracy(a.counted_verdicts)
                                                for a in last_epoch]


def test_the_formulas_of_the_epoch_the_batch_and_the_places():
    sheet = describe(replace(THREES, gradient_step=1e-6))
    at = {col.field: col.letter for col in sheet.columns}
    attempt_cell, batch, size = (f"{at[field]}4" for field in (Field(Kind.ATTEMPT), BATCH, SIZE))
    formulas = {col.header: col.formula(4) for col in sheet.columns}
    assert formulas["Epoch"] == f"=INT(({attempt_cell}-1)/2)+1"
    assert formulas["Batch"] == f"=MOD({attempt_cell}-1,2)+1"
    assert formulas["Size"] == f"=MIN(3,4-({batch}-1)*3)"
    places = [sheet.column(Field(Kind.SAMPLE, p)) for p in (1, 2, 3)]
    assert [col.formula(4) for col in places] == [
        f"=MOD(({batch}-1)*3+{p},4)+1" for p in (0, 1, 2)]
    counts = [f"{at[Field(Kind.COUNTS, p)]}4" for p in (1, 2, 3)]
    assert sheet.column(Field(Kind.COUNTS, 3)).formula(4) == f"=IF(3<={size},1,0)"
    errors = [f"{at[Field(Kind.ERROR, p, 2, 0)]}4" for p in (1, 2, 3)]
    assert formulas["Loss"] == ("=(" + "+".join(f"{e}^2/2*{u}" for e, u in zip(errors, counts))
                                + f")/{size}")
    x1 = f"{at[Field(Kind.INPUT, 2, 0, 0)]}4"
    assert sheet.column(Field(Kind.INPUT, 2, 0, 0)).formula(4) == \
        f"=INDEX(Data!$B$8:$B$11,{at[Field(Kind.SAMPLE, 2)]}4)"
    assert f"*{x1}*{counts[1]}+" in formulas["∂w x1→h1"] and \
        formulas["∂w x1→h1"].endswith(f")/{size}")
    assert formulas["loss +H b o1"].endswith(f")/{size}")


def test_the_data_sheet_says_the_batch_and_the_check_reads_it_back(tmp_path):
    path = write(tmp_path / "w.xlsx", THREES)
    assert read_network_workbook(path).run.batch == 3
    assert read_network_workbook(write(tmp_path / "f.xlsx", replace(THREES, batch=4))).run \
        .full_batch


SHUFFLED = api.network_run(preset="xor", batch=3, shuffle=True, attempts=40)


def test_each_epoch_visits_every_sample_once_in_a_seeded_order():
    orders = SHUFFLED.orders
    assert len(orders) == 20 and all(sorted(order) == [1, 2, 3, 4] for order in orders)
    assert len(set(orders)) > 5   # they differ from epoch to epoch
    assert api.network_run(preset="xor", batch=3, shuffle=True, attempts=40).orders == orders
    assert api.network_run(preset="xor", batch=3, shuffle=True, attempts=40, seed=1).orders \
        != orders
    unshuffled = api.network_run(preset="xor", batch=3, attempts=40)
    assert (SHUFFLED.weights, SHUFFLED.biases) == (unshuffled.weights, unshuffled.biases)
    for epoch in range(1, 21):
        first, second = (SHUFFLED.slots_of(2 * epoch - 1), SHUFFLED.slots_of(2 * epoch))
        assert first + second[:1] == orders[epoch - 1]
    long_run = api.network_run(preset="xor", batch=1, shuffle=True, attempts=1000)
    assert len(long_run.orders) == 100 and long_run.sample_of(401) == long_run.orders[0][0]


def test_the_places_read_the_order_table_and_the_file_gives_it_back(tmp_path):
    sheet = describe(SHUFFLED)
    place = sheet.column(Field(Kind.SAMPLE, 2)).formula(4)
    epoch, batch = (f"{sheet.letter(field)}4" for field in (EPOCH, BATCH))
    assert place == f"=INDEX(Data!$G$8:$Z$11,MOD(({batch}-1)*3+1,4)+1,MOD({epoch}-1,20)+1)"
    one = describe(api.network_run(preset="xor", batch=1, shuffle=True, attempts=8))
    attempt = f"{one.letter(Field(Kind.ATTEMPT))}4"
    assert one.column(Field(Kind.SAMPLE)).formula(4) == (
        f"=INDEX(Data!$G$8:$H$11,MOD({attempt}-1,4)+1,MOD(INT(({attempt}-1)/4)+1-1,2)+1)")
    assert read_network_workbook(write(tmp_path / "w.xlsx", SHUFFLED)).run.orders == \
        SHUFFLED.orders
    assert api._network_plan({"preset": "xor", "batch": 2, "shuffle": True}).name == \
        "xor_training_shuffled"


def test_a_full_batch_has_nothing_to_shuffle(tmp_path):
    for batch in (None, 4):
        with pytest.raises(InputError, match="^argument --shuffle: a full batch trains on all "
                                             "4 samples at once, in no order: give --batch K, "
                                             "fewer than the samples$"):
            api.network(tmp_path / "never.xlsx", preset="xor", batch=batch, shuffle=True)
    assert not (tmp_path / "never.xlsx").exists()


def test_each_row_holds_its_epochs_mean_loss_as_far_as_the_run_goes():
    run = replace(THREES, attempts=7)   # three epochs of two batches, then one attempt
    attempts = list(train(run))
    for first in (0, 2, 4):
        pair = attempts[first:first + 2]
        assert [a.epoch_loss for a in pair] == [(pair[0].loss + pair[1].loss) / 2] * 2
    assert attempts[6].epoch_loss == attempts[6].loss
    sheet = describe(run)
    loss, attempt, batch = (sheet.letter(field) for field in (Field(Kind.LOSS),
                                                              Field(Kind.ATTEMPT), BATCH))
    assert sheet.column(Field(Kind.EPOCH_LOSS)).formula(5) == (
        f"=AVERAGE(INDEX({loss}$3:{loss}$9,{attempt}5-{batch}5+1):"
        f"INDEX({loss}$3:{loss}$9,MIN({attempt}5-{batch}5+2,7)))")
    assert all(a.epoch_loss is None for a in train(xor_run(attempts=3, batch=1)))


@pytest.mark.parametrize("typed", ["1e20", "2.5", "101", "-1"])
def test_a_data_sheet_that_names_no_number_of_orders_is_refused_in_one_line(tmp_path, typed):
    def edit(xml: str) -> str:
        xml, count = re.subn(r'(<c r="D5"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{typed}</v>", xml)
        assert count == 1
        return xml
    path = rewrite_sheet(write(tmp_path / "w.xlsx", SHUFFLED), tmp_path / "typed.xlsx", edit,
                         sheets=("Data",))
    with pytest.raises(UnreadableSheet, match="its orders in D5, its test samples in F2, its "
                                              "features in F4 and its picture in F5$"):
        read_network_workbook(path)


def test_true_is_no_batch_size():
    with pytest.raises(InputError, match="^argument --batch: must be full or a whole number "
                                         "of samples, not 'True'$"):
        api.network_run(batch=True)


@pytest.mark.parametrize("batch, attempts", [(1, 7), (2, 8), (2, 2)])
def test_shuffled_the_summary_takes_the_last_whole_epoch(batch, attempts):
    """The rows after it follow another order, and would see a sample twice and another not
    at all; before an epoch is whole, every row."""
    run = shuffled_softmax(batch, attempts)
    rows = list(train(run))
    whole = attempts - attempts % run.epoch if attempts >= run.epoch else attempts
    seen = rows[max(0, whole - run.epoch):whole]
    summary = summarize_run(run)
    assert sum(summary.confusion.values()) == sum(a.size for a in seen)
    right = sum(v.right for a in seen for v in a.counted_verdicts)
    assert summary.final_accuracy == pytest.approx(right / sum(a.size for a in seen))
