"""Numbers stated in the Markdown posts are computed by tested code.

A Markdown post is not executed at build time, so each number it states is checked here:
the test finds the number in the post's text (so a claim cannot be edited without this
test noticing) and computes it with the package (so a claim cannot be wrong).
"""

from __future__ import annotations

import math

import pytest
from conftest import ROOT

from snippets.activations import sigmoid_grad
from snippets.layers import conv2d_param_count, fc_param_count

MAIN_POST = ROOT / "docs" / "blog" / "posts" / "ml-interview-basics.md"
TEXT = MAIN_POST.read_text(encoding="utf-8")

IMAGE_IN, IMAGE_OUT = 224 * 224 * 3, 224 * 224 * 64  # Q11: 224x224x3 in, 64 filters, pad 1
FC_PARAMS = fc_param_count(IMAGE_IN, IMAGE_OUT)


def tex_int(n: int) -> str:
    """How the post writes an integer in TeX: 1{,}792."""
    return f"{n:,}".replace(",", "{,}")


# (what is stated, how the post writes it, the value computed by the package, its display)
CLAIMS = [
    ("Q11 conv parameters", tex_int(1792), conv2d_param_count(3, 64, 3), 1792),
    ("Q11 fc inputs", tex_int(150_528), IMAGE_IN, 150_528),
    ("Q11 fc outputs", tex_int(3_211_264), IMAGE_OUT, 3_211_264),
    ("Q11 fc parameters", tex_int(483_388_358_656), FC_PARAMS, 483_388_358_656),
    (
        "Q11 fc biases",
        "3,211,264 biases",
        fc_param_count(IMAGE_IN, IMAGE_OUT) - IMAGE_IN * IMAGE_OUT,
        3_211_264,
    ),
    ("Q11 conv multiply-adds", tex_int(86_704_128), IMAGE_OUT * 27, 86_704_128),
]


@pytest.mark.parametrize("claim, written, computed, stated", CLAIMS, ids=[c[0] for c in CLAIMS])
def test_main_post_counts_are_the_package_counts(claim, written, computed, stated):
    assert written in TEXT, f"{claim}: {written!r} no longer in {MAIN_POST.name}"
    assert computed == stated, f"{claim}: the post says {stated}, the code gives {computed}"


def test_main_post_rounded_figures():
    assert r"\approx 4.83 \times 10^{11}" in TEXT and round(FC_PARAMS / 1e11, 2) == 4.83
    assert "about 1.93 TB in float32" in TEXT and round(FC_PARAMS * 4 / 1e12, 2) == 1.93
    assert r"\approx 8.7 \times 10^7" in TEXT and round(IMAGE_OUT * 27 / 1e7, 1) == 8.7
    # Q9: the product of ten sigmoid derivatives, each at most sigmoid'(0) = 1/4
    assert r"4^{-10} \approx 9.5 \times 10^{-7}" in TEXT
    assert float(sigmoid_grad(0.0)) == 0.25 and round(0.25**10 * 1e7, 1) == 9.5
    # Q5: with beta2 = 0.999 the bias correction 1 - beta2^t is still under 0.1 at t = 100
    assert r"$1 - \beta_2^t$ is still under 0.1 after 100 steps" in TEXT
    assert 1 - 0.999**100 < 0.1 < 1 - 0.999**106
    # Q5: momentum's speed-up on a constant gradient is 1 / (1 - mu)
    assert r"$1/(1 - \mu) = 10\times$" in TEXT and math.isclose(1 / (1 - 0.9), 10)


def test_main_post_metric_examples():
    from snippets.metrics import accuracy, precision_recall_f1

    # Q8, accuracy: 99% negatives and a classifier that always says "negative"
    assert 'With 99% negatives, "always predict negative" has 99% accuracy' in TEXT
    y = [1] + [0] * 99
    assert accuracy(y, [0] * 100) == 0.99
    # Q8, PR-AUC: 100 positives, 10,000 negatives; 90 caught with 500 false alarms
    assert r"$\text{FPR} = 500 / 10{,}000 = 5\%$ and TPR = 90%" in TEXT
    assert r"precision is $90 / 590 \approx 15\%$" in TEXT
    y_true = [1] * 100 + [0] * 10_000
    y_pred = [1] * 90 + [0] * 10 + [1] * 500 + [0] * 9_500
    precision, recall, _ = precision_recall_f1(y_true, y_pred)
    false_alarm_rate = 500 / 10_000
    assert round(precision * 100) == 15 and recall == 0.9 and false_alarm_rate == 0.05
