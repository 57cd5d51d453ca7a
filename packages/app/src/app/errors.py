"""Failures that end a command; `app.terminal` prints each as one line with its exit code."""

from __future__ import annotations


class OperatorError(Exception):
    """Raised by the composition root when configuration or infrastructure is not usable."""


class UseCaseRefusedError(Exception):
    """A use case returned a failure value (an expired invitation, a taken address…)."""

    def __init__(self, failure: object) -> None:
        super().__init__(failure)
        self.failure = failure
