"""Shared fixtures: the example raw release (folder and zips) and a prepared 6-sequence folder,
written once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from interx.data.arrays import npz_bytes
from interx.data.example import write_example_release
from interx.data.processed import GloveVocab, ProcessedText, write_processed_release
from interx.data.raw import RawRelease, write_raw_release
from interx.prepare.run import PrepareOptions, prepare


@pytest.fixture(scope="session")
def example_root(tmp_path_factory) -> Path:
    """Example raw release, folder layout, one sequence per action (read-only: copy to modify)."""
    return write_example_release(tmp_path_factory.mktemp("example") / "raw", per_action=1, seed=0)


@pytest.fixture(scope="session")
def example_zip_root(tmp_path_factory) -> Path:
    """The same example release written as motions.zip, skeletons.zip, texts.zip."""
    return write_example_release(tmp_path_factory.mktemp("example_zip") / "raw", per_action=1, seed=0, as_zip=True)


@pytest.fixture(scope="session")
def example_interactions(example_root):
    """Every example interaction, loaded with skeletons."""
    with RawRelease(example_root) as release:
        return [release.load(i, skeletons=True) for i in release.ids()]


@pytest.fixture
def small_release(tmp_path, example_root, example_interactions) -> Path:
    """A writable 6-sequence raw release (folder layout) with the example's annotations."""
    with RawRelease(example_root) as source:
        root = tmp_path / "small"
        write_raw_release(root, example_interactions[:6], action_names=source.action_names,
                          order=source.interaction_order, familiarity=source.familiarity, big_five=source.big_five)
    return root


@pytest.fixture
def copy_tree(tmp_path):
    """Copy a release into tmp_path so a test can damage it."""

    def copy(src: Path, name: str = "copy") -> Path:
        return Path(shutil.copytree(src, tmp_path / name))

    return copy


@pytest.fixture(scope="session")
def raw6(tmp_path_factory, example_root, example_interactions) -> Path:
    """Six example sequences (read-only); their splits come from the official lists."""
    picked = example_interactions[:4] + example_interactions[-2:]
    with RawRelease(example_root) as source:
        root = tmp_path_factory.mktemp("prep_raw") / "raw"
        write_raw_release(root, picked, action_names=source.action_names, order=source.interaction_order,
                          familiarity=source.familiarity, big_five=source.big_five)
    return root


@pytest.fixture(scope="session")
def prepared6(tmp_path_factory, raw6) -> Path:
    """`raw6` prepared once with the defaults (read-only)."""
    out = tmp_path_factory.mktemp("prep_out") / "out"
    report = prepare(raw6, out, PrepareOptions(chunk_size=2))
    assert report.ok, report.failed
    return out


# ----------------------------------------------------------------- fixture files
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def official_evaluator_dir() -> Path:
    """The case made with the official evaluator (weights `finest.tar`, inputs and outputs `case.npz`)."""
    return FIXTURES / "official_evaluator"


# ------------------------------------------- damaged raw releases (check, CLI)
def _plant_raw_problems(root):
    """Damage a 6-sequence release in 10 different ways; return what check must find."""
    with RawRelease(root) as release:
        ids = release.ids()
    motions, texts, skeletons = root / "motions", root / "texts", root / "skeletons"

    def rewrite(path, change):
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        change(arrays)
        path.write_bytes(npz_bytes(arrays))

    rewrite(motions / ids[0] / "P1.npz", lambda a: a.pop("pose_body"))
    rewrite(motions / ids[1] / "P2.npz", lambda a: a["trans"].__setitem__((3, 1), np.nan))
    rewrite(motions / ids[2] / "P2.npz", lambda a: a.update({k: a[k][:-4] for k in
                                                              ("root_orient", "pose_body", "pose_lhand", "pose_rhand",
                                                               "trans")}))
    (texts / f"{ids[3]}.txt").write_bytes(b"")
    (texts / f"{ids[4]}.txt").unlink()
    p1 = motions / ids[5] / "P1.npz"
    p1.write_bytes(p1.read_bytes()[:1000])
    np.save(skeletons / ids[0] / "P2.npy", np.zeros((3, 64, 2), np.float32))
    rewrite(motions / ids[4] / "P1.npz", lambda a: a.update(root_orient=a["root_orient"].astype(np.int64)))
    shutil.copytree(motions / ids[3], motions / "G001T000A000")  # malformed id
    extra = "G059T005A039R029"  # valid id with data, not in splits/
    for part, suffix in ((motions, ""), (skeletons, "")):
        shutil.copytree(part / ids[3], part / f"{extra}{suffix}")
    shutil.copyfile(texts / f"{ids[0]}.txt", texts / f"{extra}.txt")
    (root / "annots" / "familiarity.txt").write_text("1\n9\n")
    return [
        ("motion", ids[0], f"{ids[0]}/P1.npz", "pose_body"),
        ("motion", ids[1], f"{ids[1]}/P2.npz", "NaN"),
        ("length", ids[2], f"{ids[2]}/P2.npz", "same T"),
        ("text", ids[3], f"{ids[3]}.txt", "empty file"),
        ("missing", ids[4], f"{ids[4]}.txt", "no text file"),
        ("motion", ids[5], f"{ids[5]}/P1.npz", "npz"),
        ("skeleton", ids[0], f"{ids[0]}/P2.npy", "(T, 64, 3)"),
        ("motion", ids[4], f"{ids[4]}/P1.npz", "int64"),
        ("id", None, "G001T000A000", "GgggTtttAaaaRrrr"),
        ("split", extra, "splits", "not in the split lists"),
        ("annotation", None, "familiarity.txt", "1-4"),
    ]


@pytest.fixture(scope="session")
def plant_raw_problems():
    """`plant(root)` damages a 6-sequence raw release in 10 ways and returns what `check` must find."""
    return _plant_raw_problems


# ------------------------------- small processed releases (no spaCy: tags by hand)
ACTION_WORDS = ["wave", "hug", "push", "kick", "bow", "pat", "pull", "sit"]


def _make_vocab(dim: int, seed: int = 0) -> GloveVocab:
    words = ["sos", "eos", "unk", "the", "person", "other", "one", "and", "slowly", "left", "hand"] + ACTION_WORDS
    return GloveVocab.from_words(words, np.random.default_rng(seed).normal(size=(len(words), dim)).astype(np.float32))


def _sequence_id(index: int, action: int) -> str:
    return f"G{1 + index % 59:03d}T{index // 59:03d}A{action:03d}R{index % 7:03d}"


def _make_motion(rng: np.random.Generator, action: int, frames: int) -> np.ndarray:
    """A two-person motion whose rotations oscillate at an action-specific frequency."""
    t = np.arange(frames)[:, None, None] / 30.0
    phase = rng.uniform(0, 2 * np.pi, size=(1, 56, 6))
    amplitude = 0.2 + 0.05 * (action % 4)
    motion = amplitude * np.sin(2 * np.pi * (0.5 + 0.4 * action) * t + phase) + rng.normal(0, 0.01, (frames, 56, 6))
    motion[:, 55, :] = 0.2 * t[:, 0] * np.array([1, 0, 0, -1, 0, 0]) * (1 + action % 3)
    motion[:, 55, 1] += 1.0
    motion[:, 55, 4] += 1.0
    return motion.astype(np.float32)


def _make_texts(rng: np.random.Generator, action: int) -> list[ProcessedText]:
    word = ACTION_WORDS[action % len(ACTION_WORDS)]
    lines = []
    for k in range(3):
        tokens = ["the/DET", "person/NOUN", f"{word}/VERB"] + (["slowly/ADV"] if k == 1 else []) + \
                 ["the/DET", "other/ADJ", "one/NOUN"]
        lines.append(ProcessedText(" ".join(t.split("/")[0] for t in tokens), tuple(tokens)))
    return lines


def _make_release(root: Path, per_split: dict[str, int], actions: int = 8, vocab_dim: int = 300,
                 seed: int = 0, frames: tuple[int, int] = (40, 200)) -> Path:
    """A processed release with `per_split[split]` sequences, the actions cycling through `actions`."""
    rng = np.random.default_rng(seed)
    motions, texts, index = {}, {}, 0
    for split, count in per_split.items():
        motions[split] = {}
        for k in range(count):
            action = k % actions
            seq_id = _sequence_id(index, action)
            index += 1
            motions[split][seq_id] = _make_motion(rng, action, int(rng.integers(*frames)))
            texts[seq_id] = _make_texts(rng, action)
    write_processed_release(root, motions, texts, _make_vocab(vocab_dim, seed))
    return root


@pytest.fixture(scope="session")
def make_release():
    """`make(root, per_split, ...)` writes a small processed release (see `_make_release`)."""
    return _make_release


@pytest.fixture(scope="session")
def make_motion():
    return _make_motion


@pytest.fixture(scope="session")
def make_vocab():
    return _make_vocab
