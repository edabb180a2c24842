"""Marker fitting: known parameters come back, gaps are handled, bad files get clear errors."""

import numpy as np
import pytest
from typer.testing import CliRunner

from interx.body.fk import forward_kinematics, pose_from_params
from interx.cli import app
from interx.data.motion import read_motion_npz
from interx.errors import FormatError
from interx.fit.solver import fit_markers, smooth_tracks
from interx.synth.markers import MARKER_OFFSETS, markers_from_body

KEEP = [j for j in range(55) if j not in (22, 23, 24)]


def known_person(frames=48, seed=0):
    """A body with mild random poses that change smoothly, its markers and its joints."""
    rng = np.random.default_rng(seed)
    pose = np.zeros((frames, 55, 3))
    pose[:, 1:22] = (rng.normal(0, 0.25, (1, 21, 3))
                     + np.linspace(0, 1, frames)[:, None, None] * rng.normal(0, 0.2, (1, 21, 3)))
    pose[:, 16], pose[:, 17] = (0, 0, -1.0), (0, 0, 1.0)
    pose[:, 0] = (0, 0.7, 0)
    trans = np.stack([np.linspace(0, 0.5, frames), np.full(frames, 1.2), np.zeros(frames)], axis=1)
    betas = rng.normal(0, 0.5, 10)
    joints, rots = forward_kinematics(pose, trans, betas, return_rotations=True)
    return markers_from_body(joints, rots).astype(np.float64), joints


def joints_of(motion):
    pose = pose_from_params(motion.root_orient, motion.pose_body, motion.pose_lhand, motion.pose_rhand)
    return forward_kinematics(pose.astype(np.float64), motion.trans.astype(np.float64), motion.betas)


def test_a_fit_of_known_parameters_recovers_the_joints():
    markers, truth = known_person()
    result = fit_markers(markers)
    error = np.linalg.norm(joints_of(result.motion)[:, KEEP] - truth[:, KEEP], axis=-1).mean()
    assert error < 0.006  # metres
    assert result.residual_mm < 4 and result.missing_rows == []
    assert result.motion.pose_body.shape == (48, 21, 3) and result.motion.betas.shape == (10,)


def test_gaps_are_fitted_from_the_markers_that_remain_and_absent_rows_are_reported():
    markers, truth = known_person(seed=1)
    rng = np.random.default_rng(2)
    markers[rng.random(markers.shape[:2]) < 0.1] = np.nan
    markers[:, 60] = 0.0  # one row never captured
    result = fit_markers(markers)
    assert result.missing_rows == [60]
    error = np.linalg.norm(joints_of(result.motion)[:, KEEP] - truth[:, KEEP], axis=-1).mean()
    assert error < 0.01


def test_noisy_markers_with_gaps_are_fitted_within_a_centimetre():
    markers, truth = known_person(frames=120, seed=5)
    rng = np.random.default_rng(5)
    noisy = markers + rng.normal(0, 0.005, markers.shape)
    noisy[rng.random(markers.shape[:2]) < 0.1] = np.nan
    result = fit_markers(noisy)
    error = np.linalg.norm(joints_of(result.motion)[:, KEEP] - truth[:, KEEP], axis=-1).mean()
    assert error < 0.008


def test_the_fit_refines_a_layout_known_only_roughly():
    markers, truth = known_person(frames=120, seed=5)
    rough = MARKER_OFFSETS + np.random.default_rng(6).normal(0, 0.004, MARKER_OFFSETS.shape)
    result = fit_markers(markers, layout_offsets=rough)
    error = np.linalg.norm(joints_of(result.motion)[:, KEEP] - truth[:, KEEP], axis=-1).mean()
    assert error < 0.012
    with pytest.raises(ValueError, match="layout offsets"):
        fit_markers(markers, layout_offsets=np.zeros((63, 3)))


def test_bad_marker_files_get_errors_naming_them(tmp_path):
    with pytest.raises(FormatError, match="(T, 64, 3)"):
        fit_markers(np.zeros((10, 63, 3)), name="x.npy")
    with pytest.raises(FormatError, match="finite, non-zero"):
        fit_markers(np.full((10, 64, 3), np.nan), name="x.npy")
    bad = tmp_path / "P1.npy"
    np.save(bad, np.zeros((5, 12)))
    result = CliRunner().invoke(app, ["fit", str(bad), str(tmp_path / "out.npz")])
    assert result.exit_code == 2 and "P1.npy" in result.output


def test_fit_writes_a_release_motion_that_interx_check_reads(tmp_path):
    markers, _ = known_person(frames=24, seed=3)
    folder = tmp_path / "skeletons" / "G001T000A000R000"
    folder.mkdir(parents=True)
    np.save(folder / "P1.npy", markers.astype(np.float32))
    np.save(folder / "P2.npy", known_person(frames=24, seed=4)[0].astype(np.float32))
    result = CliRunner().invoke(app, ["fit", str(folder), str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    motion = read_motion_npz(tmp_path / "out" / "motions" / "G001T000A000R000" / "P2.npz")
    assert motion.num_frames == 24 and motion.pose_lhand.shape == (24, 15, 3)
    assert np.isfinite(motion.trans).all()


def test_marker_tracks_are_low_passed_where_present_and_gaps_stay_gaps():
    frames = np.arange(200, dtype=np.float64)
    markers = np.zeros((200, 64, 3))
    markers[:, 0] = np.stack([0.01 * frames, np.full(200, 1.0), np.zeros(200)], axis=1)  # uniform walk
    mask = np.zeros((200, 64), dtype=bool)
    mask[:, 0] = True
    mask[50:60, 0] = False
    noisy = markers + np.random.default_rng(0).normal(0, 0.005, markers.shape) * mask[..., None]
    smoothed = smooth_tracks(noisy * mask[..., None], mask, 2.0)
    assert (smoothed[50:60, 0] == 0).all() and (smoothed[:, 1:] == 0).all()
    inner = np.r_[10:45, 65:190]
    before = np.linalg.norm(noisy[inner, 0] - markers[inner, 0], axis=-1).mean()
    after = np.linalg.norm(smoothed[inner, 0] - markers[inner, 0], axis=-1).mean()
    assert after < 0.5 * before
