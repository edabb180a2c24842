"""The raw Inter-X release: read it (folder or zips, in place) and write it.

Layout (docs/format.md): `annots/`, `splits/`, and three parts that are
either folders or the release's zips read in place without extracting:
`motions/<id>/P{1,2}.npz`, `skeletons/<id>/P{1,2}.npy`, `texts/<id>.txt`.
Zip members are `motions/<id>/P1.npz` etc.; zips without the top folder
(`<id>/P1.npz`) are accepted too. A folder wins over a zip of the same part.
Sequences load lazily: `load(id)` reads only that id's files.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interx.data.annotations import (
    big_five_of_group,
    official_action_names,
    read_action_names,
    read_big_five,
    read_familiarity,
    read_interaction_order,
    write_action_names,
    write_big_five,
    write_familiarity,
    write_interaction_order,
)
from interx.data.arrays import check_float_array, describe_dtype, npy_bytes, read_npy
from interx.data.atomic import atomic_path, atomic_write_bytes
from interx.data.ids import SequenceId, is_valid_id
from interx.data.motion import PersonMotion, motion_npz_bytes, motion_num_frames, read_motion_npz
from interx.data.splits import ALL_SPLITS, SPLITS, official_ids, official_split_of, read_split_file, write_split_file
from interx.errors import FormatError

RAW_FPS = 120
NUM_TEXTS = 3
SKELETON_ROWS = 64
PERSONS = ("P1", "P2")
PARTS = ("motions", "skeletons", "texts")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------- texts
def parse_texts(data: bytes, name: str) -> list[str]:
    """Parse a `texts/<id>.txt`: exactly 3 non-empty lines (blank lines, \\r\\n, BOM tolerated)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(name, None, "UTF-8 text", found=str(exc)) from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise FormatError(name, "lines", f"{NUM_TEXTS} non-empty lines, one text each", found="an empty file")
    if len(lines) != NUM_TEXTS:
        raise FormatError(name, "lines", f"{NUM_TEXTS} non-empty lines, one text each", found=f"{len(lines)} lines")
    return lines


def texts_bytes(texts: Sequence[str]) -> bytes:
    """The bytes of a texts file: one text a line, each line ending in a newline."""
    texts = list(texts)
    if len(texts) != NUM_TEXTS or any(not isinstance(t, str) or len(t.strip().splitlines()) != 1 for t in texts):
        raise ValueError(f"need {NUM_TEXTS} non-empty single-line texts, got {texts!r}")
    return "".join(t.strip() + "\n" for t in texts).encode("utf-8")


# ----------------------------------------------------------------- skeletons
def skeleton_from_array(arr: np.ndarray, name: str) -> np.ndarray:
    """Validate a marker skeleton: (T, 64, 3) finite floats, T >= 1."""
    if arr.dtype.kind != "f":
        raise FormatError(name, None, "a floating-point array", found=f"dtype {describe_dtype(arr)}")
    if arr.ndim != 3 or arr.shape[1:] != (SKELETON_ROWS, 3) or arr.shape[0] < 1:
        raise FormatError(name, "shape", f"(T, {SKELETON_ROWS}, 3) with T >= 1", found=f"shape {arr.shape}")
    check_float_array(arr, name, "values")
    return arr


def read_skeleton(source: str | os.PathLike | bytes, name: str | None = None) -> np.ndarray:
    """Read one `skeletons/<id>/P{1,2}.npy` from a path or bytes."""
    if name is None:
        name = "<npy bytes>" if isinstance(source, (bytes, bytearray)) else str(source)
    return skeleton_from_array(read_npy(source, name), name)


# --------------------------------------------------------------- interaction
@dataclass(eq=False)
class Interaction:
    """One two-person sequence with its texts and annotations."""

    id: str
    persons: tuple[PersonMotion, PersonMotion]
    texts: list[str]
    action: int
    action_name: str
    actor: int | None = None  # 0: P1 acts, 1: P2 acts
    familiarity: int | None = None  # 1..4
    big_five: np.ndarray | None = None  # (2, 5): P1, P2
    skeletons: tuple[np.ndarray, np.ndarray] | None = None  # two (T, 64, 3)

    def __post_init__(self) -> None:
        SequenceId.parse(self.id, "Interaction")
        if len(self.persons) != 2:
            raise ValueError("an interaction has exactly two persons")
        if self.persons[0].num_frames != self.persons[1].num_frames:
            raise FormatError(f"Interaction {self.id}", "persons", "P1 and P2 with the same number of frames",
                              found=f"{self.persons[0].num_frames} and {self.persons[1].num_frames}")

    @property
    def p1(self) -> PersonMotion:
        return self.persons[0]

    @property
    def p2(self) -> PersonMotion:
        return self.persons[1]

    @property
    def num_frames(self) -> int:
        return self.persons[0].num_frames

    @property
    def sequence_id(self) -> SequenceId:
        return SequenceId.parse(self.id)


# -------------------------------------------------------------------- parts
class _Part:
    """One of motions/skeletons/texts as a folder or a zip read in place."""

    def __init__(self, root: Path, part: str):
        self.part = part
        self.folder = root / part
        self.zip_path = root / f"{part}.zip"
        self.kind = "folder" if self.folder.is_dir() else "zip" if self.zip_path.is_file() else None
        self._zip: zipfile.ZipFile | None = None
        self._index: dict[str, zipfile.ZipInfo] | None = None
        self._prefix = ""
        self._pid = os.getpid()

    def __getstate__(self) -> dict:
        # open archives don't pickle (DataLoader workers): reopen lazily on the other side
        state = dict(self.__dict__)
        state["_zip"], state["_index"] = None, None
        return state

    @property
    def present(self) -> bool:
        return self.kind is not None

    @property
    def location(self) -> Path:
        return self.folder if self.kind == "folder" else self.zip_path

    def _open(self) -> dict[str, zipfile.ZipInfo]:
        if self._index is not None and self._pid != os.getpid():
            # a forked worker must not share the parent's file offset: reopen
            self._zip, self._index = None, None
        if self._index is None:
            self._pid = os.getpid()
            try:
                self._zip = zipfile.ZipFile(self.zip_path)
                infos = self._zip.infolist()
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise FormatError(self.zip_path, None, "a complete, readable zip archive",
                                  found=f"{type(exc).__name__}: {exc}") from None
            top = f"{self.part}/"
            self._prefix = top if any(i.filename.startswith(top) for i in infos) else ""
            self._index = {
                i.filename[len(self._prefix):]: i
                for i in infos
                if i.filename.startswith(self._prefix) and not i.is_dir()
            }
        return self._index

    def display(self, rel: str) -> str:
        """How errors name a member: a path, or `archive.zip:member`."""
        if self.kind == "zip":
            self._open()
            return f"{self.zip_path}:{self._prefix}{rel}"
        return str(self.folder / rel)

    def exists(self, rel: str) -> bool:
        if self.kind == "folder":
            return (self.folder / rel).is_file()
        if self.kind == "zip":
            return rel in self._open()
        return False

    def read(self, rel: str) -> bytes:
        name = self.display(rel) if self.kind else f"{self.folder / rel}"
        if not self.exists(rel):
            raise FormatError(name, None, "an existing file", found="no such file")
        if self.kind == "folder":
            return (self.folder / rel).read_bytes()
        index = self._open()
        try:
            return self._zip.read(index[rel])
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError) as exc:
            raise FormatError(name, None, "a complete zip member", found=f"{type(exc).__name__}: {exc}") from None

    def names(self) -> list[str]:
        """Top-level entry names (ids for motions/skeletons, `<id>.txt` for texts)."""
        if self.kind == "folder":
            return sorted(p.name for p in self.folder.iterdir() if not p.name.startswith("."))
        if self.kind == "zip":
            return sorted({rel.split("/", 1)[0] for rel in self._open()})
        return []

    def files(self) -> list[str]:
        """Every file below the part, relative (`<id>/P1.npz`)."""
        if self.kind == "folder":
            return sorted(str(p.relative_to(self.folder)).replace(os.sep, "/")
                          for p in self.folder.rglob("*") if p.is_file())
        if self.kind == "zip":
            return sorted(self._open())
        return []

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        self._zip, self._index = None, None


# ------------------------------------------------------------------ release
class RawRelease:
    """A raw release on disk: lists ids, loads sequences lazily, reads annotations."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        if not self.root.is_dir():
            raise FormatError(self.root, None, "a dataset folder", found="no such folder")
        self.parts = {part: _Part(self.root, part) for part in PARTS}
        if not self.parts["motions"].present:
            raise FormatError(self.root, "motions", "a motions/ folder or motions.zip (raw Inter-X layout)",
                              found="neither")
        self._cache: dict[str, object] = {}

    def __enter__(self) -> RawRelease:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the open zip archives."""
        for part in self.parts.values():
            part.close()

    def _cached(self, key: str, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # annotations -----------------------------------------------------------
    def annot_path(self, name: str) -> Path:
        return self.root / "annots" / name

    @property
    def action_names(self) -> list[str]:
        """`annots/action_setting.txt`, or the packaged official names when absent."""
        path = self.annot_path("action_setting.txt")
        return self._cached("names", lambda: read_action_names(path) if path.is_file() else official_action_names())

    @property
    def interaction_order(self) -> dict[str, int] | None:
        """`annots/interaction_order.pkl` (id -> actor), or None when absent."""
        path = self.annot_path("interaction_order.pkl")
        return self._cached("order", lambda: read_interaction_order(path) if path.is_file() else None)

    @property
    def familiarity(self) -> dict[int, int] | None:
        """`annots/familiarity.txt` (group -> 1..4), or None when absent."""
        path = self.annot_path("familiarity.txt")
        return self._cached("familiarity", lambda: read_familiarity(path) if path.is_file() else None)

    @property
    def big_five(self) -> np.ndarray | None:
        """`annots/big_five.npy` as (G, 2, 5), or None when absent."""
        path = self.annot_path("big_five.npy")
        return self._cached("big_five", lambda: read_big_five(path) if path.is_file() else None)

    # ids -------------------------------------------------------------------
    def present_ids(self) -> list[str]:
        """Ids with an entry under motions/, sorted; malformed names are skipped."""
        return self._cached("present", lambda: [n for n in self.parts["motions"].names() if is_valid_id(n)])

    def split_file(self, split: str) -> Path:
        return self.root / "splits" / f"{split}.txt"

    def split_list(self, split: str) -> list[str] | None:
        """The ids listed in `splits/<split>.txt`, or None when the file is absent."""
        if split not in ALL_SPLITS:
            raise ValueError(f"split must be one of {', '.join(ALL_SPLITS)}, got {split!r}")
        path = self.split_file(split)
        return self._cached(f"split:{split}", lambda: read_split_file(path) if path.is_file() else None)

    def ids(self, split: str = "all") -> list[str]:
        """Ids of a split that have data, in list order.

        From `splits/<split>.txt`; without it, from the packaged official list.
        """
        listed = self.split_list(split)
        if listed is None:
            listed = official_ids(split)
        present = set(self.present_ids())
        return [i for i in listed if i in present]

    def split_of(self, seq_id: str) -> str | None:
        """Which of train/val/test lists the id (release lists first, then official)."""
        for split in SPLITS:
            listed = self.split_list(split)
            if listed is not None and seq_id in self._cached(f"set:{split}", lambda: set(listed)):
                return split
        if all(self.split_list(s) is None for s in SPLITS):
            return official_split_of().get(seq_id)
        return None

    # one sequence ----------------------------------------------------------
    def motion_name(self, seq_id: str, person: str) -> str:
        return self.parts["motions"].display(f"{seq_id}/{person}.npz")

    def read_motion(self, seq_id: str, person: str) -> PersonMotion:
        """Read `motions/<id>/<person>.npz` (person `P1` or `P2`)."""
        part = self.parts["motions"]
        rel = f"{seq_id}/{person}.npz"
        return read_motion_npz(part.read(rel), part.display(rel))

    def num_frames(self, seq_id: str) -> int:
        """T of a sequence from P1's npz header only (no arrays loaded)."""
        part = self.parts["motions"]
        rel = f"{seq_id}/P1.npz"
        if part.kind == "folder":
            return motion_num_frames(part.folder / rel, part.display(rel))
        return motion_num_frames(part.read(rel), part.display(rel))

    def has_skeletons(self, seq_id: str) -> bool:
        part = self.parts["skeletons"]
        return part.present and any(part.exists(f"{seq_id}/{p}.npy") for p in PERSONS)

    def read_skeleton(self, seq_id: str, person: str) -> np.ndarray:
        """Read `skeletons/<id>/<person>.npy` as (T, 64, 3)."""
        part = self.parts["skeletons"]
        rel = f"{seq_id}/{person}.npy"
        if not part.present:
            raise FormatError(self.root / "skeletons", None, "a skeletons/ folder or skeletons.zip", found="neither")
        return read_skeleton(part.read(rel), part.display(rel))

    def read_texts(self, seq_id: str) -> list[str]:
        """Read `texts/<id>.txt`: the 3 descriptions."""
        part = self.parts["texts"]
        rel = f"{seq_id}.txt"
        if not part.present:
            raise FormatError(self.root / "texts", None, "a texts/ folder or texts.zip", found="neither")
        return parse_texts(part.read(rel), part.display(rel))

    def load(self, seq_id: str, skeletons: bool = False) -> Interaction:
        """Load one sequence (only its own files) with its annotations."""
        sid = SequenceId.parse(seq_id, str(self.root))
        p1, p2 = (self.read_motion(seq_id, p) for p in PERSONS)
        if p1.num_frames != p2.num_frames:
            raise FormatError(self.motion_name(seq_id, "P2"), "trans",
                              f"T = {p1.num_frames} frames like {self.motion_name(seq_id, 'P1')}",
                              found=f"T = {p2.num_frames}")
        skel = None
        if skeletons:
            skel = tuple(self.read_skeleton(seq_id, p) for p in PERSONS)
            for person, arr in zip(PERSONS, skel):
                if arr.shape[0] != p1.num_frames:
                    raise FormatError(self.parts["skeletons"].display(f"{seq_id}/{person}.npy"), "shape",
                                      f"T = {p1.num_frames} frames like the motion", found=f"T = {arr.shape[0]}")
        order = self.interaction_order
        familiarity = self.familiarity
        return Interaction(
            id=seq_id,
            persons=(p1, p2),
            texts=self.read_texts(seq_id),
            action=sid.action,
            action_name=self.action_names[sid.action],
            actor=None if order is None else order.get(seq_id),
            familiarity=None if familiarity is None else familiarity.get(sid.group),
            big_five=big_five_of_group(self.big_five, sid.group),
            skeletons=skel,
        )

    def __iter__(self):
        return (self.load(i) for i in self.ids())

    def __len__(self) -> int:
        return len(self.ids())


# ------------------------------------------------------------------- writer
class _PartWriter:
    """Writes one part as a folder (atomic per file) or a zip (atomic as a whole)."""

    def __init__(self, root: Path, part: str, as_zip: bool):
        self.root, self.part, self.as_zip = root, part, as_zip
        self._ctx = self._zip = None
        self.count = 0

    def write(self, rel: str, data: bytes, compress: bool) -> None:
        self.count += 1
        if not self.as_zip:
            atomic_write_bytes(self.root / self.part / rel, data)
            return
        if self._zip is None:
            self._ctx = atomic_path(self.root / f"{self.part}.zip")
            self._zip = zipfile.ZipFile(self._ctx.__enter__(), "w", allowZip64=True)
        info = zipfile.ZipInfo(f"{self.part}/{rel}", date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, data)

    def finish(self, ok: bool) -> None:
        if self._zip is not None:
            self._zip.close()
            if ok:
                self._ctx.__exit__(None, None, None)
            else:
                self._ctx.__exit__(RuntimeError, RuntimeError("aborted"), None)


def write_raw_release(
    root: str | os.PathLike,
    interactions: Iterable[Interaction],
    *,
    action_names: Sequence[str] | None = None,
    order: Mapping[str, int] | None = None,
    familiarity: Mapping[int, int] | None = None,
    big_five: np.ndarray | None = None,
    splits: Mapping[str, Sequence[str]] | None = None,
    as_zip: bool = False,
) -> list[str]:
    """Write interactions in the raw release layout; returns the ids written.

    `interactions` may be a generator (written one at a time). `order`
    defaults to the interactions' actors; `familiarity` and `big_five` are
    per-group tables covering every group and are written only when given.
    `splits` defaults to the official lists restricted to the written ids
    (ids outside them go to all.txt only). With `as_zip=True` motions, skeletons
    and texts go to `motions.zip`, `skeletons.zip`, `texts.zip`.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    writers = {part: _PartWriter(root, part, as_zip) for part in PARTS}
    written: list[str] = []
    seen: set[str] = set()
    actors: dict[str, int] = {}
    ok = False
    try:
        for item in interactions:
            if item.id in seen:
                raise ValueError(f"interaction {item.id} given twice")
            seen.add(item.id)
            for person, motion in zip(PERSONS, item.persons):
                writers["motions"].write(f"{item.id}/{person}.npz", motion_npz_bytes(motion), compress=False)
            if item.skeletons is not None:
                for person, skel in zip(PERSONS, item.skeletons):
                    skel = skeleton_from_array(np.asarray(skel), f"Interaction {item.id} skeleton {person}")
                    writers["skeletons"].write(f"{item.id}/{person}.npy", npy_bytes(skel), compress=False)
            writers["texts"].write(f"{item.id}.txt", texts_bytes(item.texts), compress=True)
            if item.actor is not None:
                actors[item.id] = item.actor
            written.append(item.id)
        ok = True
    finally:
        for writer in writers.values():
            writer.finish(ok)

    annots = root / "annots"
    write_action_names(annots / "action_setting.txt",
                       action_names if action_names is not None else official_action_names())
    order = dict(order) if order is not None else actors
    if order:
        write_interaction_order(annots / "interaction_order.pkl", order)
    if familiarity is not None:
        write_familiarity(annots / "familiarity.txt", familiarity)
    if big_five is not None:
        write_big_five(annots / "big_five.npy", big_five)

    if splits is None:
        chosen = set(written)
        splits = {s: [i for i in official_ids(s) if i in chosen] for s in SPLITS}
        listed = set(official_ids("all"))
        splits["all"] = [i for i in official_ids("all") if i in chosen] + sorted(chosen - listed)
    for split, ids in splits.items():
        if split not in ALL_SPLITS:
            raise ValueError(f"unknown split {split!r}")
        write_split_file(root / "splits" / f"{split}.txt", ids)
    return written
