"""Rendered pictures show what they should: persons in their colours where they
stand, the floor under them, the right number and size of frames."""

from __future__ import annotations

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from interx.body.fk import forward_kinematics
from interx.body.skeleton import JOINT_INDEX
from interx.viz import raster
from interx.viz.render import RenderOptions, make_panels, render
from interx.viz.sources import SMPLX_BONES, Clip, Labels, PersonPose

REST_HEIGHT = 1.28  # trans Y that puts the rest pose's feet on the floor


def standing_pair(frames: int = 12, actor: int | None = 0) -> Clip:
    """Two rest-pose bodies, P1 at x = -0.8 m and P2 at x = +0.8 m, arms slowly lowering."""
    pose = np.zeros((2, frames, 55, 3), np.float32)
    pose[:, :, JOINT_INDEX["left_shoulder"], 2] = -np.linspace(0, 1.0, frames)
    pose[:, :, JOINT_INDEX["right_shoulder"], 2] = np.linspace(0, 1.0, frames)
    trans = np.zeros((2, frames, 3), np.float32)
    trans[0, :, 0], trans[1, :, 0] = -0.8, 0.8
    trans[..., 1] = REST_HEIGHT
    joints = forward_kinematics(pose, trans)
    poses = [PersonPose(pose[p], trans[p]) for p in range(2)]
    labels = Labels(id="G001T000A000R000", action="Hug", texts=["two people stand apart"], actor=actor)
    return Clip(labels, joints.astype(np.float32), SMPLX_BONES, 30.0, poses, "test")


def _near(image: np.ndarray, uv, colour, radius: int = 3) -> bool:
    u, v = int(round(uv[0])), int(round(uv[1]))
    patch = image[max(v - radius, 0):v + radius + 1, max(u - radius, 0):u + radius + 1].reshape(-1, 3)
    return bool(np.any(np.all(patch == np.asarray(colour, np.uint8), axis=1)))


def _decode_mp4(path) -> tuple[tuple[int, int], int]:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    return tuple(meta["size"]), sum(1 for _ in reader)


def _decode_gif(path) -> tuple[tuple[int, int], int]:
    with Image.open(path) as gif:
        return gif.size, gif.n_frames


def test_each_person_is_drawn_in_its_colour_where_it_stands():
    clip = standing_pair()
    panel = make_panels([clip], RenderOptions(width=320, height=240))[0]
    image = panel.frames(np.array([0]))[0]
    for person, colour in enumerate(raster.PERSON_COLOURS):  # actor = P1 gets the first colour
        for joint in ("spine2", "left_knee", "head"):
            uv, _ = panel.camera.project(clip.joints[person, :1, [JOINT_INDEX[joint]]])
            assert _near(image, uv[0, 0], colour), f"person {person} colour missing at its {joint}"
            assert not _near(image, uv[0, 0], raster.PERSON_COLOURS[1 - person], radius=1)
    # front view: the pair side by side, P1 (x = -0.8) on the left
    left = panel.camera.project(clip.joints[0, :1, :1])[0][0, 0, 0]
    right = panel.camera.project(clip.joints[1, :1, :1])[0][0, 0, 0]
    assert left < 160 < right


def test_colours_follow_the_actor_not_the_file_order():
    clip = standing_pair(actor=1)
    panel = make_panels([clip], RenderOptions(width=320, height=240))[0]
    image = panel.frames(np.array([0]))[0]
    uv, _ = panel.camera.project(clip.joints[1, :1, [JOINT_INDEX["spine2"]]])
    assert _near(image, uv[0, 0], raster.PERSON_COLOURS[0])  # P2 acts: the actor's colour
    assert panel.legend[0] == ("reactor (P1)", raster.PERSON_COLOURS[1])


def test_floor_is_below_the_persons_and_sky_above():
    clip = standing_pair()
    panel = make_panels([clip], RenderOptions(width=320, height=240))[0]
    image = panel.frames(np.array([0]))[0]
    floor_colours = {raster.FLOOR, raster.GRID}
    for person in range(2):
        foot = clip.joints[person, 0, JOINT_INDEX["left_foot"]].copy()
        below = np.array([foot[0] / 2, clip.joints[..., 1].min(), foot[2] - 0.3])  # floor beside, behind the foot
        u, v = panel.camera.project(below[None, None])[0][0, 0]
        assert tuple(image[int(v), int(u)]) in floor_colours
        head_v = panel.camera.project(clip.joints[person, :1, [JOINT_INDEX["head"]]])[0][0, 0, 1]
        assert v > head_v  # image rows grow downwards: the floor is under the head
        sky = clip.joints[person, 0, JOINT_INDEX["head"]] + np.array([0.0, 0.4, 0.0])
        u, v = panel.camera.project(sky[None, None])[0][0, 0]
        assert tuple(image[int(v), int(u)]) == raster.BACKGROUND


def test_mesh_covers_the_body_in_the_persons_hue():
    clip = standing_pair(frames=2)
    panel = make_panels([clip], RenderOptions(width=320, height=240, mesh=True))[0]
    image = panel.frames(np.array([0]))[0].astype(int)
    for person in range(2):
        uv, _ = panel.camera.project(clip.joints[person, :1, [JOINT_INDEX["spine1"]]])
        r, _, b = image[int(uv[0, 0, 1]), int(uv[0, 0, 0])]
        assert (r > b + 60) if person == 0 else (b > r + 60)  # orange actor, blue reactor


def test_gif_and_mp4_decode_to_the_size_and_frame_count(tmp_path):
    clip = standing_pair(frames=20)
    options = RenderOptions(width=160, height=120)
    render([clip], tmp_path / "a.gif", options)
    render([clip], tmp_path / "a.mp4", options)
    assert _decode_gif(tmp_path / "a.gif") == ((160, 120), 20)
    assert _decode_mp4(tmp_path / "a.mp4") == ((160, 120), 20)


def test_a_longer_clip_gives_more_frames_and_odd_sizes_become_even(tmp_path):
    render([standing_pair(frames=45)], tmp_path / "long.mp4", RenderOptions(width=161, height=121))
    assert _decode_mp4(tmp_path / "long.mp4") == ((162, 122), 45)


def test_compare_doubles_the_width_on_the_longer_time_axis(tmp_path):
    options = RenderOptions(width=160, height=120)
    render([standing_pair(frames=10), standing_pair(frames=16)], tmp_path / "cmp.mp4", options)
    assert _decode_mp4(tmp_path / "cmp.mp4") == ((320, 120), 16)


def _runs(mask: np.ndarray) -> int:
    """Number of runs of True in a 1-D mask."""
    return int(np.sum(mask[1:] & ~mask[:-1]) + mask[0])


def test_contact_sheet_has_the_grid_asked_for(tmp_path):
    out = render([standing_pair(frames=30)], tmp_path / "sheet.png", RenderOptions(width=120, height=90, rows=2,
                                                                                  cols=3))
    sheet = np.asarray(Image.open(out).convert("RGB"))
    white = np.all(sheet == 255, axis=2)
    body = sheet[~white.all(axis=1)]
    # below the header, stills are separated by white gaps
    cells = ~white[-100:].all(axis=0)
    assert _runs(cells) == 3
    rows_with_cells = ~white[:, 10:40].all(axis=1)
    assert _runs(rows_with_cells) == 3  # the header band and two rows of stills
    assert body.shape[0] > 2 * 90


@pytest.mark.parametrize("view", ["front", "side", "top", "orbit"])
def test_every_view_shows_both_persons(view):
    clip = standing_pair(frames=8)
    panel = make_panels([clip], RenderOptions(width=200, height=150, view=view))[0]
    for frame, image in enumerate(panel.frames(np.arange(8))):
        for colour in raster.PERSON_COLOURS:
            assert np.all(image == np.asarray(colour, np.uint8), axis=2).sum() > 20, (view, frame)


def test_orbit_moves_the_camera_and_front_does_not():
    clip = standing_pair(frames=8)
    orbit = make_panels([clip], RenderOptions(width=200, height=150, view="orbit"))[0].camera
    front = make_panels([clip], RenderOptions(width=200, height=150, view="front"))[0].camera
    assert len(front.position) == 1
    assert np.linalg.norm(orbit.position[0] - orbit.position[4]) > 0.5


def test_mp4_keeps_the_colours(tmp_path):
    clip = standing_pair(frames=4)
    options = RenderOptions(width=160, height=120)
    drawn = make_panels([clip], options)[0].frames(np.arange(4))
    render([clip], tmp_path / "c.mp4", options)
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "c.mp4"))
    next(reader)
    decoded = np.frombuffer(next(reader), np.uint8).reshape(120, 160, 3).astype(int)
    assert np.abs(decoded - drawn[0]).mean() < 4  # flat areas match; edges blur a little
    background = np.all(drawn[0] == raster.BACKGROUND, axis=2)
    # chroma is stored at half resolution: look away from the edges, where colours bleed
    inner = background.copy()
    for axis in (0, 1):
        for shift in (-2, -1, 1, 2):
            inner &= np.roll(background, shift, axis=axis)
    assert inner.sum() > 1000
    error = np.abs(decoded[inner] - raster.BACKGROUND)
    assert error.mean() < 2.5 and np.percentile(error, 99) < 10  # H.264 rings a little around text
