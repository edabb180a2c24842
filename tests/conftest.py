"""Shared fixtures: the example raw release (folder and zips) and a prepared 6-sequence folder,
written once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interx.data.example import write_example_release
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
