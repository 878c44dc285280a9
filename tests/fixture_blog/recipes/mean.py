"""A running mean, one value at a time."""


# --8<-- [start:running_mean]
def running_mean(values):
    mean = 0.0
    for n, x in enumerate(values, start=1):
        mean += (x - mean) / n
    return mean


# --8<-- [end:running_mean]
