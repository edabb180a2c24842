"""Validate a whole dataset (raw or processed) and collect every problem.

A check never stops at the first bad sequence: each file is validated on its
own and every failure becomes a `Problem` (kind, file, message, id), so one
run lists everything a user has to fix.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from interx.data.ids import ID_FORMAT, SequenceId, is_valid_id
from interx.data.processed import GLOVE_PREFIX, ProcessedRelease, read_glove, read_processed_texts
from interx.data.raw import PERSONS, RawRelease
from interx.data.splits import ALL_SPLITS, SPLITS, official_ids, official_split_of
from interx.errors import FormatError

Progress = Callable[[int, int], None]

KINDS = {
    "archive": "unreadable zip or h5 archive",
    "annotation": "annots/ file problems",
    "split": "split lists and split membership",
    "id": "malformed sequence ids",
    "missing": "missing files",
    "motion": "bad motion arrays",
    "length": "frame counts that disagree",
    "skeleton": "bad skeleton arrays",
    "text": "bad text files",
    "glove": "bad vocabulary files",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong: its kind (see KINDS), the file, what is wrong, the id if any."""

    kind: str
    file: str
    message: str
    id: str | None = None


@dataclass
class CheckReport:
    """Everything a check found; `ok` when there is no problem."""

    root: Path
    layout: str
    sequences: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_kind(self) -> dict[str, list[Problem]]:
        """Problems grouped by kind, kinds in KINDS order."""
        groups: dict[str, list[Problem]] = {}
        for kind in list(KINDS) + sorted({p.kind for p in self.problems} - set(KINDS)):
            found = [p for p in self.problems if p.kind == kind]
            if found:
                groups[kind] = found
        return groups

    def bad_ids(self) -> set[str]:
        return {p.id for p in self.problems if p.id is not None}

    def add(self, kind: str, file: str | os.PathLike, message: str, seq_id: str | None = None) -> None:
        self.problems.append(Problem(kind, str(file), message, seq_id))

    def add_error(self, kind: str, error: FormatError, seq_id: str | None = None) -> None:
        """Record a FormatError; the message drops the path, which is kept in `file`."""
        message = f"expected {error.expected}" + (f", found {error.found}" if error.found is not None else "")
        if error.field:
            message = f"[{error.field}] {message}"
        self.add(kind, error.path, message, seq_id)


def detect_layout(root: str | os.PathLike) -> str:
    """`raw` (motions/ or motions.zip) or `processed` (motions/*.h5); else a FormatError."""
    root = Path(root)
    if not root.is_dir():
        raise FormatError(root, None, "a dataset folder", found="no such folder")
    motions = root / "motions"
    if motions.is_dir() and any(motions.glob("*.h5")):
        return "processed"
    if motions.is_dir() or (root / "motions.zip").is_file():
        return "raw"
    raise FormatError(root, None, "a raw (motions/ or motions.zip) or processed (motions/*.h5) Inter-X dataset",
                      found="neither")


def check_dataset(root: str | os.PathLike, *, progress: Progress | None = None) -> CheckReport:
    """Validate every sequence and file of a dataset; `progress(done, total)` per sequence."""
    layout = detect_layout(root)
    if layout == "processed":
        return _check_processed(Path(root), progress)
    return _check_raw(Path(root), progress)


# ----------------------------------------------------------------------- raw
def _guard(report: CheckReport, kind: str, seq_id: str | None, fn):
    """Run fn; a FormatError becomes a problem and the result is None."""
    try:
        return fn()
    except FormatError as exc:
        report.add_error(kind, exc, seq_id)
        return None


def _check_raw(root: Path, progress: Progress | None) -> CheckReport:
    release = RawRelease(root)
    kinds = {name: part.kind for name, part in release.parts.items() if part.present}
    report = CheckReport(root, "raw (" + ", ".join(f"{n}: {k}" for n, k in kinds.items()) + ")")
    try:
        usable = {}
        for name, part in release.parts.items():
            usable[name] = part.present and (part.kind == "folder"
                                             or _guard(report, "archive", None, part._open) is not None)
        _check_raw_annotations(release, report)
        lists = _check_split_lists(release, report)
        ids = _raw_entries(release, report, usable)
        _check_membership(release, report, ids, lists, usable["motions"])
        if not release.parts["texts"].present:
            report.add("missing", root / "texts", "expected a texts/ folder or texts.zip, found neither")
        ordered = sorted(ids)
        for done, seq_id in enumerate(ordered, start=1):
            _check_raw_sequence(release, report, seq_id, usable)
            if progress is not None:
                progress(done, len(ordered))
        report.sequences = len(ordered)
    finally:
        release.close()
    return report


def _check_raw_annotations(release: RawRelease, report: CheckReport) -> None:
    for attribute in ("action_names", "interaction_order", "familiarity", "big_five"):
        _guard(report, "annotation", None, lambda: getattr(release, attribute))


def _check_split_lists(release: RawRelease, report: CheckReport) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for split in ALL_SPLITS:
        path = release.split_file(split)
        listed = _guard(report, "split", None, lambda: release.split_list(split)) if path.exists() else None
        if listed is None:
            continue
        lists[split] = listed
        for seq_id, count in Counter(listed).items():
            if count > 1:
                report.add("split", path, f"{seq_id} is listed {count} times", seq_id)
    sets = {s: set(v) for s, v in lists.items()}
    for i, a in enumerate(SPLITS):
        for b in SPLITS[i + 1:]:
            for seq_id in sorted(sets.get(a, set()) & sets.get(b, set())):
                report.add("split", release.split_file(b), f"{seq_id} is in both {a}.txt and {b}.txt", seq_id)
    if "all" in sets and all(s in sets for s in SPLITS):
        union = set().union(*(sets[s] for s in SPLITS))
        for seq_id in sorted(union - sets["all"]):
            report.add("split", release.split_file("all"), f"{seq_id} is in a split list but not in all.txt", seq_id)
        for seq_id in sorted(sets["all"] - union):
            report.add("split", release.split_file("all"), f"{seq_id} is in all.txt but in no train/val/test list",
                       seq_id)
    return lists


def _raw_entries(release: RawRelease, report: CheckReport, usable: dict[str, bool]) -> set[str]:
    """Valid ids found under motions/, skeletons/, texts/; malformed names are problems."""
    ids: set[str] = set()
    for name in ("motions", "skeletons", "texts"):
        if not usable[name]:
            continue
        part = release.parts[name]
        for entry in part.names():
            seq_id = entry[:-4] if name == "texts" and entry.endswith(".txt") else entry
            if name == "texts" and not entry.endswith(".txt"):
                report.add("id", part.display(entry), "expected a file named <id>.txt")
            elif not is_valid_id(seq_id):
                report.add("id", part.display(entry), f"expected a name of the form {ID_FORMAT}, found {seq_id!r}")
            else:
                ids.add(seq_id)
    return ids


def _check_membership(release: RawRelease, report: CheckReport, ids: set[str], lists: dict[str, list[str]],
                      motions_usable: bool) -> None:
    if lists:
        listed = set().union(*lists.values())
        source = "the split lists in splits/"
    else:
        listed = set(official_ids("all"))
        source = "the official lists (no splits/ folder)"
    for seq_id in sorted(ids - listed):
        report.add("split", release.root / "splits", f"{seq_id} has data but is not in {source}", seq_id)
    if lists and motions_usable:
        for seq_id in sorted(listed - ids):
            report.add("missing", release.motion_name(seq_id, "P1"), "listed in splits/ but has no motion files",
                       seq_id)


def _check_raw_sequence(release: RawRelease, report: CheckReport, seq_id: str, usable: dict[str, bool]) -> None:
    motions = release.parts["motions"]
    frames: dict[str, int] = {}
    if usable["motions"]:
        for person in PERSONS:
            rel = f"{seq_id}/{person}.npz"
            if not motions.exists(rel):
                report.add("missing", motions.display(rel), "no motion file", seq_id)
                continue
            motion = _guard(report, "motion", seq_id, lambda: release.read_motion(seq_id, person))
            if motion is not None:
                frames[person] = motion.num_frames
        if len(frames) == 2 and frames["P1"] != frames["P2"]:
            report.add("length", motions.display(f"{seq_id}/P2.npz"),
                       f"P1 has {frames['P1']} frames, P2 has {frames['P2']}: expected the same T", seq_id)
    skeletons = release.parts["skeletons"]
    if usable["skeletons"]:
        for person in PERSONS:
            rel = f"{seq_id}/{person}.npy"
            if not skeletons.exists(rel):
                report.add("missing", skeletons.display(rel), "no skeleton file", seq_id)
                continue
            skel = _guard(report, "skeleton", seq_id, lambda: release.read_skeleton(seq_id, person))
            if skel is not None and person in frames and skel.shape[0] != frames[person]:
                report.add("length", skeletons.display(rel),
                           f"skeleton has {skel.shape[0]} frames, motion has {frames[person]}: expected the same T",
                           seq_id)
    texts = release.parts["texts"]
    if usable["texts"]:
        if not texts.exists(f"{seq_id}.txt"):
            report.add("missing", texts.display(f"{seq_id}.txt"), "no text file", seq_id)
        else:
            _guard(report, "text", seq_id, lambda: release.read_texts(seq_id))
    _check_sequence_annotations(release, report, seq_id)


def _check_sequence_annotations(release: RawRelease, report: CheckReport, seq_id: str) -> None:
    group = SequenceId.parse(seq_id).group
    annots = release.root / "annots"
    order = _quiet(lambda: release.interaction_order)
    if order is not None and seq_id not in order:
        report.add("annotation", annots / "interaction_order.pkl", f"no actor entry for {seq_id}", seq_id)
    familiarity = _quiet(lambda: release.familiarity)
    if familiarity is not None and group not in familiarity:
        report.add("annotation", annots / "familiarity.txt", f"no level for group {group}", seq_id)
    big_five = _quiet(lambda: release.big_five)
    if big_five is not None and group > big_five.shape[0]:
        report.add("annotation", annots / "big_five.npy", f"no row for group {group} ({big_five.shape[0]} groups)",
                   seq_id)


def _quiet(fn):
    """An annotation table, or None when absent or unreadable (already reported)."""
    try:
        return fn()
    except FormatError:
        return None


# ----------------------------------------------------------------- processed
def _check_processed(root: Path, progress: Progress | None) -> CheckReport:
    report = CheckReport(root, "processed")
    release = ProcessedRelease(root)
    split_of = official_split_of()
    try:
        ids_by_split: dict[str, list[str]] = {}
        for split in release.splits():
            ids = _guard(report, "archive", None, release.motions(split).ids)
            if ids is not None:
                ids_by_split[split] = ids
        texts_dir = root / "texts_processed"
        if not texts_dir.is_dir():
            report.add("missing", texts_dir, "expected a texts_processed/ folder, found none")
        else:
            for path in sorted(texts_dir.iterdir()):
                if path.suffix != ".txt" or not is_valid_id(path.stem):
                    report.add("id", path, f"expected files named <id>.txt with ids of the form {ID_FORMAT}")
        if (root / "glove").is_dir():
            _guard(report, "glove", None, lambda: read_glove(root / "glove", GLOVE_PREFIX))
        total = sum(len(v) for v in ids_by_split.values())
        done = 0
        seen: dict[str, str] = {}
        for split, ids in ids_by_split.items():
            h5 = release.motions(split)
            for seq_id in ids:
                done += 1
                _check_processed_sequence(report, h5, split, seq_id, seen, split_of, texts_dir)
                if progress is not None:
                    progress(done, total)
        report.sequences = total
    finally:
        release.close()
    return report


def _check_processed_sequence(report, h5, split, seq_id, seen, split_of, texts_dir) -> None:
    if not is_valid_id(seq_id):
        report.add("id", h5.path, f"dataset name {seq_id!r}: expected an id of the form {ID_FORMAT}")
        return
    if seq_id in seen:
        report.add("split", h5.path, f"{seq_id} is also in {seen[seq_id]}.h5", seq_id)
    seen.setdefault(seq_id, split)
    official = split_of.get(seq_id)
    if official is None:
        report.add("split", h5.path, f"{seq_id} is not in the official lists", seq_id)
    elif official != split:
        report.add("split", h5.path, f"{seq_id} is in {split}.h5 but officially in {official}", seq_id)
    _guard(report, "motion", seq_id, lambda: h5.read(seq_id))
    text_path = texts_dir / f"{seq_id}.txt"
    if texts_dir.is_dir():
        if not text_path.is_file():
            report.add("missing", text_path, "no texts_processed file", seq_id)
        else:
            _guard(report, "text", seq_id, lambda: read_processed_texts(text_path))
