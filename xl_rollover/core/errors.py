"""The project's exceptions: one small hierarchy, each message naming argument, value and rule.

Callers (the Excel layer, the CLI, batch runs) map these to error cells, exit codes or an
``error`` column; nothing here knows about them.
"""

from __future__ import annotations


class XlRolloverError(Exception):
    """Base class: every error the rules raise on purpose."""


class InputError(XlRolloverError, ValueError):
    """An argument is missing, of the wrong kind, out of range, or inconsistent with another."""


class UnknownYear(InputError, LookupError):
    """A tax year (or a limit name) the shipped data does not hold; never defaulted."""


class UnsupportedCase(XlRolloverError):
    """A case the rules implemented here do not cover: refused rather than guessed."""
