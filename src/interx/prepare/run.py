"""`interx prepare`: the resumable, parallel raw -> processed orchestration.

Output layout under OUT:
  motions/{split}.h5          official `[T, 56, 6]` motions (docs/format.md)
  texts_processed/<id>.txt    spaCy tokens; glove/hhi_vab_*  the vocabulary
  features/{split}.h5         `(T-1, 2, 262)` float32 InterGen-style features per id
  features/{mean,std}.npy     their statistics, from train only
  features/info.json          how they were made (person order, fps)
  annots/                     a copy of the raw release's annotations (labels for the datasets)

Resuming: sequences are processed in fixed chunks of ids; each finished chunk
is saved (atomically) under `OUT/.interx-prepare/<split>/`. A killed run
leaves only finished chunks and temporary files, and the next run skips the
finished chunks. Each split's h5 files are assembled from the chunks in id
order and renamed into place, so a resumed run writes the same bytes as an
uninterrupted one, whatever the number of workers. A chunk that had a bad
sequence is kept and computed again by the next run (the bad file may have
been fixed); a split finished without failures is marked done and skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import h5py
import numpy as np

from interx.data.atomic import atomic_open, atomic_path, atomic_write_text
from interx.data.processed import H5MotionWriter, read_processed_texts, write_glove, write_processed_texts
from interx.data.raw import RawRelease
from interx.data.splits import SPLITS
from interx.errors import InterXError
from interx.prepare.features import features_from_motion
from interx.prepare.motions import body_model_joints, frame_step, neutral_joints, process_interaction
from interx.prepare.stats import FeatureSums, write_stats

log = logging.getLogger(__name__)

WORK_DIR = ".interx-prepare"
CHUNK_SIZE = 64
INFO_FILE = "info.json"
TEXT_BATCH = 1024  # sequences tagged (and written) per text batch
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PrepareOptions:
    """What changes the output; a work folder made with other options is discarded."""

    reaction: bool = False
    fps: int = 30
    smplx_model: str | None = None
    features: bool = True
    chunk_size: int = CHUNK_SIZE


@dataclass
class PrepareReport:
    out: Path
    written: dict[str, int] = field(default_factory=dict)  # split -> sequences in its h5
    failed: dict[str, str] = field(default_factory=dict)  # id -> why
    texts: int = 0
    vocabulary: int = 0
    missing_words: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


# ------------------------------------------------------------------ workers
_STATE: dict = {}  # per process, set once by `_init_worker`


def _init_worker(root: str, options: PrepareOptions, threads: int | None) -> None:
    """Open the release and the body model once per process."""
    if threads is not None:
        import numba

        numba.set_num_threads(threads)
    _STATE["release"] = RawRelease(root)
    _STATE["options"] = options
    if options.smplx_model:
        from interx.body.model import BodyModel

        _STATE["joints"] = body_model_joints(BodyModel(options.smplx_model))
    else:
        _STATE["joints"] = neutral_joints


def _process_ids(ids: Sequence[str]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, str],
                                              FeatureSums]:
    """Motions, features, failures and feature sums of some ids (in this process's state)."""
    release, options, joints_fn = _STATE["release"], _STATE["options"], _STATE["joints"]
    step = frame_step(options.fps)
    motions, feats, failed, sums = {}, {}, {}, FeatureSums()
    for seq_id in ids:
        try:
            motion = process_interaction(release.load(seq_id), step, reaction=options.reaction, joints_fn=joints_fn)
            if options.features:
                if motion.shape[0] < 2:
                    raise InterXError(f"{seq_id}: {motion.shape[0]} frame at {options.fps} fps, features need 2")
                feat = features_from_motion(motion, joints_fn)
        except (InterXError, ValueError, OSError, KeyError) as exc:
            failed[seq_id] = f"{type(exc).__name__}: {exc}"
            continue
        motions[seq_id] = motion
        if options.features:
            feats[seq_id] = feat
            sums.add_rows(feat)
    return motions, feats, failed, sums


def _chunk_job(job: tuple[str, list[str]]) -> int:
    """Process one chunk and save it where the job says; returns how many ids it covered.

    The worker writes the file itself: sending the arrays back to the parent
    would pickle the whole dataset through a pipe.
    """
    path, ids = job
    _save_chunk(Path(path), _chunk_arrays(*_process_ids(ids)))
    return len(ids)


def _chunk_arrays(motions, feats, failed, sums: FeatureSums) -> dict[str, np.ndarray]:
    arrays = {f"m:{k}": v for k, v in motions.items()}
    arrays.update({f"f:{k}": v for k, v in feats.items()})
    arrays["failed"] = np.array(json.dumps(failed, sort_keys=True))
    if sums.count:
        arrays["sum"], arrays["sumsq"] = sums.total, sums.squares
    arrays["count"] = np.array(sums.count)
    return arrays


# --------------------------------------------------------------- work folder
class _Work:
    """The resumable state of one output folder."""

    def __init__(self, out: Path, options: PrepareOptions):
        self.root = out / WORK_DIR
        marker = self.root / "options.json"
        wanted = json.dumps(asdict(options), sort_keys=True)
        if marker.is_file() and marker.read_text() != wanted:
            log.info("options changed since the last run: starting over in %s", self.root)
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        atomic_write_text(marker, wanted)

    def split_dir(self, split: str, ids: Sequence[str]) -> Path:
        folder = self.root / split
        listing = folder / "ids.json"
        wanted = json.dumps(list(ids))
        if listing.is_file() and listing.read_text() != wanted:
            shutil.rmtree(folder)  # the release changed: its chunks no longer match
        folder.mkdir(parents=True, exist_ok=True)
        _remove_temporaries(folder)
        atomic_write_text(listing, wanted)
        return folder

    def done_path(self, split: str) -> Path:
        return self.root / f"{split}.done.json"


def _remove_temporaries(folder: Path, name: str = "") -> None:
    """Delete temporary files a killed run left behind (atomic writes name them `.<name>...tmp...`)."""
    if folder.is_dir():
        for path in folder.glob(f".{name}*.tmp*"):
            path.unlink(missing_ok=True)


def _digest(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()


def _split_done(path: Path, ids: Sequence[str]) -> bool:
    """A split finished without failures by an earlier run, for these same ids."""
    try:
        return json.loads(path.read_text()).get("ids") == _digest(ids)
    except (OSError, ValueError):
        return False


def _chunk_path(folder: Path, index: int) -> Path:
    return folder / f"chunk-{index:05d}.npz"


def _save_chunk(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with atomic_open(path) as handle:
        np.savez(handle, **arrays)


def _chunk_failed(path: Path) -> dict[str, str]:
    with np.load(path, allow_pickle=False) as data:
        return json.loads(str(data["failed"]))


def _chunk_complete(path: Path) -> bool:
    """A saved chunk with no failures (a chunk with failures is retried)."""
    if not path.is_file():
        return False
    try:
        return not _chunk_failed(path)
    except (OSError, ValueError, KeyError):
        return False


# ----------------------------------------------------------------- assembly
def _write_features_h5(path: Path, items) -> None:
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as h5:
            for seq_id, feat in items:
                h5.create_dataset(seq_id, data=np.ascontiguousarray(feat, dtype=np.float32))


def _assemble(out: Path, split: str, paths: list[Path], features: bool) -> tuple[int, dict[str, str], FeatureSums]:
    """Write the split's h5 files from its chunks, in order."""
    failed: dict[str, str] = {}
    sums = FeatureSums()
    count = 0
    with H5MotionWriter(out / "motions" / f"{split}.h5") as writer:
        for path in paths:
            with np.load(path, allow_pickle=False) as data:
                for key in data.files:
                    if key.startswith("m:"):
                        writer.add(key[2:], data[key])
                        count += 1
                failed.update(json.loads(str(data["failed"])))
                if int(data["count"]):
                    sums.merge(FeatureSums(int(data["count"]), data["sum"], data["sumsq"]))
    if features:
        def items():
            for path in paths:
                with np.load(path, allow_pickle=False) as data:
                    for key in data.files:
                        if key.startswith("f:"):
                            yield key[2:], data[key]

        _write_features_h5(out / "features" / f"{split}.h5", items())
    return count, failed, sums


# -------------------------------------------------------------------- motions
def prepare_motions(
    raw: str | os.PathLike,
    out: str | os.PathLike,
    options: PrepareOptions = PrepareOptions(),
    splits: Sequence[str] = SPLITS,
    workers: int = 1,
    progress: Progress | None = None,
    report: PrepareReport | None = None,
) -> PrepareReport:
    """Motions (and features, statistics) of the chosen splits; resumable."""
    raw, out = Path(raw), Path(out)
    report = report or PrepareReport(out)
    frame_step(options.fps)
    for split in splits:
        if split not in SPLITS:
            raise InterXError(f"unknown split {split!r}: choose from {', '.join(SPLITS)}")
    with RawRelease(raw) as release:
        if options.reaction and release.interaction_order is None:
            raise InterXError(f"{release.annot_path('interaction_order.pkl')}: needed by --reaction, not found")
        ids = {split: release.ids(split) for split in splits}
    work = _Work(out, options)
    if options.features:
        atomic_write_text(out / "features" / INFO_FILE, json.dumps(
            {"person_order": "reactor,actor" if options.reaction else "P1,P2", "fps": options.fps,
             "body": options.smplx_model or "neutral"}, sort_keys=True))
    folders = {split: work.split_dir(split, ids[split]) for split in splits}
    jobs, pending = [], {}
    for split in splits:
        if _split_done(work.done_path(split), ids[split]) and (out / "motions" / f"{split}.h5").is_file():
            continue
        chunks = [list(ids[split][i:i + options.chunk_size]) for i in range(0, len(ids[split]), options.chunk_size)]
        pending[split] = len(chunks)
        for index, chunk in enumerate(chunks):
            path = _chunk_path(folders[split], index)
            if not _chunk_complete(path):
                jobs.append((str(path), chunk))
    total = sum(len(ids[s]) for s in pending)
    done_count = total - sum(len(chunk) for _, chunk in jobs)
    if progress:
        progress("motions", done_count, total)
    for count in _run_jobs(jobs, str(raw), options, workers):
        done_count += count
        if progress:
            progress("motions", done_count, total)

    for split in splits:
        done = work.done_path(split)
        if split not in pending:
            summary = json.loads(done.read_text())
            report.written[split] = summary["written"]
            if split == "train" and options.features and summary.get("stats") is False:
                log.warning("train split had no features: no statistics written")
            continue
        paths = [_chunk_path(folders[split], i) for i in range(pending[split])]
        _remove_temporaries(out / "motions", f"{split}.h5")
        _remove_temporaries(out / "features", f"{split}.h5")
        count, failed, sums = _assemble(out, split, paths, options.features)
        report.written[split] = count
        report.failed.update(failed)
        if split == "train" and options.features and sums.count:
            write_stats(out / "features", *sums.mean_std())
        if not failed:
            atomic_write_text(done, json.dumps({"written": count, "stats": bool(sums.count),
                                                "ids": _digest(ids[split])}))
            shutil.rmtree(folders[split])
    return report


def _run_jobs(jobs, root: str, options: PrepareOptions, workers: int):
    """Run the chunk jobs here or in `workers` processes; yields their sizes in job order."""
    if not jobs:
        return
    if workers <= 1:
        _init_worker(root, options, None)
        try:
            for job in jobs:
                yield _chunk_job(job)
        finally:
            _STATE.pop("release").close()
        return
    # spawn, not fork: numba's threads in this process make fork unsafe
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(root, options, 1)) as pool:
        yield from pool.imap(_chunk_job, jobs)


# ---------------------------------------------------------------------- texts
def prepare_texts(
    raw: str | os.PathLike,
    out: str | os.PathLike,
    splits: Sequence[str] = SPLITS,
    glove: str | os.PathLike | None = None,
    progress: Progress | None = None,
    report: PrepareReport | None = None,
) -> PrepareReport:
    """texts_processed/ for the chosen splits (existing files kept) and the vocabulary."""
    from interx.prepare.texts import load_pipeline, processed_texts
    from interx.prepare.vocab import GloveVectors, build_vocab

    raw, out = Path(raw), Path(out)
    report = report or PrepareReport(out)
    source = GloveVectors(glove)  # fail early on a missing --glove file
    folder = out / "texts_processed"
    _remove_temporaries(folder)
    with RawRelease(raw) as release:
        ids = [i for split in splits for i in release.ids(split)]
        todo = [i for i in ids if not (folder / f"{i}.txt").is_file()]
        if progress:
            progress("texts", len(ids) - len(todo), len(ids))
        nlp = load_pipeline() if todo else None
        for start in range(0, len(todo), TEXT_BATCH):
            batch = []
            for seq_id in todo[start:start + TEXT_BATCH]:
                try:
                    batch.append((seq_id, release.read_texts(seq_id)))
                except (InterXError, OSError, KeyError) as exc:
                    report.failed[seq_id] = f"{type(exc).__name__}: {exc}"
            for seq_id, lines in processed_texts(nlp, batch).items():
                write_processed_texts(folder / f"{seq_id}.txt", lines)
            if progress:
                progress("texts", len(ids) - len(todo) + min(len(todo), start + TEXT_BATCH), len(ids))
    words = set()
    for seq_id in ids:
        path = folder / f"{seq_id}.txt"
        if path.is_file():
            report.texts += 1
            for line in read_processed_texts(path):
                words.update(line.words)
    if words:
        vocab, report.missing_words = build_vocab(words, source)
        write_glove(out / "glove", vocab)
        report.vocabulary = len(vocab)
    return report


def copy_annotations(raw: str | os.PathLike, out: str | os.PathLike) -> None:
    """Copy the raw `annots/` files (labels for the datasets), each atomically."""
    source = Path(raw) / "annots"
    if not source.is_dir():
        return
    for path in sorted(source.iterdir()):
        if path.is_file():
            with atomic_open(Path(out) / "annots" / path.name) as handle:
                handle.write(path.read_bytes())


def prepare(
    raw: str | os.PathLike,
    out: str | os.PathLike,
    options: PrepareOptions = PrepareOptions(),
    *,
    splits: Sequence[str] = SPLITS,
    workers: int = 1,
    glove: str | os.PathLike | None = None,
    texts: bool = True,
    progress: Progress | None = None,
) -> PrepareReport:
    """Everything `interx prepare` makes; failures are collected in the report, not raised."""
    report = PrepareReport(Path(out))
    prepare_motions(raw, out, options, splits, workers, progress, report)
    if texts:
        prepare_texts(raw, out, splits, glove, progress, report)
    copy_annotations(raw, out)
    return report
