"""Failures an operator must fix; the CLI prints their message as one line."""


class OperatorError(Exception):
    """Raised by the composition root when configuration or infrastructure is not usable."""
