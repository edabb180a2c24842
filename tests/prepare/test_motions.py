"""The processed [T, 56, 6] motions against the official recipe, computed step by step here."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest
import torch

from interx.body.fk import forward_kinematics_torch
from interx.data.annotations import read_interaction_order
from interx.prepare.motions import frame_step
from interx.prepare.run import PrepareOptions, prepare


def official_recipe(raw, seq_id: str) -> np.ndarray:
    """docs/format.md's five steps, plainly, with one body-model call per frame."""
    persons = []
    for name in ("P1", "P2"):
        with np.load(raw / "motions" / seq_id / f"{name}.npz") as npz:
            keys = {k: npz[k][::4] for k in ("root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans")}
        frames = keys["trans"].shape[0]
        rows = np.concatenate([
            keys["root_orient"].reshape(frames, 1, 3),
            keys["pose_body"].reshape(frames, 21, 3),
            np.zeros((frames, 3, 3), dtype=np.float32),
            keys["pose_lhand"].reshape(frames, 15, 3),
            keys["pose_rhand"].reshape(frames, 15, 3),
        ], axis=1)
        trans = keys["trans"].astype(np.float64)
        lowest = np.inf
        for t in range(frames):  # neutral body (betas = 0), frame by frame
            joints = forward_kinematics_torch(torch.tensor(rows[t], dtype=torch.float64),
                                              torch.tensor(trans[t]), None)
            lowest = min(lowest, float(joints[:, 1].min()))
        trans[:, 1] -= lowest
        persons.append((rows, trans))
    origin = persons[0][1][0].copy()
    halves = [np.concatenate([rows, (trans - origin)[:, None, :]], axis=1) for rows, trans in persons]
    return np.concatenate(halves, axis=-1).astype(np.float32)


def test_motions_match_the_official_recipe(raw6, prepared6):
    checked = 0
    for split in ("train", "test"):
        with h5py.File(prepared6 / "motions" / f"{split}.h5", "r") as h5:
            for seq_id in h5:
                ours = h5[seq_id][()]
                assert ours.dtype == np.float32 and ours.shape[1:] == (56, 6)
                np.testing.assert_allclose(ours, official_recipe(raw6, seq_id), atol=2e-5, rtol=0)
                checked += 1
    assert checked == 6


def test_every_split_holds_its_ids(prepared6):
    with (h5py.File(prepared6 / "motions" / "train.h5", "r") as train,
          h5py.File(prepared6 / "motions" / "test.h5", "r") as test):
        assert sorted(train) == ["G001T006A032R015", "G002T001A005R001", "G003T001A006R008", "G059T004A028R021"]
        assert sorted(test) == ["G003T000A003R020", "G058T000A002R014"]
    with h5py.File(prepared6 / "motions" / "val.h5", "r") as val:  # no val id in this release: an empty file
        assert len(val) == 0


def test_reaction_puts_the_reactor_first(raw6, prepared6, tmp_path):
    out = tmp_path / "reaction"
    report = prepare(raw6, out, PrepareOptions(reaction=True, features=False), splits=("train",), texts=False)
    assert report.ok
    order = read_interaction_order(raw6 / "annots" / "interaction_order.pkl")
    with (h5py.File(out / "motions" / "train.h5", "r") as react,
          h5py.File(prepared6 / "motions" / "train.h5", "r") as plain):
        assert {order[i] for i in react} == {0, 1}  # both cases are exercised
        for seq_id in react:
            p1, p2 = plain[seq_id][..., :3], plain[seq_id][..., 3:]
            expected = np.concatenate([p2, p1] if order[seq_id] == 0 else [p1, p2], axis=-1)
            np.testing.assert_array_equal(react[seq_id][()], expected)


def test_fps_option_changes_the_frame_step(raw6, tmp_path):
    out = tmp_path / "fps60"
    prepare(raw6, out, PrepareOptions(fps=60, features=False), splits=("test",), texts=False)
    with h5py.File(out / "motions" / "test.h5", "r") as h5:
        for seq_id in h5:
            with np.load(raw6 / "motions" / seq_id / "P1.npz") as npz:
                assert h5[seq_id].shape[0] == len(npz["trans"][::2])
    with pytest.raises(ValueError, match="must divide 120"):
        frame_step(25)


def test_smplx_model_option_uses_the_exact_body(raw6, prepared6, tmp_path):
    """A fake SMPL-X file with our skeleton (tests/body): exact joints must give the same output."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("body_model_tests",
                                                  Path(__file__).parents[1] / "body" / "test_body_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    models = tmp_path / "models"
    models.mkdir()
    module.write_fake_smplx(models / "SMPLX_NEUTRAL.npz")
    out = tmp_path / "exact"
    report = prepare(raw6, out, PrepareOptions(smplx_model=str(models)), splits=("test",), texts=False)
    assert report.ok
    for folder in ("motions", "features"):
        with h5py.File(out / folder / "test.h5", "r") as exact, h5py.File(prepared6 / folder / "test.h5", "r") as ours:
            assert sorted(exact) == sorted(ours)
            for seq_id in exact:
                np.testing.assert_allclose(exact[seq_id][()], ours[seq_id][()], atol=1e-4)
