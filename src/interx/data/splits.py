"""Split lists: the official ones packaged with interx, and `splits/<split>.txt` files."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from importlib import resources

from interx.data.arrays import source_bytes
from interx.data.atomic import atomic_write_text
from interx.data.ids import is_valid_id, parse_id_list
from interx.errors import FormatError

SPLITS = ("train", "val", "test")
ALL_SPLITS = ("all",) + SPLITS


def _check_split(split: str) -> None:
    if split not in ALL_SPLITS:
        raise ValueError(f"split must be one of {', '.join(ALL_SPLITS)}, got {split!r}")


@cache
def _official(split: str) -> tuple[str, ...]:
    text = resources.files("interx.resources").joinpath(f"{split}.txt").read_text(encoding="utf-8")
    return tuple(parse_id_list(text, f"interx/resources/{split}.txt"))


def official_ids(split: str = "all") -> list[str]:
    """The official ids of a split, in the order of the official list."""
    _check_split(split)
    return list(_official(split))


@cache
def official_split_of() -> dict[str, str]:
    """Map every official id to its official split (train, val or test)."""
    return {seq_id: split for split in SPLITS for seq_id in _official(split)}


def read_split_file(source: str | os.PathLike | bytes, name: str | None = None) -> list[str]:
    """Read a split list: one id per line; a malformed id names its line."""
    data, name = source_bytes(source, name, "split list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(name, None, "UTF-8 text", found=str(exc)) from None
    return parse_id_list(text, name)


def write_split_file(path: str | os.PathLike, ids: Iterable[str]) -> None:
    """Write a split list like the release: one id per line, no trailing newline."""
    ids = list(ids)
    bad = [i for i in ids if not is_valid_id(i)]
    if bad:
        raise ValueError(f"not valid sequence ids: {bad[:5]}")
    atomic_write_text(path, "\n".join(ids))
