"""Inter-X sequence ids `GgggTtttAaaaRrrr`: group, take, action, repetition.

The official lists (all.txt) use groups 001-059, takes 000-013, actions
000-039 and repetitions 000-045. The group indexes the per-group annotations
and the action indexes the 40 category names, so both are range-checked;
take and repetition are any three-digit number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interx.errors import FormatError

NUM_GROUPS = 59
NUM_ACTIONS = 40
ID_FORMAT = "GgggTtttAaaaRrrr (e.g. G001T000A000R000; group 001-059, action 000-039)"
_ID_RE = re.compile(r"G(\d{3})T(\d{3})A(\d{3})R(\d{3})")


@dataclass(frozen=True, order=True)
class SequenceId:
    """A parsed sequence id; `str()` gives back the canonical text."""

    group: int
    take: int
    action: int
    repetition: int

    def __post_init__(self) -> None:
        for name, value, low, high in (
            ("group", self.group, 1, NUM_GROUPS),
            ("take", self.take, 0, 999),
            ("action", self.action, 0, NUM_ACTIONS - 1),
            ("repetition", self.repetition, 0, 999),
        ):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"SequenceId.{name} must be an int, got {type(value).__name__}")
            if not low <= value <= high:
                raise ValueError(f"SequenceId.{name} must be in {low}..{high}, got {value}")

    @classmethod
    def parse(cls, text: str, source: str | None = None) -> SequenceId:
        """Parse `GgggTtttAaaaRrrr`; `source` names where the text came from in errors."""
        where = source if source is not None else "sequence id"
        if not isinstance(text, str):
            raise FormatError(where, "id", ID_FORMAT, found=f"a {type(text).__name__}")
        match = _ID_RE.fullmatch(text)
        if match is None:
            raise FormatError(where, "id", ID_FORMAT, found=repr(text))
        group, take, action, repetition = (int(g) for g in match.groups())
        try:
            return cls(group, take, action, repetition)
        except ValueError as exc:
            raise FormatError(where, "id", ID_FORMAT, found=f"{text!r} ({exc})") from None

    def __str__(self) -> str:
        return f"G{self.group:03d}T{self.take:03d}A{self.action:03d}R{self.repetition:03d}"


def is_valid_id(text: object) -> bool:
    """True when `text` is a well-formed id with group and action in range."""
    if not isinstance(text, str) or _ID_RE.fullmatch(text) is None:
        return False
    group, action = int(text[1:4]), int(text[9:12])
    return 1 <= group <= NUM_GROUPS and 0 <= action < NUM_ACTIONS


def parse_id_list(text: str, source: str) -> list[str]:
    """Parse a split list (one id per line, blank lines ignored); errors name the line."""
    ids: list[str] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if not is_valid_id(line):
            raise FormatError(source, f"line {lineno}", ID_FORMAT, found=repr(line))
        ids.append(line)
    return ids
