"""Turn any motion source into clips to draw: per-person joints (or mesh
parameters), bones, and the texts and labels for a caption.

Renderers and the viewer never care where motion came from. A SOURCE is one of:

- a raw release root, folder or zips (`motions/<id>/P1.npz`, 120 fps): joints
  by forward kinematics of the body (neutral, or exact SMPL-X when model files
  are given); labels and texts from the release;
- a processed release root (`motions/{train,val,test}.h5`, `texts_processed/`);
- one h5 file in the processed layout (`[T, 56, 6]` @ 30 fps, P1 in
  `[..., 0:3]`, P2 in `[..., 3:6]`, rows 0-54 axis-angle, row 55 translation,
  neutral body). Generated files use the same layout and may hold several
  samples per id: a dataset `<id>` of shape `[S, T, 56, 6]` has a leading
  sample axis, and `sample` picks one;
- a marker-skeleton file `(T, 64, 3)` `.npy` (the release's `skeletons/<id>/P1.npy`,
  120 fps). Its partner `P2.npy` (or `P1.npy`) in the same folder is drawn
  with it; a `(2, T, 64, 3)` array holds both persons.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from interx.body import markers as marker_topology
from interx.body.fk import pose_from_params
from interx.body.model import BodyModel
from interx.body.skeleton import KINEMATIC_CHAINS
from interx.data.annotations import official_action_names
from interx.data.check import detect_layout
from interx.data.ids import SequenceId, is_valid_id
from interx.data.processed import NUM_ROWS, PROCESSED_FPS, ROW_WIDTH, ProcessedRelease, read_processed_texts
from interx.data.raw import PERSONS, RAW_FPS, RawRelease, read_skeleton, skeleton_from_array
from interx.errors import FormatError, InterXError

SOURCE_KINDS = ("raw release (folder or zips)", "processed release folder", "processed or generated .h5",
                "marker skeleton .npy")


def _chain_bones(chains) -> tuple[tuple[int, int], ...]:
    bones = []
    for chain in chains:
        bones.extend(zip(chain[:-1], chain[1:]))
    return tuple(dict.fromkeys(bones))


SMPLX_BONES: tuple[tuple[int, int], ...] = _chain_bones(KINEMATIC_CHAINS)


@dataclass
class Labels:
    """What a caption and the viewer say about a sequence."""

    id: str
    action: str | None = None
    texts: list[str] = field(default_factory=list)
    actor: int | None = None  # 0: P1 acts, 1: P2 acts, None: unknown
    familiarity: int | None = None

    def person_names(self, count: int = 2) -> list[str]:
        """'actor (P1)' / 'reactor (P2)' when the order is known, else 'P1' / 'P2'."""
        names = [f"P{i + 1}" for i in range(count)]
        if self.actor in (0, 1) and count == 2:
            roles = ["actor", "reactor"] if self.actor == 0 else ["reactor", "actor"]
            names = [f"{role} ({name})" for role, name in zip(roles, names)]
        return names

    def as_dict(self) -> dict:
        return {"id": self.id, "action": self.action, "texts": list(self.texts), "actor": self.actor,
                "familiarity": self.familiarity}


@dataclass
class PersonPose:
    """SMPL-X parameters of one person, for meshes: pose (T, 55, 3), trans (T, 3), betas (10,) or None."""

    pose: np.ndarray
    trans: np.ndarray
    betas: np.ndarray | None = None


@dataclass
class Clip:
    """One sequence ready to draw at `fps`: joints (P, T, J, 3) in metres, Y up."""

    labels: Labels
    joints: np.ndarray
    bones: tuple[tuple[int, int], ...]
    fps: float
    poses: list[PersonPose] | None = None  # set when a mesh can be made
    source: str = ""

    @property
    def num_frames(self) -> int:
        return int(self.joints.shape[1])

    @property
    def num_persons(self) -> int:
        return int(self.joints.shape[0])


def frame_indices(num_frames: int, source_fps: float, fps: float) -> np.ndarray:
    """Indices of the source frames shown at `fps` (every 4th frame for 120 -> 30)."""
    if fps <= 0:
        raise InterXError(f"fps must be positive, got {fps}")
    count = max(1, int(np.floor((num_frames - 1) * fps / source_fps + 1e-9)) + 1) if num_frames else 0
    return np.minimum(np.floor(np.arange(count) * source_fps / fps + 1e-9).astype(np.int64), num_frames - 1)


def _action_name(seq_id: str) -> str | None:
    if not is_valid_id(seq_id):
        return None
    return official_action_names()[SequenceId.parse(seq_id).action]


def _drop_empty_bones(joints: np.ndarray, bones) -> tuple[tuple[int, int], ...]:
    """Bones whose two rows hold data (unused marker rows are all zeros)."""
    empty = ~np.any(joints.reshape(-1, *joints.shape[-2:]) != 0, axis=(0, 2))
    return tuple((a, b) for a, b in bones if not empty[a] and not empty[b])


class Source(ABC):
    """A place holding sequences: list ids, read labels, make clips."""

    name: str

    @property
    @abstractmethod
    def ids(self) -> list[str]:
        """Sequence ids, in the source's order."""

    @abstractmethod
    def labels(self, seq_id: str) -> Labels:
        """Texts and labels of one sequence."""

    @abstractmethod
    def clip(self, seq_id: str, fps: float | None = None, *, markers: bool = False, sample: int = 0) -> Clip:
        """One sequence at `fps` (30 by default); `markers` for the optical skeleton, `sample` for generated files."""

    def holds(self, seq_id: object) -> bool:
        """Whether `seq_id` is one of this source's ids (the only ids the viewer will read)."""
        return isinstance(seq_id, str) and seq_id in self._id_set()

    def check_id(self, seq_id: str) -> str:
        """`seq_id` when this source holds it, else a clear error listing a few ids."""
        if not self.holds(seq_id):
            known = self.ids
            preview = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "")
            raise InterXError(f"{self.name}: no sequence {seq_id!r} (holds {len(known)}: {preview})")
        return seq_id

    def _id_set(self) -> set[str]:
        cached = getattr(self, "_ids_cache", None)
        if cached is None:
            cached = set(self.ids)
            self._ids_cache = cached
        return cached

    def close(self) -> None:  # noqa: B027 - most sources hold no open files
        """Release open files."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _joints_from_params(body: BodyModel, pose: np.ndarray, trans: np.ndarray, betas) -> np.ndarray:
    return np.asarray(body.joints(pose.astype(np.float32), trans.astype(np.float32), betas), dtype=np.float32)


class RawSource(Source):
    """A raw release (folder or zips): SMPL-X parameters at 120 fps, texts, labels."""

    def __init__(self, root: Path, body: BodyModel):
        self.release = RawRelease(root)
        self.body = body
        self.name = str(root)

    @property
    def ids(self) -> list[str]:
        return self.release.ids()

    def labels(self, seq_id: str) -> Labels:
        self.check_id(seq_id)
        sid = SequenceId.parse(seq_id)
        order = self.release.interaction_order
        familiarity = self.release.familiarity
        texts = self.release.read_texts(seq_id) if self.release.parts["texts"].present else []
        return Labels(id=seq_id, action=self.release.action_names[sid.action], texts=texts,
                      actor=None if order is None else order.get(seq_id),
                      familiarity=None if familiarity is None else familiarity.get(sid.group))

    def clip(self, seq_id: str, fps: float | None = None, *, markers: bool = False, sample: int = 0) -> Clip:
        self.check_id(seq_id)
        fps = float(fps or PROCESSED_FPS)
        labels = self.labels(seq_id)
        if markers:
            skeletons = [self.release.read_skeleton(seq_id, p) for p in PERSONS]
            keep = frame_indices(min(s.shape[0] for s in skeletons), RAW_FPS, fps)
            joints = np.stack([s[keep] for s in skeletons]).astype(np.float32)
            return Clip(labels, joints, _drop_empty_bones(joints, marker_topology.BONES), fps, None, self.name)
        people = [self.release.read_motion(seq_id, p) for p in PERSONS]
        keep = frame_indices(min(p.num_frames for p in people), RAW_FPS, fps)
        poses = []
        for person in people:
            pose = pose_from_params(person.root_orient, person.pose_body, person.pose_lhand, person.pose_rhand)
            poses.append(PersonPose(pose[keep].astype(np.float32), person.trans[keep].astype(np.float32),
                                    np.asarray(person.betas, np.float32).reshape(-1)[:10]))
        joints = np.stack([_joints_from_params(self.body, p.pose, p.trans, p.betas) for p in poses])
        return Clip(labels, joints, SMPLX_BONES, fps, poses, self.name)

    def close(self) -> None:
        self.release.close()


def _split_processed(arr: np.ndarray) -> list[PersonPose]:
    """The two persons of a `[T, 56, 6]` array (neutral body: no betas)."""
    return [PersonPose(np.ascontiguousarray(arr[:, :55, c:c + 3], np.float32),
                       np.ascontiguousarray(arr[:, 55, c:c + 3], np.float32)) for c in (0, 3)]


class _ProcessedBase(Source):
    body: BodyModel

    @abstractmethod
    def _read(self, seq_id: str) -> np.ndarray:
        """The stored array of an id: [T, 56, 6] or [S, T, 56, 6]."""

    def clip(self, seq_id: str, fps: float | None = None, *, markers: bool = False, sample: int = 0) -> Clip:
        self.check_id(seq_id)
        if markers:
            raise InterXError(f"{self.name}: processed motion holds no marker skeletons (drop --markers, "
                              "or render the raw release's skeletons)")
        fps = float(fps or PROCESSED_FPS)
        arr = self._read(seq_id)
        if arr.ndim == 4:
            if not 0 <= sample < arr.shape[0]:
                raise InterXError(f"{self.name} [{seq_id}]: sample {sample} asked, the dataset holds "
                                  f"{arr.shape[0]} samples (0..{arr.shape[0] - 1})")
            arr = arr[sample]
        keep = frame_indices(arr.shape[0], PROCESSED_FPS, fps)
        poses = _split_processed(arr[keep])
        joints = np.stack([_joints_from_params(self.body, p.pose, p.trans, None) for p in poses])
        return Clip(self.labels(seq_id), joints, SMPLX_BONES, fps, poses, self.name)


class ProcessedSource(_ProcessedBase):
    """A processed release folder: split h5 files and processed texts."""

    def __init__(self, root: Path, body: BodyModel):
        self.release = ProcessedRelease(root)
        self.body = body
        self.name = str(root)

    @property
    def ids(self) -> list[str]:
        return self.release.ids()

    def labels(self, seq_id: str) -> Labels:
        self.check_id(seq_id)
        path = self.release.text_path(seq_id)
        texts = [t.caption for t in read_processed_texts(path)] if path.is_file() else []
        return Labels(id=seq_id, action=_action_name(seq_id), texts=texts)

    def _read(self, seq_id: str) -> np.ndarray:
        return self.release.motion(seq_id)

    def close(self) -> None:
        self.release.close()


class H5Source(_ProcessedBase):
    """One h5 file, processed or generated: datasets `<id>` of [T, 56, 6] or [S, T, 56, 6].

    Texts come from a processed release around it (`<root>/motions/x.h5` with
    `<root>/texts_processed/`) when there is one.
    """

    def __init__(self, path: Path, body: BodyModel):
        self.path = path
        self.body = body
        self.name = str(path)
        try:
            self._file = h5py.File(path, "r")
        except OSError as exc:
            raise FormatError(path, None, "an HDF5 file", found=f"unreadable ({exc})") from None
        self._ids = sorted(k for k, v in self._file.items() if isinstance(v, h5py.Dataset))
        texts = path.parent.parent / "texts_processed"
        self._texts = texts if path.parent.name == "motions" and texts.is_dir() else None

    @property
    def ids(self) -> list[str]:
        return self._ids

    def labels(self, seq_id: str) -> Labels:
        self.check_id(seq_id)
        texts = []
        if self._texts is not None and (self._texts / f"{seq_id}.txt").is_file():
            texts = [t.caption for t in read_processed_texts(self._texts / f"{seq_id}.txt")]
        return Labels(id=seq_id, action=_action_name(seq_id), texts=texts)

    def _read(self, seq_id: str) -> np.ndarray:
        node = self._file[seq_id]
        shape = tuple(node.shape)
        if len(shape) not in (3, 4) or shape[-2:] != (NUM_ROWS, ROW_WIDTH):
            raise FormatError(self.path, seq_id, f"[T, {NUM_ROWS}, {ROW_WIDTH}] or [S, T, {NUM_ROWS}, {ROW_WIDTH}] "
                              "(S samples)", found=f"shape {list(shape)}")
        arr = np.asarray(node[()], dtype=np.float32)
        if not np.all(np.isfinite(arr)):
            raise FormatError(self.path, seq_id, "finite values", found="NaN or infinity")
        return arr

    def close(self) -> None:
        self._file.close()


class MarkerSource(Source):
    """Marker skeleton files (T, 64, 3) at 120 fps: one person, or both from P1.npy and P2.npy."""

    def __init__(self, path: Path):
        self.name = str(path)
        try:
            arr = np.load(path, allow_pickle=False, mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise FormatError(path, None, "a .npy marker skeleton (T, 64, 3)", found=f"unreadable ({exc})") from None
        if arr.ndim == 4 and arr.shape[0] == 2:
            people = [skeleton_from_array(np.asarray(a), f"{path} [person {i}]") for i, a in enumerate(arr)]
        else:
            people = [read_skeleton(path)]
            partner = {"P1.npy": "P2.npy", "P2.npy": "P1.npy"}.get(path.name)
            if partner and (path.parent / partner).is_file():
                other = read_skeleton(path.parent / partner)
                people = [people[0], other] if path.name == "P1.npy" else [other, people[0]]
        frames = min(p.shape[0] for p in people)
        self._people = [p[:frames] for p in people]
        seq_id = path.parent.name if path.name in ("P1.npy", "P2.npy") else path.stem
        self._id = seq_id

    @property
    def ids(self) -> list[str]:
        return [self._id]

    def labels(self, seq_id: str) -> Labels:
        self.check_id(seq_id)
        return Labels(id=seq_id, action=_action_name(seq_id))

    def clip(self, seq_id: str, fps: float | None = None, *, markers: bool = True, sample: int = 0) -> Clip:
        self.check_id(seq_id)
        fps = float(fps or PROCESSED_FPS)
        keep = frame_indices(self._people[0].shape[0], RAW_FPS, fps)
        joints = np.stack([p[keep] for p in self._people]).astype(np.float32)
        return Clip(self.labels(seq_id), joints, _drop_empty_bones(joints, marker_topology.BONES), fps, None,
                    self.name)


def open_source(path: str | os.PathLike, *, smplx_model: str | os.PathLike | None = None) -> Source:
    """Open any SOURCE (see the module docstring); a clear error when it is none of them."""
    path = Path(path)
    body = BodyModel(smplx_model)
    if not path.exists():
        raise FormatError(path, None, f"a motion source: {', '.join(SOURCE_KINDS)}", found="no such file or folder")
    if path.is_dir():
        return RawSource(path, body) if detect_layout(path) == "raw" else ProcessedSource(path, body)
    suffix = path.suffix.lower()
    if suffix in (".h5", ".hdf5"):
        return H5Source(path, body)
    if suffix == ".npy":
        return MarkerSource(path)
    raise FormatError(path, None, f"a motion source: {', '.join(SOURCE_KINDS)}",
                      found=f"a {suffix or 'suffix-less'} file")


def default_id(source: Source, seq_id: str | None) -> str:
    """The asked id (checked), or the only one a single-sequence source holds."""
    if seq_id is not None:
        return source.check_id(seq_id)
    ids = source.ids
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise InterXError(f"{source.name}: holds no sequences")
    raise InterXError(f"{source.name} holds {len(ids)} sequences: pick one with --id (e.g. --id {ids[0]})")


def compare_id(other: Source, seq_id: str, asked: str | None = None) -> str:
    """The id to draw from a comparison source: the asked one, else the same id, else its only sequence."""
    if asked is not None:
        return other.check_id(asked)
    if other.holds(seq_id) or len(other.ids) != 1:
        return other.check_id(seq_id)
    return other.ids[0]
