"""The release's `annots/` files: action names, actor order, familiarity, Big-Five.

The layouts of `familiarity.txt` and `big_five.npy` are not documented
publicly, so the readers accept every plausible one and say which they took:

familiarity.txt (values 1-4, 4 = most familiar), optional non-numeric header
line, blank lines ignored, columns split by whitespace, comma or semicolon:
  * one value per line, line i = group i (group order, starting at group 1);
  * two columns `group value`, group written `1`, `001` or `G001`.
The writer writes one value per line in group order (groups 1..G, no header).

big_five.npy (NEO-FFI: openness, conscientiousness, extraversion,
agreeableness, neuroticism), numeric, one entry per group in group order:
  * (G, 2, 5): group, person (P1, P2), trait;
  * (G, 10): P1's five traits then P2's;
  * (2G, 5): one row per subject, group-major (G1 P1, G1 P2, G2 P1, ...);
  * each of these with a leading index column: (G, 2, 6), (G, 11), (2G, 6).
NaN marks a missing value (that group then has no Big-Five); Inf is an error.
The writer writes (G, 2, 5) float64.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from importlib import resources

import numpy as np

from interx.data.arrays import describe_dtype, npy_bytes, read_npy, source_bytes
from interx.data.atomic import atomic_write_bytes, atomic_write_text
from interx.data.ids import ID_FORMAT, NUM_ACTIONS, NUM_GROUPS, is_valid_id
from interx.data.safe_pickle import dump_plain_pickle, load_plain_pickle
from interx.errors import FormatError

NUM_TRAITS = 5
TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
FAMILIARITY_LEVELS = (1, 2, 3, 4)
_GROUP_RE = re.compile(r"[Gg]?0*(\d+)")
_SPLIT_RE = re.compile(r"[\s,;]+")


# ---------------------------------------------------------------- action names
def official_action_names() -> list[str]:
    """The 40 official category names shipped with the package (line i = action i)."""
    text = resources.files("interx.resources").joinpath("action_setting.txt").read_text(encoding="utf-8")
    return parse_action_names(text, "interx/resources/action_setting.txt")


def parse_action_names(text: str, name: str) -> list[str]:
    """Parse action_setting.txt text: 40 non-empty lines, trailing newline optional."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            raise FormatError(name, f"line {lineno}", "a category name", found="an empty line")
    if len(lines) != NUM_ACTIONS:
        raise FormatError(name, "lines", f"{NUM_ACTIONS} category names, one per line", found=f"{len(lines)} lines")
    return [line.strip() for line in lines]


def read_action_names(source: str | os.PathLike | bytes, name: str | None = None) -> list[str]:
    """Read `annots/action_setting.txt` from a path or bytes."""
    data, name = source_bytes(source, name, "text")
    return parse_action_names(_decode(data, name), name)


def write_action_names(path: str | os.PathLike, names: Sequence[str]) -> None:
    """Write action_setting.txt like the release: one name a line, no trailing newline."""
    names = list(names)
    if len(names) != NUM_ACTIONS or any(not n.strip() or "\n" in n for n in names):
        raise ValueError(f"need {NUM_ACTIONS} non-empty single-line names, got {len(names)}")
    atomic_write_text(path, "\n".join(names))


# ---------------------------------------------------------- interaction order
def read_interaction_order(source: str | os.PathLike | bytes, name: str | None = None) -> dict[str, int]:
    """Read `interaction_order.pkl`: dict id -> 0 (P1 acts) or 1 (P2 acts), safely."""
    if name is None:
        name = "<pickle bytes>" if isinstance(source, (bytes, bytearray)) else str(source)
    obj = load_plain_pickle(source, name)
    if not isinstance(obj, dict):
        raise FormatError(name, None, "a dict id -> 0 or 1", found=f"a {type(obj).__name__}")
    order: dict[str, int] = {}
    for key, value in obj.items():
        if not is_valid_id(key):
            raise FormatError(name, f"key {key!r}", ID_FORMAT)
        if type(value) is not int or value not in (0, 1):
            raise FormatError(name, f"[{key}]", "0 (P1 is the actor) or 1 (P2 is the actor)", found=repr(value))
        order[key] = int(value)
    return order


def write_interaction_order(path: str | os.PathLike, order: Mapping[str, int]) -> None:
    """Write `interaction_order.pkl` as a plain dict of str -> int (protocol 4)."""
    clean = {}
    for key, value in order.items():
        if not is_valid_id(key) or value not in (0, 1):
            raise ValueError(f"interaction order needs valid id -> 0/1, got {key!r} -> {value!r}")
        clean[str(key)] = int(value)
    dump_plain_pickle(dict(sorted(clean.items())), path)


# --------------------------------------------------------------- familiarity
def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(name, None, "UTF-8 text", found=str(exc)) from None


def _level(token: str, name: str, lineno: int) -> int:
    try:
        value = float(token)
    except ValueError:
        raise FormatError(name, f"line {lineno}", "a familiarity level 1-4", found=repr(token)) from None
    if value not in FAMILIARITY_LEVELS:
        raise FormatError(name, f"line {lineno}", "a familiarity level 1-4", found=repr(token))
    return int(value)


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def parse_familiarity(text: str, name: str) -> dict[int, int]:
    """Parse familiarity text in either accepted layout (see module doc)."""
    rows = [(i, _SPLIT_RE.split(line.strip())) for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if rows and not _is_number(rows[0][1][0]) and not _GROUP_RE.fullmatch(rows[0][1][0]):
        rows = rows[1:]  # header line
    if not rows:
        raise FormatError(name, None, "one familiarity level per group", found="no values")
    widths = {len(cells) for _, cells in rows}
    if len(widths) != 1 or widths.pop() not in (1, 2):
        lineno, cells = next((r for r in rows if len(r[1]) != len(rows[0][1])), rows[0])
        raise FormatError(name, f"line {lineno}", "one column `level` or two columns `group level` on every line",
                          found=f"{len(cells)} columns")
    out: dict[int, int] = {}
    if len(rows[0][1]) == 1:
        if len(rows) > NUM_GROUPS:
            raise FormatError(name, "lines", f"at most {NUM_GROUPS} groups", found=f"{len(rows)} values")
        for group, (lineno, cells) in enumerate(rows, start=1):
            out[group] = _level(cells[0], name, lineno)
        return out
    for lineno, (group_text, level_text) in rows:
        match = _GROUP_RE.fullmatch(group_text)
        group = int(match.group(1)) if match else -1
        if not 1 <= group <= NUM_GROUPS:
            raise FormatError(name, f"line {lineno}", f"a group 1-{NUM_GROUPS} (`1`, `001` or `G001`)",
                              found=repr(group_text))
        if group in out:
            raise FormatError(name, f"line {lineno}", "each group once", found=f"group {group} again")
        out[group] = _level(level_text, name, lineno)
    return out


def read_familiarity(source: str | os.PathLike | bytes, name: str | None = None) -> dict[int, int]:
    """Read `annots/familiarity.txt`: group (1-59) -> level (1-4)."""
    data, name = source_bytes(source, name, "text")
    return parse_familiarity(_decode(data, name), name)


def write_familiarity(path: str | os.PathLike, familiarity: Mapping[int, int] | Sequence[int]) -> None:
    """Write one level per line in group order; the groups must be 1..G with no gap."""
    if isinstance(familiarity, Mapping):
        groups = sorted(familiarity)
        if groups != list(range(1, len(groups) + 1)):
            raise ValueError("familiarity must cover groups 1..G without gaps to be written one value per line")
        values = [familiarity[g] for g in groups]
    else:
        values = list(familiarity)
    if not values or len(values) > NUM_GROUPS or any(v not in FAMILIARITY_LEVELS for v in values):
        raise ValueError(f"familiarity needs 1..{NUM_GROUPS} levels, each 1-4")
    atomic_write_text(path, "".join(f"{int(v)}\n" for v in values))


# ------------------------------------------------------------------ big five
BIG_FIVE_LAYOUTS = "(G, 2, 5), (G, 10) or (2G, 5), optionally with a leading index column: (G, 2, 6), (G, 11), (2G, 6)"


def big_five_from_array(arr: np.ndarray, name: str) -> np.ndarray:
    """Normalize any accepted Big-Five layout to (G, 2, 5) float64 (see module doc)."""
    if arr.dtype.kind not in "fiu":
        raise FormatError(name, None, "a numeric array", found=f"dtype {describe_dtype(arr)}")
    arr = np.asarray(arr, dtype=np.float64)
    shape = arr.shape
    if arr.ndim == 3 and shape[1:] in ((2, 5), (2, 6)):
        out = arr[..., -NUM_TRAITS:]
    elif arr.ndim == 2 and shape[1] in (10, 11):
        out = arr[:, -10:].reshape(shape[0], 2, NUM_TRAITS)
    elif arr.ndim == 2 and shape[1] in (5, 6) and shape[0] % 2 == 0:
        out = arr[:, -NUM_TRAITS:].reshape(shape[0] // 2, 2, NUM_TRAITS)
    else:
        raise FormatError(name, "shape", BIG_FIVE_LAYOUTS, found=f"shape {shape}")
    if not 1 <= out.shape[0] <= NUM_GROUPS:
        raise FormatError(name, "shape", f"1 to {NUM_GROUPS} groups in layout {BIG_FIVE_LAYOUTS}",
                          found=f"shape {shape}")
    if np.isinf(arr).any():
        raise FormatError(name, None, "finite values (NaN marks a missing value)", found="Inf")
    return np.ascontiguousarray(out)


def read_big_five(source: str | os.PathLike | bytes, name: str | None = None) -> np.ndarray:
    """Read `annots/big_five.npy` as (G, 2, 5) float64; row g-1 is group g."""
    data, name = source_bytes(source, name, "npy")
    return big_five_from_array(read_npy(data, name), name)


def big_five_of_group(table: np.ndarray | None, group: int) -> np.ndarray | None:
    """The (2, 5) Big-Five of a group's P1 and P2, or None when absent or NaN."""
    if table is None or not 1 <= group <= table.shape[0]:
        return None
    values = table[group - 1]
    return None if np.isnan(values).any() else values.copy()


def write_big_five(path: str | os.PathLike, table: np.ndarray) -> None:
    """Write a (G, 2, 5) table (NaN allowed for missing values) as float64 .npy."""
    table = np.asarray(table, dtype=np.float64)
    if table.ndim != 3 or table.shape[1:] != (2, NUM_TRAITS) or not 1 <= table.shape[0] <= NUM_GROUPS:
        raise ValueError(f"big five table must be (G, 2, 5) with 1 <= G <= {NUM_GROUPS}, got {table.shape}")
    if np.isinf(table).any():
        raise ValueError("big five table has Inf values")
    atomic_write_bytes(path, npy_bytes(np.ascontiguousarray(table)))
