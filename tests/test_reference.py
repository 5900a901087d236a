"""The reference maths against the article's own figures."""

import math

import pytest

from sheetgen.reference import Parameters, attempt, train

RUST_DEMO = Parameters(learning_rate=0.01, input=0.01, weight=0.5, bias=0.5, attempts=100_001)


def first_attempt_below(parameters: Parameters, threshold: float = 1e-12) -> int | None:
    return next((a.number for a in train(parameters) if a.loss < threshold), None)


def test_rust_demo_trained_output_is_the_articles_float():
    # 100,000 updates, then the forward pass that prints "Trained output: 0.1000000000000007".
    *_, trained = train(RUST_DEMO)
    assert trained.number == 100_001
    assert trained.output == 0.1000000000000007
    assert trained.weight == 0.4959537581015022
    assert trained.bias == 0.09537581015006125


def test_first_attempt_matches_a_hand_calculation():
    first = next(train(Parameters()))
    assert first.net == 0.01 * 0.5 + 0.5 == 0.505
    assert first.output == math.tanh(0.505) == 0.46604029847771505
    assert first.target == 0.1
    assert first.error == 0.46604029847771505 - 0.1
    assert first.loss == first.error ** 2 / 2
    assert first.bias_gradient == first.error * (1 - first.output ** 2)
    assert first.weight_gradient == first.bias_gradient * 0.01


def test_default_sheet_ends_on_the_target():
    *_, last = train(Parameters())
    assert last.number == 1000
    assert last.output == 0.10000000000000005


@pytest.mark.parametrize("learning_rate, attempt_number", [
    (0.1, 126), (0.5, 21), (1, 6), (2, 277), (5, None), (50, None)])
def test_first_attempt_with_loss_below_1e_12(learning_rate, attempt_number):
    assert first_attempt_below(Parameters(learning_rate=learning_rate)) == attempt_number


def test_rate_2_oscillates_before_it_converges():
    errors = [a.error for a in train(Parameters(learning_rate=2, attempts=30))]
    assert any(a * b < 0 for a, b in zip(errors, errors[1:]))


def test_rate_50_saturates_tanh_at_minus_one():
    # One step throws the bias to about -13.8, where tanh is flat: the gradient all but
    # vanishes and the loss stays at (-1 - 0.1)^2 / 2 for good.
    *_, last = train(Parameters(learning_rate=50))
    assert -1 < last.output < -1 + 1e-11
    assert abs(last.bias_gradient) < 1e-11
    assert last.loss == pytest.approx(1.1 ** 2 / 2, abs=1e-11)


def test_each_update_steps_against_the_gradient():
    rate = 0.1
    rows = list(train(Parameters(learning_rate=rate, attempts=3)))
    for before, after in zip(rows, rows[1:]):
        assert after.weight == before.weight - before.weight_gradient * rate
        assert after.bias == before.bias - before.bias_gradient * rate


@pytest.mark.parametrize("weight, bias", [(0.5, 0.5), (-1.3, 0.2), (2.0, -0.7)])
def test_gradients_agree_with_finite_differences(weight, bias):
    """The chain-rule gradients against (loss(w+h) - loss(w-h)) / 2h, as the series did."""
    input, target, h = 0.3, 0.1, 1e-6

    def loss(w, b):
        return attempt(1, input, target, w, b).loss

    analytic = attempt(1, input, target, weight, bias)
    by_weight = (loss(weight + h, bias) - loss(weight - h, bias)) / (2 * h)
    by_bias = (loss(weight, bias + h) - loss(weight, bias - h)) / (2 * h)
    assert analytic.weight_gradient == pytest.approx(by_weight, rel=1e-7)
    assert analytic.bias_gradient == pytest.approx(by_bias, rel=1e-7)
