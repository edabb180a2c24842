"""Motion layouts: exact round trips, placement in the processed frame, differentiable joints."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from interx.data.processed import H5Motions
from interx.models.layout import LAYOUTS, get_layout, heading_of, move_motion, pair_joints, to_processed_frame
from interx.models.pair_input import body_joints


@pytest.fixture(scope="module")
def motion(prepared6):
    with H5Motions(prepared6 / "motions" / "train.h5") as motions:
        return motions.read(motions.ids()[0])


@pytest.mark.parametrize("name", LAYOUTS)
def test_encode_then_decode_gives_the_motion_back(motion, name):
    layout = get_layout(name)
    vectors, place = layout.encode(motion)
    assert vectors.shape == (layout.frames(len(motion)), 2, layout.dim) and vectors.dtype == np.float32
    back = move_motion(layout.decode(vectors), place.rotation, place.offset)
    n = len(back)
    np.testing.assert_allclose(pair_joints(back), pair_joints(motion[:n]), atol=1e-5)
    np.testing.assert_allclose(back[:, 25:55], motion[:n, 25:55], atol=1e-5)  # the fingers


@pytest.mark.parametrize("name", LAYOUTS)
def test_vectors_are_canonical_whatever_the_scene_faces(motion, name):
    layout = get_layout(name)
    turn = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]])  # 90 degrees about +Y
    moved = move_motion(motion, turn, np.array([2.0, 0.0, -1.0]))
    np.testing.assert_allclose(layout.encode(moved)[0], layout.encode(motion)[0], atol=2e-4)


@pytest.mark.parametrize("name", LAYOUTS)
def test_positions_are_the_joints_of_the_vectors(motion, name):
    layout = get_layout(name)
    vectors, _ = layout.encode(motion)
    joints = layout.positions(torch.from_numpy(vectors[:10]).double().requires_grad_())
    expected = pair_joints(layout.decode(vectors[:10]))[:, :, :22]
    np.testing.assert_allclose(joints.detach().numpy(), expected, atol=1e-5)
    joints.sum().backward()  # differentiable


@pytest.mark.parametrize("name", LAYOUTS)
def test_the_root_track_frame_round_trips_and_puts_the_root_at_the_origin_facing_forward(motion, name):
    layout = get_layout(name)
    vectors = torch.from_numpy(layout.encode(motion)[0]).double()
    track = layout.track(vectors)
    assert track.shape == (len(vectors), 2, 4)
    assert torch.allclose(track[..., 2:].norm(dim=-1), torch.ones(()).double())
    # canonical: P1 starts at the origin facing +Z (smplx tracks the translation and the root's own axis, which
    # sit centimetres and degrees off the pelvis and hip line the canonical frame is made from)
    assert torch.allclose(track[0, 0], torch.tensor([0.0, 0.0, 1.0, 0.0]).double(), atol=0.05)
    assert abs(float(track[0, 1, 2])) > 0.5  # P2 faces P1 along Z, a metre or so away
    relative = layout.relative_to(vectors, track)
    assert torch.allclose(layout.track(relative), torch.tensor([0.0, 0.0, 1.0, 0.0]).double().expand_as(track),
                          atol=1e-6)
    torch.testing.assert_close(layout.absolute(relative, track), vectors, atol=1e-6, rtol=0)
    # the joints follow the track: moved a metre along X, turned a quarter, the root comes out there
    turned = track.clone()
    turned[..., 0] += 1.0
    turned[..., 2:] = torch.tensor([0.0, 1.0]).double()  # facing +X
    joints = layout.positions(layout.absolute(relative, turned))
    offset = joints[..., 0, [0, 2]] - turned[..., :2]  # smplx tracks the translation: the pelvis sits a fixed cm off
    assert offset.abs().max() < 0.05 and torch.allclose(offset, offset[:1], atol=1e-6)
    assert torch.allclose(layout.track(layout.absolute(relative, turned)), turned, atol=1e-6)


def test_processed_frame_is_the_release_convention(motion):
    canonical = get_layout("joints").decode(get_layout("joints").encode(motion)[0])
    placed = to_processed_frame(canonical, heading_of(motion))
    assert np.array_equal(placed[0, 55, 0:3], np.zeros(3, np.float32))  # P1's first translation taken off
    joints = body_joints(placed)
    lowest = joints[..., 1].min(axis=(0, 2))  # each person grounded, then shifted by the same P1 offset
    assert lowest[0] == pytest.approx(lowest[1], abs=1e-5)
    # with the scene's own heading the release's motion comes back
    np.testing.assert_allclose(joints, body_joints(motion[:len(placed)]), atol=1e-4)
    assert heading_of(to_processed_frame(canonical, 1.0)) == pytest.approx(1.0, abs=1e-5)


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError, match="layout must be one of joints, smplx"):
        get_layout("bvh")
