"""Fixtures for `interx prepare`: a 6-sequence raw release and its prepared folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from interx.data.raw import RawRelease, write_raw_release
from interx.prepare.run import PrepareOptions, prepare


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
