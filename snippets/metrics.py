"""Classification metrics: accuracy, precision/recall/F1, ROC curve, ROC-AUC and average precision.

Apart from ``accuracy`` (any labels), the metrics are for binary problems:
``y_true`` holds 0 (negative) and 1 (positive), ``y_pred`` hard 0/1
predictions and ``scores`` real-valued confidences where larger means "more
likely positive". All inputs are 1-D arrays of the same, non-zero length.

Conventions (the same as scikit-learn's with ``zero_division=0``):

* a ratio whose denominator is 0 is reported as 0.0 - precision when nothing
  is predicted positive, recall when ``y_true`` has no positives, and F1 when
  precision and recall are both 0;
* ``roc_curve`` starts at the point (0, 0) with threshold ``+inf`` and has one
  further point per distinct score, in decreasing order of threshold; tied
  scores move the curve diagonally in one step, which is what makes the
  trapezoidal ``roc_auc`` count a tied positive/negative pair as 1/2;
* ROC needs both classes present (``ValueError`` otherwise), and average
  precision needs at least one positive.
"""

from __future__ import annotations

import numpy as np

from snippets.validation import check_array, check_same_length, checked_with

__all__ = [
    "accuracy",
    "average_precision",
    "precision_recall_f1",
    "roc_auc",
    "roc_curve",
]


def _any_labels(y: object, name: str) -> np.ndarray:
    """Return ``y`` as a non-empty 1-D array of numbers or strings, or raise naming ``name``."""
    arr = np.asarray(y)
    if arr.dtype.kind in "US":
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
        return arr
    return check_array(arr, name, ndim=1)


def _label_kind(y: np.ndarray) -> str:
    """What a label array holds: 'text', 'bytes', 'integer labels' or 'non-integer numbers'."""
    if y.dtype.kind == "U":
        return "text"
    if y.dtype.kind == "S":
        return "bytes"
    if y.dtype.kind == "f" and not np.all(y == np.round(y)):
        return "non-integer numbers"
    return "integer labels"


def _label_pair(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate two label arrays of the same length and the same kind: both text, both
    bytes, or both integer-valued numbers (a comparison across kinds is never equal, so
    it would report a silent 0.0)."""
    y_true, y_pred = _any_labels(y_true, "y_true"), _any_labels(y_pred, "y_pred")
    check_same_length(y_true, "y_true", y_pred, "y_pred")
    kinds = _label_kind(y_true), _label_kind(y_pred)
    if kinds[0] != kinds[1]:
        hint = (" (probabilities or scores? predict a label first, e.g. scores.argmax(axis=1))"
                if "non-integer numbers" in kinds else "")
        raise TypeError(
            f"y_true and y_pred must hold the same kind of labels: y_true holds {kinds[0]} "
            f"({y_true.dtype}), y_pred holds {kinds[1]} ({y_pred.dtype}){hint}"
        )
    return y_true, y_pred


def _binary_labels(y: object, name: str) -> np.ndarray:
    """Return ``y`` as a 1-D int array of 0s and 1s, or raise naming ``name``."""
    arr = check_array(y, name, ndim=1)
    if not np.isin(arr, (0, 1)).all():
        found = np.unique(arr)[:5]
        raise ValueError(f"{name} must hold binary labels 0 and 1, got values such as {found}")
    return arr.astype(np.int64)


def _binary_pair(y_true: object, y_other: object, other_name: str,
                 other_is_scores: bool) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``y_true`` (binary) and ``y_pred``/``scores`` of the same length."""
    y_true = _binary_labels(y_true, "y_true")
    if other_is_scores:
        other = check_array(y_other, other_name, ndim=1)
        if other.dtype.kind in "iu" and other.size and np.abs(other).max() > 2**53:
            raise ValueError(
                f"{other_name} holds integers beyond 2**53, which float64 cannot tell apart:"
                " the ranking would see ties that are not there; pass their ranks"
                " (e.g. scipy.stats.rankdata) or scale them"
            )
        other = other.astype(np.float64)
    else:
        other = check_array(y_other, other_name, ndim=1)
        if _label_kind(other) == "non-integer numbers":
            raise ValueError(
                f"{other_name} must hold binary labels 0 and 1 like y_true, got non-integer "
                f"numbers (probabilities? threshold them first, e.g. {other_name} >= 0.5, "
                "or rank them with roc_auc(y_true, scores))"
            )
        other = _binary_labels(other, other_name)
    check_same_length(y_true, "y_true", other, other_name)
    return y_true, other


def _ranking_inputs(
    y_true: object, scores: object, need_negatives: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Validated (y_true, scores) for the ranking metrics, with the classes they need present."""
    y_true, scores = _binary_pair(y_true, scores, "scores", other_is_scores=True)
    if not y_true.any():
        raise ValueError("y_true has no positive (1) labels: the metric is undefined")
    if need_negatives and y_true.all():
        raise ValueError("y_true has no negative (0) labels: ROC is undefined with a single class")
    return y_true, scores


@checked_with(_label_pair)
# --8<-- [start:accuracy]
def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of predictions equal to the true label; y_true, y_pred (N,) of any labels."""
    return float(np.mean(y_true == y_pred))
# --8<-- [end:accuracy]


def _ratio(num: float, den: float) -> float:
    """num / den, or 0.0 when den == 0 (the zero_division=0 convention)."""
    return num / den if den > 0 else 0.0


def _check_predictions(y_true: object, y_pred: object) -> tuple[np.ndarray, np.ndarray]:
    return _binary_pair(y_true, y_pred, "y_pred", other_is_scores=False)


def _check_roc(y_true: object, scores: object) -> tuple[np.ndarray, np.ndarray]:
    return _ranking_inputs(y_true, scores, need_negatives=True)


def _check_average_precision(y_true: object, scores: object) -> tuple[np.ndarray, np.ndarray]:
    return _ranking_inputs(y_true, scores, need_negatives=False)


@checked_with(_check_predictions)
# --8<-- [start:precision_recall_f1]
def precision_recall_f1(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of binary predictions y_pred (N,) against y_true (N,)."""
    tp = int(np.sum((y_pred == 1) & (y_true == 1)))
    fp = int(np.sum((y_pred == 1) & (y_true == 0)))   # false alarms: hurt precision
    fn = int(np.sum((y_pred == 0) & (y_true == 1)))   # misses: hurt recall
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    # 2 tp / (2 tp + fp + fn) is the harmonic mean 2 p r / (p + r) without
    # dividing by p + r, so it is defined (as 0) whenever tp == 0.
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return precision, recall, f1
# --8<-- [end:precision_recall_f1]


# --8<-- [start:counts_by_threshold]
def _counts_by_threshold(
    y_true: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False and true positive counts when predicting 1 for scores >= each distinct score.

    Returns (fps, tps, thresholds), each (K,) for the K distinct scores in decreasing order.
    """
    order = np.argsort(-scores, kind="stable")        # highest score first
    scores, y_true = scores[order], y_true[order]
    # Tied scores are one threshold: keep only the last index of each run of equal scores.
    last_of_run = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    tps = np.cumsum(y_true)[last_of_run]
    fps = (last_of_run + 1) - tps                      # predicted positive, minus the true ones
    return fps, tps, scores[last_of_run]
# --8<-- [end:counts_by_threshold]


@checked_with(_check_roc)
# --8<-- [start:roc_curve]
def roc_curve(y_true: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC curve points: (fpr, tpr, thresholds), each (K + 1,) for K distinct scores.

    Point i predicts positive when score >= thresholds[i]; thresholds[0] = +inf
    (nothing predicted positive) and thresholds decrease.
    """
    fps, tps, thresholds = _counts_by_threshold(y_true, scores)
    fpr = np.r_[0, fps] / fps[-1]                      # fps[-1] = number of negatives
    tpr = np.r_[0, tps] / tps[-1]                      # tps[-1] = number of positives
    return fpr, tpr, np.r_[np.inf, thresholds]
# --8<-- [end:roc_curve]


# --8<-- [start:roc_auc]
def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve by the trapezoidal rule, from y_true (N,) and scores (N,).

    Equals P(score of a random positive > score of a random negative), ties counting 1/2.
    """
    fpr, tpr, _ = roc_curve(y_true, scores)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
# --8<-- [end:roc_auc]


@checked_with(_check_average_precision)
# --8<-- [start:average_precision]
def average_precision(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Area under the precision-recall curve as a step sum: sum_k (R_k - R_{k-1}) P_k."""
    fps, tps, _ = _counts_by_threshold(y_true, scores)
    precision = tps / (tps + fps)                      # each threshold predicts >= 1 positive
    recall = tps / tps[-1]
    # Steps, not trapezoids: linear interpolation between PR points is optimistic.
    return float(np.sum(np.diff(recall, prepend=0) * precision))
# --8<-- [end:average_precision]
