"""Reading and writing .npy/.npz safely, with errors that name file and key.

Arrays are never loaded with `allow_pickle` (an object array in a user file
could run code). The .npz writer is deterministic: members have a fixed
timestamp, so writing the same arrays twice gives the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from interx.errors import FormatError

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, KeyError)


def source_bytes(source: str | os.PathLike | bytes, name: str | None, what: str) -> tuple[bytes, str]:
    """Return the bytes of a path or bytes source and the name errors use."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name if name is not None else f"<{what} bytes>"
    path = Path(source)
    label = name if name is not None else str(path)
    try:
        return path.read_bytes(), label
    except FileNotFoundError:
        raise FormatError(label, None, f"an existing {what} file", found="no such file") from None
    except IsADirectoryError:
        raise FormatError(label, None, f"a {what} file", found="a directory") from None


def describe_dtype(arr: np.ndarray) -> str:
    """A short dtype description for error messages."""
    return "object" if arr.dtype == object else str(arr.dtype)


def check_float_array(arr: np.ndarray, name: str, key: str) -> None:
    """Require a finite floating-point array; name the file and key otherwise."""
    if arr.dtype.kind != "f":
        raise FormatError(name, key, "a floating-point array", found=f"dtype {describe_dtype(arr)}")
    if arr.size and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        kind = "NaN" if np.isnan(arr).any() else "Inf"
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise FormatError(name, key, "finite values",
                          found=f"{int(bad.sum())} non-finite ({kind}) values, first at index {first}")


def open_npz(data: bytes, name: str) -> np.lib.npyio.NpzFile:
    """Open .npz bytes without pickle support; a broken archive is a FormatError."""
    if not data:
        raise FormatError(name, None, "an npz (zip) archive", found="an empty file")
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except _READ_ERRORS as exc:
        raise FormatError(name, None, "a complete npz (zip) archive", found=f"{type(exc).__name__}: {exc}") from None


def npz_get(npz: np.lib.npyio.NpzFile, name: str, key: str) -> np.ndarray:
    """Load one member of an npz; object arrays and truncated members are FormatErrors."""
    if key not in npz.files:
        raise FormatError(name, key, f"key {key!r} to be present", found=f"keys {sorted(npz.files)}")
    try:
        return npz[key]
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise FormatError(name, key, "a numeric array", found="an object array (needs pickle)") from None
        raise FormatError(name, key, "a readable array", found=f"ValueError: {exc}") from None
    except _READ_ERRORS as exc:
        raise FormatError(name, key, "a complete array", found=f"{type(exc).__name__}: {exc}") from None


def read_npy(source: str | os.PathLike | bytes, name: str | None = None) -> np.ndarray:
    """Load a .npy file or bytes without pickle support."""
    data, name = source_bytes(source, name, "npy")
    if not data:
        raise FormatError(name, None, "an npy array", found="an empty file")
    try:
        return np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise FormatError(name, None, "a numeric array", found="an object array (needs pickle)") from None
        raise FormatError(name, None, "a complete npy array", found=f"ValueError: {exc}") from None
    except (EOFError, OSError) as exc:
        raise FormatError(name, None, "a complete npy array", found=f"{type(exc).__name__}: {exc}") from None


def npy_header_shape(handle, name: str, key: str | None = None) -> tuple[tuple[int, ...], np.dtype]:
    """Read only the header of an .npy stream: shape and dtype, no data."""
    try:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise ValueError(f"unsupported npy format version {version}")
    except (ValueError, EOFError, OSError, zipfile.BadZipFile, zlib.error) as exc:
        raise FormatError(name, key, "an npy header", found=f"{type(exc).__name__}: {exc}") from None
    return tuple(shape), dtype


def npz_member_shape(source: str | os.PathLike | bytes, name: str | None, key: str) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype of one npz member from its header, without loading arrays."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        opener = io.BytesIO(bytes(source))
        name = name if name is not None else "<npz bytes>"
    else:
        opener = Path(source)
        name = name if name is not None else str(source)
    try:
        with zipfile.ZipFile(opener) as archive:
            member = f"{key}.npy"
            if member not in archive.namelist():
                raise FormatError(name, key, f"key {key!r} to be present",
                                  found=f"keys {sorted(n[:-4] for n in archive.namelist() if n.endswith('.npy'))}")
            with archive.open(member) as handle:
                return npy_header_shape(handle, name, key)
    except FileNotFoundError:
        raise FormatError(name, None, "an existing npz file", found="no such file") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise FormatError(name, None, "a complete npz (zip) archive", found=f"{type(exc).__name__}: {exc}") from None


def npy_bytes(arr: np.ndarray) -> bytes:
    """Serialize one array to .npy bytes (no pickle)."""
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asanyarray(arr), allow_pickle=False)
    return buffer.getvalue()


def npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """Serialize arrays to uncompressed .npz bytes with fixed member timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for key, arr in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, npy_bytes(arr))
    return buffer.getvalue()
