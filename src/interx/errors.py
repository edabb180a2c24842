"""Errors that tell the user which file, which field, and what was expected."""

from __future__ import annotations

from pathlib import Path


class InterXError(Exception):
    """Base class for every error interx raises on purpose."""


class FormatError(InterXError, ValueError):
    """A file does not match the Inter-X format.

    The message always names the file, the field inside it (key, dataset,
    line or column) and what was expected, so the user can fix the file.
    """

    def __init__(self, path: str | Path, field: str | None, expected: str, found: str | None = None):
        self.path = str(path)
        self.field = field
        self.expected = expected
        self.found = found
        where = self.path if field is None else f"{self.path} [{field}]"
        message = f"{where}: expected {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message)


class UnsafePickleError(FormatError):
    """A pickle asked to build something other than plain containers."""
