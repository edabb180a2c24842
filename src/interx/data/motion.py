"""One person's SMPL-X parameters: the `motions/<id>/P{1,2}.npz` files.

Release layout (docs/format.md): `root_orient (T,3)`, `pose_body (T,21,3)`,
`pose_lhand (T,15,3)`, `pose_rhand (T,15,3)`, `trans (T,3)`, `betas (1,10)`,
`gender ()` (a numpy unicode scalar). Readers also take the flat `(T,63)` /
`(T,45)` poses some converted copies use and betas `(10,)` or `(1,k>=10)`
(first 10 kept), and ignore extra keys; writers write float32, per joint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from interx.data.arrays import (
    check_float_array,
    describe_dtype,
    npz_bytes,
    npz_get,
    npz_member_shape,
    open_npz,
    source_bytes,
)
from interx.data.atomic import atomic_write_bytes
from interx.errors import FormatError

NUM_BETAS = 10
MOTION_KEYS = ("root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans", "betas", "gender")
# key -> (per-joint trailing shape, accepted flat width or None)
_TIME_KEYS = {
    "root_orient": ((3,), None),
    "pose_body": ((21, 3), 63),
    "pose_lhand": ((15, 3), 45),
    "pose_rhand": ((15, 3), 45),
    "trans": ((3,), None),
}


def _shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


@dataclass(eq=False)
class PersonMotion:
    """One person's SMPL-X parameters over T frames (axis-angle, metres, Y up)."""

    root_orient: np.ndarray  # (T, 3)
    pose_body: np.ndarray  # (T, 21, 3)
    pose_lhand: np.ndarray  # (T, 15, 3), flat-hand convention
    pose_rhand: np.ndarray  # (T, 15, 3)
    trans: np.ndarray  # (T, 3)
    betas: np.ndarray  # (10,)
    gender: str = "neutral"

    def __post_init__(self) -> None:
        self.validate("PersonMotion")

    @property
    def num_frames(self) -> int:
        return int(self.trans.shape[0])

    def validate(self, name: str) -> None:
        """Check shapes, float dtype and finiteness; errors call the source `name`."""
        frames = None
        for key, (tail, _) in _TIME_KEYS.items():
            arr = getattr(self, key)
            if not isinstance(arr, np.ndarray):
                raise FormatError(name, key, "a numpy array", found=type(arr).__name__)
            t = arr.shape[0] if arr.ndim else 0
            expected = _shape_text(("T",) + tail)
            if arr.shape[1:] != tail or arr.ndim != len(tail) + 1:
                raise FormatError(name, key, f"shape {expected}", found=f"shape {arr.shape}")
            if frames is None:
                frames = t
                if t < 1:
                    raise FormatError(name, key, "at least 1 frame (T >= 1)", found="T = 0")
            elif t != frames:
                raise FormatError(name, key, f"T = {frames} frames like root_orient", found=f"T = {t}")
            check_float_array(arr, name, key)
        if not isinstance(self.betas, np.ndarray) or self.betas.shape != (NUM_BETAS,):
            found = self.betas.shape if isinstance(self.betas, np.ndarray) else type(self.betas).__name__
            raise FormatError(name, "betas", f"shape ({NUM_BETAS},)", found=str(found))
        check_float_array(self.betas, name, "betas")
        if not isinstance(self.gender, str) or not self.gender:
            raise FormatError(name, "gender", "a non-empty string", found=repr(self.gender))

    def arrays(self) -> dict[str, np.ndarray]:
        """The release's npz members: float32, per joint, betas (1, 10), gender ()."""
        out = {key: np.ascontiguousarray(getattr(self, key), dtype=np.float32) for key in _TIME_KEYS}
        out["betas"] = np.ascontiguousarray(self.betas, dtype=np.float32).reshape(1, NUM_BETAS)
        out["gender"] = np.array(self.gender)
        return out


def _time_array(npz, name: str, key: str) -> np.ndarray:
    arr = npz_get(npz, name, key)
    tail, flat = _TIME_KEYS[key]
    if arr.dtype.kind != "f":
        raise FormatError(name, key, "a floating-point array", found=f"dtype {describe_dtype(arr)}")
    expected = _shape_text(("T",) + tail) + (f" or (T, {flat})" if flat else "")
    if arr.ndim == len(tail) + 1 and arr.shape[1:] == tail:
        pass
    elif flat is not None and arr.ndim == 2 and arr.shape[1] == flat:
        arr = arr.reshape(arr.shape[0], *tail)
    else:
        raise FormatError(name, key, f"shape {expected}", found=f"shape {arr.shape}")
    if arr.shape[0] < 1:
        raise FormatError(name, key, "at least 1 frame (T >= 1)", found="T = 0")
    check_float_array(arr, name, key)
    return arr


def _betas(npz, name: str) -> np.ndarray:
    arr = npz_get(npz, name, "betas")
    if arr.dtype.kind != "f":
        raise FormatError(name, "betas", "a floating-point array", found=f"dtype {describe_dtype(arr)}")
    flat = arr[0] if arr.ndim == 2 and arr.shape[0] == 1 else arr
    if flat.ndim != 1 or flat.shape[0] < NUM_BETAS:
        raise FormatError(name, "betas", "shape (10,) or (1, k) with k >= 10", found=f"shape {arr.shape}")
    arr = flat[:NUM_BETAS].copy()
    check_float_array(arr, name, "betas")
    return arr


def _gender(npz, name: str) -> str:
    arr = npz_get(npz, name, "gender")
    if arr.shape not in ((), (1,)) or arr.dtype.kind not in "US":
        raise FormatError(name, "gender", "a string scalar array of shape ()",
                          found=f"dtype {describe_dtype(arr)}, shape {arr.shape}")
    value = arr.reshape(()).item()
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    value = str(value).strip()
    if not value:
        raise FormatError(name, "gender", "a non-empty string", found="''")
    return value


def read_motion_npz(source: str | os.PathLike | bytes, name: str | None = None) -> PersonMotion:
    """Read and validate one person's npz (path or bytes); `name` is used in errors."""
    data, name = source_bytes(source, name, "npz")
    with open_npz(data, name) as npz:
        missing = [key for key in MOTION_KEYS if key not in npz.files]
        if missing:
            raise FormatError(name, missing[0], f"keys {', '.join(MOTION_KEYS)}",
                              found=f"missing {', '.join(missing)} (present: {', '.join(sorted(npz.files))})")
        arrays = {key: _time_array(npz, name, key) for key in _TIME_KEYS}
        betas = _betas(npz, name)
        gender = _gender(npz, name)
    frames = {key: arr.shape[0] for key, arr in arrays.items()}
    if len(set(frames.values())) != 1:
        odd = next(k for k, t in frames.items() if t != frames["root_orient"])
        raise FormatError(name, odd, f"T = {frames['root_orient']} frames like root_orient", found=f"T = {frames[odd]}")
    motion = PersonMotion(betas=betas, gender=gender, **arrays)
    return motion


def motion_npz_bytes(motion: PersonMotion) -> bytes:
    """The npz bytes the release layout uses for this motion (deterministic)."""
    return npz_bytes(motion.arrays())


def write_motion_npz(path: str | os.PathLike, motion: PersonMotion) -> None:
    """Write one person's npz atomically in the release layout."""
    atomic_write_bytes(path, motion_npz_bytes(motion))


def motion_num_frames(source: str | os.PathLike | bytes, name: str | None = None) -> int:
    """T from the header of the `trans` member only: fast for dataset statistics."""
    shape, dtype = npz_member_shape(source, name, "trans")
    label = name if name is not None else str(source) if not isinstance(source, (bytes, bytearray)) else "<npz bytes>"
    if len(shape) != 2 or shape[1] != 3 or shape[0] < 1:
        raise FormatError(label, "trans", "shape (T, 3) with T >= 1", found=f"shape {shape}")
    return int(shape[0])
