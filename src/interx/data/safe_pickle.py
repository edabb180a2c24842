"""Read and write pickles that hold only plain data, never code.

`pickle.load` runs whatever a file asks for (`os.system` through `__reduce__`),
so the Inter-X pickles (`interaction_order.pkl`, `hhi_vab_idx.pkl`,
`hhi_vab_words.pkl`) are read with an unpickler that refuses to look up any
global at all. Dicts, lists, tuples, sets, str, int, float, bool and None are
built by pickle opcodes without a lookup, so they still load; anything else
stops the load before a single object of it is built.
"""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path
from typing import Any

from interx.data.atomic import atomic_write_bytes
from interx.errors import FormatError, UnsafePickleError

PLAIN = "only plain containers (dict, list, tuple, set) of str, int, float, bool, None"
_SCALARS = (str, int, float, bool, type(None))
_CONTAINERS = (dict, list, tuple, set, frozenset)


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that refuses every global and every persistent id."""

    def __init__(self, file: io.BufferedIOBase, name: str):
        super().__init__(file)
        self.name = name

    def find_class(self, module: str, name: str) -> Any:  # noqa: D102 - refuses, see class doc
        raise UnsafePickleError(self.name, "global", PLAIN, found=f"a reference to {module}.{name}")

    def persistent_load(self, pid: Any) -> Any:  # noqa: D102
        raise UnsafePickleError(self.name, "persistent id", PLAIN, found=repr(pid)[:80])


def _check_plain(obj: Any, name: str, where: str = "root") -> None:
    """Refuse anything that is not a plain container of plain scalars."""
    stack = [(obj, where)]
    while stack:
        item, at = stack.pop()
        if type(item) in _SCALARS:
            continue
        if type(item) is dict:
            for key, value in item.items():
                stack.append((key, f"{at} key"))
                stack.append((value, f"{at}[{key!r}]"[:120]))
        elif type(item) in _CONTAINERS:
            stack.extend((value, f"{at}[{i}]") for i, value in enumerate(item))
        else:
            raise UnsafePickleError(name, at, PLAIN, found=f"a {type(item).__name__}")


def load_plain_pickle(source: str | os.PathLike | bytes, name: str | None = None) -> Any:
    """Load a pickle of plain data from a path or from bytes, refusing anything else.

    `name` is what errors call the file (defaults to the path).
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name if name is not None else "<pickle bytes>"
    else:
        path = Path(source)
        name = name if name is not None else str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FormatError(name, None, "an existing pickle file", found="no such file") from None
    if not data:
        raise FormatError(name, None, "a pickle", found="an empty file")
    try:
        obj = RestrictedUnpickler(io.BytesIO(data), name).load()
    except UnsafePickleError:
        raise
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError, KeyError,
            AttributeError, MemoryError, OverflowError, UnicodeDecodeError) as exc:
        raise FormatError(name, None, "a complete, valid pickle", found=f"{type(exc).__name__}: {exc}") from None
    _check_plain(obj, name)
    return obj


def dumps_plain_pickle(obj: Any, name: str = "<object>", protocol: int = 4) -> bytes:
    """Pickle plain data; refuses anything the restricted reader would refuse."""
    if protocol < 2:
        raise ValueError("protocol must be 2 or later")
    _check_plain(obj, name)
    data = pickle.dumps(obj, protocol=protocol)
    if protocol < 4:
        # sets need a global lookup before protocol 4: make sure we can read it back
        load_plain_pickle(data, name)
    return data


def dump_plain_pickle(obj: Any, path: str | os.PathLike, protocol: int = 4) -> None:
    """Write plain data as a pickle, atomically."""
    atomic_write_bytes(path, dumps_plain_pickle(obj, str(path), protocol))
