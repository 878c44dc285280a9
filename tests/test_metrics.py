import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import metrics


@st.composite
def labels_and_scores(draw):
    """Binary labels with both classes (possibly very imbalanced) and scores with many ties."""
    n = draw(st.integers(2, 60))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    if y.min() == y.max():
        y[draw(st.integers(1, n - 1))] = 1 - y[0]
    n_levels = draw(st.integers(1, 8))  # few distinct values -> many ties
    scores = np.array(draw(st.lists(st.integers(0, n_levels), min_size=n, max_size=n)), dtype=float)
    scale = draw(st.sampled_from([1.0, 0.1, -3.0, 1e6]))
    return y, scores * scale


def random_cases(n_cases=30):
    """Seeded random data sets: balanced and imbalanced labels, continuous and tied scores."""
    rng = np.random.default_rng(12345)
    for i in range(n_cases):
        n = int(rng.integers(2, 500))
        p_pos = [0.5, 0.1, 0.02, 0.9][i % 4]
        y = (rng.random(n) < p_pos).astype(int)
        y[:2] = 0, 1  # both classes present, however imbalanced the rest
        scores = rng.normal(size=n) + y * rng.uniform(0, 2)
        if i % 2:
            scores = np.round(scores, 1)  # ties
        yield y, scores


# ---------------------------------------------------------------- accuracy


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 50).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-2, 3), min_size=n, max_size=n),
            st.lists(st.integers(-2, 3), min_size=n, max_size=n),
        )
    )
)
def test_accuracy_matches_sklearn(pair):
    y_true, y_pred = map(np.array, pair)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))


def test_accuracy_accepts_string_labels():
    assert metrics.accuracy(["cat", "dog", "dog"], ["cat", "cat", "dog"]) == pytest.approx(2 / 3)


def test_accuracy_rejects_strings_mixed_with_numbers():
    with pytest.raises(TypeError, match="y_true and y_pred must hold the same kind of labels"):
        metrics.accuracy(["0", "1"], [0, 1])


# ------------------------------------------------------- precision / recall


def sk_prf(y_true, y_pred):
    p, r, f, _ = skm.precision_recall_fscore_support(
        y_true, y_pred, average="binary", pos_label=1, zero_division=0
    )
    return p, r, f


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n),
            st.lists(st.integers(0, 1), min_size=n, max_size=n),
        )
    )
)
def test_precision_recall_f1_matches_sklearn(pair):
    y_true, y_pred = map(np.array, pair)
    ours = metrics.precision_recall_f1(y_true, y_pred)
    np.testing.assert_allclose(ours, sk_prf(y_true, y_pred), rtol=1e-12, atol=0)
    assert ours[2] == pytest.approx(skm.f1_score(y_true, y_pred, zero_division=0))


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([0, 0, 1, 1], [0, 0, 0, 0]),  # nothing predicted positive: precision 0/0
        ([0, 0, 0, 0], [0, 1, 0, 0]),  # no actual positives: recall 0/0
        ([0, 0, 0], [0, 0, 0]),  # neither: everything 0/0
    ],
)
def test_zero_division_convention_is_zero(y_true, y_pred):
    assert metrics.precision_recall_f1(y_true, y_pred) == (0.0, 0.0, 0.0)
    np.testing.assert_array_equal(sk_prf(y_true, y_pred), (0.0, 0.0, 0.0))


def test_precision_recall_f1_hand_example():
    # tp = 2, fp = 1, fn = 2
    p, r, f = metrics.precision_recall_f1([1, 1, 1, 1, 0, 0], [1, 1, 0, 0, 1, 0])
    assert (p, r) == (pytest.approx(2 / 3), pytest.approx(1 / 2))
    assert f == pytest.approx(2 * p * r / (p + r))


# --------------------------------------------------------------------- ROC


def check_against_sklearn(y, scores):
    fpr, tpr, thr = metrics.roc_curve(y, scores)
    sk_fpr, sk_tpr, sk_thr = skm.roc_curve(y, scores, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr, rtol=1e-12)
    np.testing.assert_allclose(tpr, sk_tpr, rtol=1e-12)
    np.testing.assert_array_equal(thr, sk_thr)
    assert metrics.roc_auc(y, scores) == pytest.approx(skm.roc_auc_score(y, scores), abs=1e-12)
    assert metrics.average_precision(y, scores) == pytest.approx(
        skm.average_precision_score(y, scores), abs=1e-12
    )


@settings(max_examples=150, deadline=None)
@given(labels_and_scores())
def test_ranking_metrics_match_sklearn_hypothesis(data):
    check_against_sklearn(*data)


@pytest.mark.parametrize("y, scores", list(random_cases()))
def test_ranking_metrics_match_sklearn_seeded(y, scores):
    check_against_sklearn(y, scores)


@settings(max_examples=100, deadline=None)
@given(labels_and_scores())
def test_roc_auc_is_the_mann_whitney_probability(data):
    y, scores = data
    pos, neg = scores[y == 1], scores[y == 0]
    diff = pos[:, None] - neg[None, :]
    mann_whitney = np.mean((diff > 0) + 0.5 * (diff == 0))  # ties count 1/2
    assert metrics.roc_auc(y, scores) == pytest.approx(mann_whitney, abs=1e-12)


def test_roc_curve_shape_and_ordering():
    y = np.array([0, 1, 1, 0, 1, 0, 0])
    scores = np.array([0.1, 0.8, 0.8, 0.8, 0.3, 0.3, -1.0])
    fpr, tpr, thr = metrics.roc_curve(y, scores)
    assert thr[0] == np.inf and np.all(np.diff(thr) < 0)
    np.testing.assert_array_equal(thr[1:], [0.8, 0.3, 0.1, -1.0])  # one per distinct score
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    # the tied group at 0.8 (two positives, one negative) is a single diagonal step
    assert (fpr[1], tpr[1]) == (pytest.approx(1 / 4), pytest.approx(2 / 3))


def test_perfect_and_reversed_rankings():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.2, 0.8, 0.9])
    assert metrics.roc_auc(y, s) == 1.0 and metrics.average_precision(y, s) == 1.0
    assert metrics.roc_auc(y, -s) == 0.0
    assert metrics.roc_auc(y, np.zeros(4)) == 0.5  # all tied: chance level


def test_average_precision_without_negatives_is_one():
    assert metrics.average_precision([1, 1, 1], [0.2, 0.5, 0.1]) == 1.0


def test_inputs_not_mutated():
    y = np.array([1, 0, 1, 0])
    s = np.array([0.3, 0.1, 0.2, 0.4])
    y0, s0 = y.copy(), s.copy()
    metrics.roc_curve(y, s)
    metrics.average_precision(y, s)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(s, s0)


# --------------------------------------------------------------- bad input

RANKING = [metrics.roc_curve, metrics.roc_auc, metrics.average_precision]


@pytest.mark.parametrize("f", [metrics.accuracy, metrics.precision_recall_f1, *RANKING])
def test_mismatched_lengths(f):
    with pytest.raises(
        ValueError, match=r"y_true and (y_pred|scores) must have the same length, got 3 and 2"
    ):
        f([0, 1, 1], [1, 0])


@pytest.mark.parametrize("f", [metrics.accuracy, metrics.precision_recall_f1, *RANKING])
def test_empty(f):
    with pytest.raises(ValueError, match="y_true must not be empty"):
        f([], [])


@pytest.mark.parametrize("f", [metrics.accuracy, metrics.precision_recall_f1, *RANKING])
def test_two_dimensional(f):
    with pytest.raises(ValueError, match="y_true must be 1-D"):
        f([[0, 1]], [[0, 1]])


@pytest.mark.parametrize("f", [metrics.precision_recall_f1, *RANKING])
def test_non_binary_y_true(f):
    with pytest.raises(ValueError, match="y_true must hold binary labels 0 and 1"):
        f([0, 1, 2], [0, 1, 1])


def test_non_binary_y_pred():
    with pytest.raises(ValueError, match="y_pred must hold binary labels 0 and 1"):
        metrics.precision_recall_f1([0, 1, 1], [0, 0.7, 1])


@pytest.mark.parametrize("f", RANKING)
def test_non_finite_scores(f):
    with pytest.raises(ValueError, match="scores must be finite"):
        f([0, 1, 1], [0.1, np.nan, 0.3])


@pytest.mark.parametrize("f", [metrics.roc_curve, metrics.roc_auc])
@pytest.mark.parametrize("y", [[0, 0, 0], [1, 1, 1]])
def test_single_class_is_undefined_for_roc(f, y):
    with pytest.raises(ValueError, match="y_true has no (positive|negative)"):
        f(y, [0.1, 0.2, 0.3])


def test_average_precision_needs_a_positive():
    with pytest.raises(ValueError, match="y_true has no positive"):
        metrics.average_precision([0, 0], [0.1, 0.2])


@pytest.mark.parametrize(
    "y_true, y_pred, kinds",
    [
        (np.array(["a", "b"]), np.array([b"a", b"b"]), ("text", "bytes")),
        ([0, 1, 1], [0.2, 0.9, 0.6], ("integer labels", "non-integer numbers")),
        ([0.1, 0.7], [0, 1], ("non-integer numbers", "integer labels")),
        (np.array([b"x"]), [1], ("bytes", "integer labels")),
    ],
)
def test_accuracy_refuses_labels_of_different_kinds_naming_both(y_true, y_pred, kinds):
    # each of these used to return a quiet 0.0 (nothing compares equal across kinds)
    with pytest.raises(TypeError, match=rf"y_true holds {kinds[0]}.*y_pred holds {kinds[1]}"):
        metrics.accuracy(y_true, y_pred)


def test_accuracy_accepts_integer_valued_floats_against_integers():
    assert metrics.accuracy([0, 1, 2, 2], [0.0, 1.0, 2.0, 1.0]) == 0.75


def test_precision_recall_given_probabilities_names_both_arguments():
    with pytest.raises(ValueError, match="y_pred must hold binary labels 0 and 1 like y_true"):
        metrics.precision_recall_f1([0, 1, 1], [0.2, 0.9, 0.6])
