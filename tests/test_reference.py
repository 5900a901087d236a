"""The reference maths against the article's own figures."""


import pytest

from sheetgen.maths.neuron import Parameters, attempt, train

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
    # tanh(0.505) = 0.466040…; error 0.366040…; loss = error²/2; gradients by the chain rule.
    first = next(train(Parameters()))
    assert first.net == 0.505
    assert first.output == 0.46604029847771505
    assert first.target == 0.1
    assert first.error == 0.366040298477715
    assert first.loss == 0.06699275005482735
    assert first.bias_gradient == 0.286538703019183
    assert first.weight_gradient == 0.00286538703019183


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
    # 0.5 - 0.00286538703019183 × 0.1 and 0.5 - 0.286538703019183 × 0.1
    second = list(train(Parameters(attempts=2)))[1]
    assert second.weight == 0.4997134612969808
    assert second.bias == 0.4713461296980817


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
