"""The 8×8 digits as the worked programs use them: scikit-learn's copy (no download), a
stratified 75/25 train/test split, and features standardised with the statistics of the
training rows only, so nothing about the test images leaks into the model."""

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def standardised_split():
    """X_train, X_test, y_train, y_test, the same split on every call."""
    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=0.25, stratify=digits.target,
        random_state=0)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test
