"""The recognizer's input pipeline, its symmetry in the persons, and its checkpoints."""

import numpy as np
import pytest
import torch

from interx.errors import FormatError, InterXError
from interx.models.pair_input import VIEW_SIZE, mirror_joints, mirror_views, pair_views
from interx.models.recognizer import Recognizer, RecognizerConfig, load_recognizer, save_recognizer
from interx.train.recognizer import AugmentedPairs, PairClips, RecognizerTraining


def scene(seed=0, frames=50):
    """Two persons' 22 joints: a body-like cloud each, facing each other 1.2 m apart, moving a little."""
    rng = np.random.default_rng(seed)
    body = rng.normal(0, 0.2, (22, 3)) + [0, 1.0, 0]
    body[1], body[2] = [0.1, 0.9, 0.0], [-0.1, 0.9, 0.0]  # left and right hips: facing +Z
    drift = np.cumsum(rng.normal(0, 0.01, (frames, 2, 22, 3)), axis=0)
    first = body
    second = body * [-1, 1, -1] + [0.3, 0, 1.2]  # turned to face the first
    return (np.stack([first, second])[None] + drift).astype(np.float32)


def turn(joints, angle, shift):
    c, s = np.cos(angle), np.sin(angle)
    rotation = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float32)
    return joints @ rotation.T + np.asarray(shift, np.float32)


def test_views_do_not_change_when_the_scene_turns_about_the_vertical_or_moves_on_the_floor():
    joints = scene()
    views = pair_views(joints)
    assert views.shape == (2, 64, VIEW_SIZE)
    moved = pair_views(turn(joints, 2.1, [3.0, 0.0, -1.5]))
    np.testing.assert_allclose(moved, views, atol=2e-4)
    lifted = pair_views(turn(joints, 0.0, [0.0, 0.5, 0.0]))
    assert not np.allclose(lifted, views, atol=1e-2)  # height above the floor is information


def test_swapping_persons_swaps_views_and_mirroring_matches_the_mirrored_scene():
    joints = scene(1)
    views = pair_views(joints)
    np.testing.assert_array_equal(pair_views(joints[:, ::-1]), views[::-1])
    np.testing.assert_allclose(pair_views(mirror_joints(joints)), mirror_views(views), atol=2e-4)
    assert not np.allclose(mirror_views(views), views, atol=1e-2)


@pytest.mark.parametrize("task", ["action", "order", "familiarity", "personality"])
def test_pair_heads_ignore_a_swap_and_person_heads_follow_it(task):
    torch.manual_seed(0)
    model = Recognizer(RecognizerConfig(task=task, width=32, layers=2, heads=2)).eval()
    views = torch.as_tensor(np.stack([pair_views(scene(s)) for s in range(3)]))
    out, swapped = model(views), model(views.flip(1))
    if task in ("action", "familiarity"):
        assert out.shape == (3, 40 if task == "action" else 4)
        torch.testing.assert_close(swapped, out, atol=1e-4, rtol=1e-4)
    else:
        assert out.shape == ((3, 2) if task == "order" else (3, 2, 5))
        torch.testing.assert_close(swapped, out.flip(1), atol=1e-4, rtol=1e-4)
        assert not torch.allclose(out[:, 0], out[:, 1], atol=1e-4)


def test_a_swap_in_training_flips_the_order_label_and_the_big_five_rows():
    views = np.stack([pair_views(scene(s)) for s in range(2)])
    always_swap = RecognizerTraining(swap=1.0, mirror=0.0, turn_degrees=0.0)
    order = AugmentedPairs(PairClips(["a", "b"], views, np.array([0, 1])), "order", always_swap)
    x, y = order[0]
    np.testing.assert_array_equal(x.numpy(), views[0][::-1])
    assert int(y) == 1 and int(order[1][1]) == 0
    traits = np.arange(20, dtype=np.float32).reshape(2, 2, 5)
    _, y = AugmentedPairs(PairClips(["a", "b"], views, traits), "personality", always_swap)[1]
    np.testing.assert_array_equal(y.numpy(), traits[1][::-1])
    never = RecognizerTraining(swap=0.0, mirror=0.0, turn_degrees=0.0)
    _, y = AugmentedPairs(PairClips(["a", "b"], views, np.array([0, 1])), "action", always_swap)[1]
    assert int(y) == 1  # the action does not depend on the order
    x, y = AugmentedPairs(PairClips(["a", "b"], views, np.array([0, 1])), "order", never)[0]
    np.testing.assert_array_equal(x.numpy(), views[0])


def test_save_load_gives_the_same_outputs_and_another_task_is_refused(tmp_path):
    torch.manual_seed(0)
    model = Recognizer(RecognizerConfig(task="personality", width=32, layers=1, heads=2))
    mean, std = np.zeros(VIEW_SIZE), np.ones(VIEW_SIZE)
    path = save_recognizer(tmp_path / "rec", model, mean, std, np.full(5, 30.0), np.full(5, 5.0))
    loaded = load_recognizer(path, "personality")
    views = np.stack([pair_views(scene(s)) for s in range(2)])
    expected = model.eval()(torch.as_tensor(views)).detach().numpy() * 5.0 + 30.0
    np.testing.assert_allclose(loaded.outputs(views), expected, atol=1e-5)
    with pytest.raises(InterXError, match="recognizer for personality, not action"):
        load_recognizer(path, "action")
    path.with_suffix(".json").write_text('{"kind": "interx-generator", "version": 2}')
    with pytest.raises(FormatError, match="interx-recognizer"):
        load_recognizer(path)
