"""Small motion sources of every kind, built from the session's example release."""

from __future__ import annotations

import numpy as np
import pytest

from interx.body.fk import pose_from_params
from interx.data.processed import ProcessedText, write_h5_motions, write_processed_texts
from interx.data.raw import RawRelease


def processed_array(interaction, step: int = 4) -> np.ndarray:
    """[T, 56, 6] of an interaction (every `step`-th frame): P1 in [..., 0:3], P2 in [..., 3:6]."""
    halves = []
    for person in interaction.persons:
        pose = pose_from_params(person.root_orient, person.pose_body, person.pose_lhand, person.pose_rhand)
        halves.append(np.concatenate([pose, person.trans[:, None, :]], axis=1)[::step])
    return np.concatenate(halves, axis=2).astype(np.float32)


@pytest.fixture(scope="session")
def example_ids(example_root) -> list[str]:
    with RawRelease(example_root) as release:
        return release.ids()


@pytest.fixture(scope="session")
def processed_root(tmp_path_factory, example_interactions):
    """A processed-layout folder: motions/test.h5 with 3 ids, and their texts_processed."""
    root = tmp_path_factory.mktemp("processed")
    chosen = example_interactions[:3]
    write_h5_motions(root / "motions" / "test.h5", {i.id: processed_array(i) for i in chosen})
    for interaction in chosen:
        write_processed_texts(root / "texts_processed" / f"{interaction.id}.txt",
                              [ProcessedText(t) for t in interaction.texts])
    return root


@pytest.fixture(scope="session")
def generated_h5(tmp_path_factory, example_interactions):
    """A generated file with a sample axis: [S=2, T, 56, 6] per id, the second sample shifted 1 m in X."""
    path = tmp_path_factory.mktemp("generated") / "samples.h5"
    import h5py

    with h5py.File(path, "w") as h5:
        for interaction in example_interactions[:2]:
            first = processed_array(interaction)
            second = first.copy()
            second[:, 55, 0] += 1.0
            second[:, 55, 3] += 1.0
            h5.create_dataset(interaction.id, data=np.stack([first, second]))
    return path
