import math
import statistics

from recipes.mean import running_mean


def test_running_mean_matches_the_two_pass_mean():
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0]
    assert math.isclose(running_mean(values), statistics.fmean(values), rel_tol=1e-15)
    assert running_mean([2.0]) == 2.0 and running_mean([]) == 0.0
