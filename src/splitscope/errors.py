"""Exceptions the CLI turns into one-line messages and exit codes."""


class SplitscopeError(Exception):
    """Base class. The message names the thing (file, place, likely cause)."""

    exit_code = 2


class UnusableInputError(SplitscopeError):
    """A whole input (file, archive, claims file) cannot be used. Exit code 2."""

    exit_code = 2


class CheckFailedError(SplitscopeError):
    """A check ran and failed (audit --fail-on, eval below target). Exit code 1."""

    exit_code = 1
