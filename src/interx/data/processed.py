"""The processed release: per-split h5 motions, tokenized texts, GloVe vocabulary.

Layout (docs/format.md):
  motions/{train,val,test}.h5   one float32 dataset [T, 56, 6] per id, at the root
  texts_processed/<id>.txt      lines `caption#word/POS word/POS ...#start#end`
  glove/hhi_vab_data.npy        (N, D) word vectors
  glove/hhi_vab_idx.pkl         dict word -> row
  glove/hhi_vab_words.pkl       row -> word (list, or dict int -> str)
h5 files are read lazily (ids first, one dataset at a time) and written to a
temporary file renamed into place, so a reader never sees a half-written file.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from interx.data.arrays import check_float_array, describe_dtype, npy_bytes, read_npy, source_bytes
from interx.data.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from interx.data.ids import ID_FORMAT, is_valid_id
from interx.data.safe_pickle import dump_plain_pickle, load_plain_pickle
from interx.data.splits import SPLITS
from interx.errors import FormatError

PROCESSED_FPS = 30
NUM_ROWS = 56
ROW_WIDTH = 6
GLOVE_PREFIX = "hhi_vab"


# ------------------------------------------------------------------- motions
def check_processed_motion(arr: np.ndarray, name: str, key: str) -> np.ndarray:
    """Require [T, 56, 6] float32, finite, T >= 1."""
    if arr.dtype != np.float32:
        raise FormatError(name, key, "float32 values", found=f"dtype {describe_dtype(arr)}")
    if arr.ndim != 3 or arr.shape[1:] != (NUM_ROWS, ROW_WIDTH) or arr.shape[0] < 1:
        raise FormatError(name, key, f"shape [T, {NUM_ROWS}, {ROW_WIDTH}] with T >= 1",
                          found=f"shape {list(arr.shape)}")
    check_float_array(arr, name, key)
    return arr


def _open_h5(path: Path, mode: str = "r") -> h5py.File:
    if not path.is_file():
        raise FormatError(path, None, "an existing HDF5 file", found="no such file")
    try:
        return h5py.File(path, mode)
    except (OSError, ValueError) as exc:
        raise FormatError(path, None, "a complete, readable HDF5 file", found=f"{type(exc).__name__}: {exc}") from None


class H5Motions:
    """One split's h5 file, opened lazily: list ids, read one id at a time."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._file: h5py.File | None = None
        self._pid = os.getpid()

    def __getstate__(self) -> dict:
        # an open h5 handle doesn't pickle (DataLoader workers): reopen lazily
        state = dict(self.__dict__)
        state["_file"] = None
        return state

    def _h5(self) -> h5py.File:
        if self._file is not None and self._pid != os.getpid():
            self._file = None  # forked worker: never reuse the parent's HDF5 handle
        if self._file is None:
            self._pid = os.getpid()
            self._file = _open_h5(self.path)
        return self._file

    def __enter__(self) -> H5Motions:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def ids(self) -> list[str]:
        """Dataset names at the root, sorted."""
        try:
            return sorted(self._h5().keys())
        except (OSError, RuntimeError) as exc:
            raise FormatError(self.path, None, "a readable HDF5 root group",
                              found=f"{type(exc).__name__}: {exc}") from None

    def __contains__(self, seq_id: str) -> bool:
        return seq_id in self._h5()

    def __len__(self) -> int:
        return len(self._h5())

    def _dataset(self, seq_id: str) -> h5py.Dataset:
        h5 = self._h5()
        if seq_id not in h5:
            raise FormatError(self.path, seq_id, "a dataset for this id", found="none")
        node = h5[seq_id]
        if not isinstance(node, h5py.Dataset):
            raise FormatError(self.path, seq_id, "a dataset", found=f"a {type(node).__name__}")
        return node

    def shape(self, seq_id: str) -> tuple[int, ...]:
        """Shape of one dataset, without reading it."""
        return tuple(self._dataset(seq_id).shape)

    def num_frames(self, seq_id: str) -> int:
        shape = self.shape(seq_id)
        if len(shape) != 3 or shape[1:] != (NUM_ROWS, ROW_WIDTH):
            raise FormatError(self.path, seq_id, f"shape [T, {NUM_ROWS}, {ROW_WIDTH}]", found=f"shape {list(shape)}")
        return int(shape[0])

    def read(self, seq_id: str) -> np.ndarray:
        """Read and validate one id's [T, 56, 6] float32 array."""
        node = self._dataset(seq_id)
        try:
            arr = node[()]
        except (OSError, RuntimeError, ValueError) as exc:
            raise FormatError(self.path, seq_id, "a readable dataset", found=f"{type(exc).__name__}: {exc}") from None
        if not isinstance(arr, np.ndarray):
            raise FormatError(self.path, seq_id, "an array", found=type(arr).__name__)
        return check_processed_motion(arr, str(self.path), seq_id)


class H5MotionWriter:
    """Write datasets into a temporary h5, renamed over `path` on a clean close.

    With `append=True` the existing file is copied first and the new datasets
    are added to the copy: readers see the old file or the new one, never a mix.
    """

    def __init__(self, path: str | os.PathLike, append: bool = False):
        self.path = Path(path)
        self._ctx = atomic_path(self.path)
        tmp = self._ctx.__enter__()
        try:
            if append and self.path.exists():
                _open_h5(self.path).close()
                shutil.copyfile(self.path, tmp)
                self._file = h5py.File(tmp, "a")
            else:
                self._file = h5py.File(tmp, "w")
        except BaseException as exc:
            self._ctx.__exit__(type(exc), exc, exc.__traceback__)
            raise

    def add(self, seq_id: str, motion: np.ndarray) -> None:
        """Add one id's [T, 56, 6] motion (cast to float32)."""
        if not is_valid_id(seq_id):
            raise ValueError(f"not a valid sequence id ({ID_FORMAT}): {seq_id!r}")
        if seq_id in self._file:
            raise ValueError(f"{self.path} already has a dataset {seq_id}")
        arr = np.asarray(motion)
        if arr.dtype.kind != "f":
            raise FormatError(f"motion {seq_id}", None, "floating-point values", found=f"dtype {describe_dtype(arr)}")
        arr = check_processed_motion(np.ascontiguousarray(arr, dtype=np.float32), f"motion {seq_id}", seq_id)
        self._file.create_dataset(seq_id, data=arr)

    def close(self, ok: bool = True) -> None:
        """Finish: rename into place when `ok`, else discard the temporary file."""
        if self._file is None:
            return
        self._file.close()
        self._file = None
        if ok:
            self._ctx.__exit__(None, None, None)
        else:
            self._ctx.__exit__(RuntimeError, RuntimeError("aborted"), None)

    def __enter__(self) -> H5MotionWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(ok=exc_type is None)


def write_h5_motions(path: str | os.PathLike, items: Mapping[str, np.ndarray] | Iterable[tuple[str, np.ndarray]],
                     append: bool = False) -> int:
    """Write (id, [T, 56, 6]) pairs to one split's h5 atomically; returns the count."""
    pairs = items.items() if isinstance(items, Mapping) else items
    count = 0
    with H5MotionWriter(path, append=append) as writer:
        for seq_id, motion in pairs:
            writer.add(seq_id, motion)
            count += 1
    return count


# --------------------------------------------------------------------- texts
@dataclass(frozen=True)
class ProcessedText:
    """One line of texts_processed: caption, `word/POS` tokens, start and end (s)."""

    caption: str
    tokens: tuple[str, ...] = field(default_factory=tuple)
    start: float = 0.0
    end: float = 0.0

    @property
    def words(self) -> list[str]:
        return [t.rpartition("/")[0] for t in self.tokens]

    @property
    def tags(self) -> list[str]:
        return [t.rpartition("/")[2] for t in self.tokens]


def parse_processed_line(line: str, name: str, lineno: int) -> ProcessedText:
    """Parse `caption#tokens#start#end` (the caption may itself contain '#')."""
    where = f"line {lineno}"
    parts = line.rsplit("#", 3)
    if len(parts) != 4:
        raise FormatError(name, where, "`caption#word/POS ...#start#end`", found=f"{len(parts) - 1} '#' separators")
    caption, token_text, start_text, end_text = parts
    if not caption.strip():
        raise FormatError(name, where, "a non-empty caption", found="an empty caption")
    tokens = tuple(token_text.split())
    for token in tokens:
        word, slash, tag = token.rpartition("/")
        if not slash or not word or not tag:
            raise FormatError(name, where, "tokens `word/POS`", found=repr(token))
    try:
        start, end = float(start_text), float(end_text)
    except ValueError:
        raise FormatError(name, where, "numeric start and end times", found=f"{start_text!r}, {end_text!r}") from None
    if not (math.isfinite(start) and math.isfinite(end)):
        raise FormatError(name, where, "finite start and end times", found=f"{start_text!r}, {end_text!r}")
    return ProcessedText(caption.strip(), tokens, start, end)


def parse_processed_texts(data: bytes, name: str) -> list[ProcessedText]:
    """Parse a whole texts_processed file: at least one line, blank lines ignored."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(name, None, "UTF-8 text", found=str(exc)) from None
    out = [parse_processed_line(line.strip(), name, i)
           for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not out:
        raise FormatError(name, "lines", "at least one `caption#tokens#start#end` line", found="an empty file")
    return out


def read_processed_texts(source: str | os.PathLike | bytes, name: str | None = None) -> list[ProcessedText]:
    """Read one `texts_processed/<id>.txt`."""
    data, name = source_bytes(source, name, "text")
    return parse_processed_texts(data, name)


def format_processed_line(text: ProcessedText) -> str:
    """One line in the release format; floats keep Python's shortest exact form."""
    if not text.caption.strip() or len(text.caption.splitlines()) != 1:
        raise ValueError(f"caption must be one non-empty line: {text.caption!r}")
    for token in text.tokens:
        word, slash, tag = token.rpartition("/")
        if not slash or not word or not tag or any(c.isspace() or c == "#" for c in token):
            raise ValueError(f"token must be `word/POS` without spaces or '#': {token!r}")
    if not (math.isfinite(text.start) and math.isfinite(text.end)):
        raise ValueError("start and end must be finite")
    return f"{text.caption}#{' '.join(text.tokens)}#{float(text.start)!r}#{float(text.end)!r}"


def write_processed_texts(path: str | os.PathLike, texts: Sequence[ProcessedText]) -> None:
    """Write one texts_processed file atomically (one line per text, trailing newline)."""
    if not texts:
        raise ValueError("need at least one text")
    atomic_write_text(path, "".join(format_processed_line(t) + "\n" for t in texts))


# --------------------------------------------------------------------- glove
@dataclass(eq=False)
class GloveVocab:
    """Word vectors with the word <-> row maps of `glove/hhi_vab_*`."""

    vectors: np.ndarray  # (N, D)
    words: list[str]  # row -> word
    index: dict[str, int]  # word -> row

    def __post_init__(self) -> None:
        check_glove(self.vectors, self.words, self.index, "GloveVocab")

    @classmethod
    def from_words(cls, words: Sequence[str], vectors: np.ndarray) -> GloveVocab:
        words = list(words)
        return cls(np.asarray(vectors), words, {w: i for i, w in enumerate(words)})

    def vector(self, word: str) -> np.ndarray | None:
        row = self.index.get(word)
        return None if row is None else self.vectors[row]

    def __len__(self) -> int:
        return len(self.words)


def check_glove(vectors: np.ndarray, words: list[str], index: dict[str, int], name: str,
                names: tuple[str, str, str] | None = None) -> None:
    """Cross-check vectors (N, D), words (N) and index (word -> row)."""
    data_name, idx_name, words_name = names or (name, name, name)
    if vectors.ndim != 2 or vectors.shape[0] < 1 or vectors.shape[1] < 1:
        raise FormatError(data_name, "shape", "(N, D) word vectors", found=f"shape {vectors.shape}")
    check_float_array(vectors, data_name, "vectors")
    if len(words) != vectors.shape[0]:
        raise FormatError(words_name, None, f"{vectors.shape[0]} words, one per vector row", found=f"{len(words)}")
    for word, row in index.items():
        if not 0 <= row < len(words):
            raise FormatError(idx_name, repr(word), f"a row in 0..{len(words) - 1}", found=str(row))
        if words[row] != word:
            raise FormatError(idx_name, repr(word), f"row {row} to hold {word!r} in the words file",
                              found=repr(words[row]))


def _glove_paths(folder: Path, prefix: str) -> tuple[Path, Path, Path]:
    return (folder / f"{prefix}_data.npy", folder / f"{prefix}_idx.pkl", folder / f"{prefix}_words.pkl")


def read_glove(folder: str | os.PathLike, prefix: str = GLOVE_PREFIX) -> GloveVocab:
    """Read `<prefix>_data.npy`, `_idx.pkl` and `_words.pkl`; pickles read safely."""
    data_path, idx_path, words_path = _glove_paths(Path(folder), prefix)
    vectors = read_npy(data_path)
    if vectors.dtype.kind != "f":
        raise FormatError(data_path, None, "floating-point word vectors", found=f"dtype {describe_dtype(vectors)}")
    index = load_plain_pickle(idx_path)
    if not isinstance(index, dict):
        raise FormatError(idx_path, None, "a dict word -> row", found=f"a {type(index).__name__}")
    for word, row in index.items():
        if not isinstance(word, str) or type(row) is not int:
            raise FormatError(idx_path, repr(word), "str word -> int row",
                              found=f"{type(word).__name__} -> {type(row).__name__}")
    raw_words = load_plain_pickle(words_path)
    if isinstance(raw_words, dict):
        rows = sorted(raw_words)
        if any(type(r) is not int for r in rows) or rows != list(range(len(rows))):
            raise FormatError(words_path, None, "a list of words or a dict with rows 0..N-1 as keys",
                              found=f"keys {rows[:5]}...")
        words = [raw_words[r] for r in rows]
    elif isinstance(raw_words, (list, tuple)):
        words = list(raw_words)
    else:
        raise FormatError(words_path, None, "a list of words or a dict row -> word",
                          found=f"a {type(raw_words).__name__}")
    for row, word in enumerate(words):
        if not isinstance(word, str):
            raise FormatError(words_path, f"row {row}", "a str word", found=type(word).__name__)
    check_glove(vectors, words, index, str(folder), (str(data_path), str(idx_path), str(words_path)))
    return GloveVocab(vectors, words, dict(index))


def write_glove(folder: str | os.PathLike, vocab: GloveVocab, prefix: str = GLOVE_PREFIX) -> None:
    """Write the three vocabulary files (words as a list), each atomically."""
    data_path, idx_path, words_path = _glove_paths(Path(folder), prefix)
    atomic_write_bytes(data_path, npy_bytes(np.ascontiguousarray(vocab.vectors)))
    dump_plain_pickle(dict(vocab.index), idx_path)
    dump_plain_pickle(list(vocab.words), words_path)


# ------------------------------------------------------------------ release
class ProcessedRelease:
    """A processed release on disk: split h5 files, texts and vocabulary."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        if not (self.root / "motions").is_dir() or not any(self.h5_path(s).exists() for s in SPLITS):
            raise FormatError(self.root, "motions", "motions/{train,val,test}.h5 (processed Inter-X layout)",
                              found="none of them")
        self._h5: dict[str, H5Motions] = {}
        self._split_of: dict[str, str] | None = None

    def __enter__(self) -> ProcessedRelease:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for h5 in self._h5.values():
            h5.close()
        self._h5.clear()

    def h5_path(self, split: str) -> Path:
        return self.root / "motions" / f"{split}.h5"

    def splits(self) -> list[str]:
        """Splits whose h5 file exists."""
        return [s for s in SPLITS if self.h5_path(s).exists()]

    def motions(self, split: str) -> H5Motions:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        if split not in self._h5:
            self._h5[split] = H5Motions(self.h5_path(split))
        return self._h5[split]

    def ids(self, split: str = "all") -> list[str]:
        """Ids of one split (its h5 datasets), or of every split for `all`."""
        if split == "all":
            return [i for s in self.splits() for i in self.motions(s).ids()]
        return self.motions(split).ids() if self.h5_path(split).exists() else []

    def split_of(self, seq_id: str) -> str | None:
        if self._split_of is None:
            self._split_of = {i: s for s in self.splits() for i in self.motions(s).ids()}
        return self._split_of.get(seq_id)

    def motion(self, seq_id: str) -> np.ndarray:
        """The [T, 56, 6] float32 motion of an id, from whichever split holds it."""
        split = self.split_of(seq_id)
        if split is None:
            raise FormatError(self.root / "motions", seq_id, "a dataset for this id in train/val/test.h5", found="none")
        return self.motions(split).read(seq_id)

    def text_path(self, seq_id: str) -> Path:
        return self.root / "texts_processed" / f"{seq_id}.txt"

    def texts(self, seq_id: str) -> list[ProcessedText]:
        return read_processed_texts(self.text_path(seq_id))

    def glove(self, prefix: str = GLOVE_PREFIX) -> GloveVocab | None:
        """The vocabulary when `glove/` holds it, else None."""
        folder = self.root / "glove"
        return read_glove(folder, prefix) if (folder / f"{prefix}_data.npy").exists() else None


def write_processed_release(
    root: str | os.PathLike,
    motions: Mapping[str, Mapping[str, np.ndarray] | Iterable[tuple[str, np.ndarray]]],
    texts: Mapping[str, Sequence[ProcessedText]],
    vocab: GloveVocab | None = None,
) -> None:
    """Write a processed release: `motions` maps split -> (id -> [T, 56, 6]).

    Every file is written atomically; texts are written for the ids given.
    """
    root = Path(root)
    for split, items in motions.items():
        if split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        write_h5_motions(root / "motions" / f"{split}.h5", items)
    for seq_id, lines in texts.items():
        if not is_valid_id(seq_id):
            raise ValueError(f"not a valid sequence id ({ID_FORMAT}): {seq_id!r}")
        write_processed_texts(root / "texts_processed" / f"{seq_id}.txt", lines)
    if vocab is not None:
        write_glove(root / "glove", vocab)
