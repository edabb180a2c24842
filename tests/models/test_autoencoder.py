"""The motion autoencoder of latent generators: shapes, padding, latent masks, and that it learns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from interx.data.processed import H5Motions
from interx.models.autoencoder import (
    AutoencoderConfig,
    LatentCodec,
    MotionAutoencoder,
    edge_padded,
    latent_known,
    latent_mask,
    track_curve,
)
from interx.models.layout import get_layout
from interx.train.autoencoder import AutoencoderModule, ClipWindows, latent_codec, relative_statistics

SMALL = AutoencoderConfig(motion_dim=442, latent=8, width=32, window=16)


@pytest.fixture(scope="module")
def motion_vectors(prepared6):
    """A real motion's layout vectors `(T, 2, 442)` (float32, not normalized)."""
    with H5Motions(prepared6 / "motions" / "train.h5") as motions:
        return torch.from_numpy(get_layout("joints").encode(motions.read(motions.ids()[0]))[0])


def test_shapes_and_a_length_not_a_multiple_of_four_is_refused():
    model = MotionAutoencoder(SMALL).eval()
    x = torch.randn(3, 20, 2, 442)
    z = model.encode(x)
    assert z.shape == (3, 5, 2, 8 + 4) and SMALL.code_dim == 12  # the learned code, then the root track
    assert model.decode(z).shape == x.shape
    untracked = replace(SMALL, track=False)
    assert MotionAutoencoder(untracked).encode(x).shape == (3, 5, 2, 8) and untracked.code_dim == 8
    assert AutoencoderConfig.from_dict({k: v for k, v in SMALL.to_dict().items() if k != "track"}) == untracked
    with pytest.raises(ValueError, match="not a multiple of 4"):
        model.encode(x[:, :18])
    with pytest.raises(ValueError, match="window must be a multiple"):
        AutoencoderConfig(window=18)


def test_placement_rides_in_the_track_uncompressed(motion_vectors):
    """A person's root track is the mean of each step's frames, and the decoder puts the person exactly where
    a (changed) track says: a generator that moves a track moves the person, and nothing else changes."""
    torch.manual_seed(0)
    stats = {"mean": torch.zeros(2, 442), "std": torch.ones(2, 442)}
    model = MotionAutoencoder(SMALL, "joints", stats).eval()
    x = motion_vectors[None, :32]
    code = model.encode(x)
    expected = get_layout("joints").track(x).unflatten(1, (8, 4)).mean(2)
    torch.testing.assert_close(code[0, ..., 8:10], expected[0, ..., :2], atol=1e-5, rtol=0)
    moved = code.clone()
    moved[..., 8] += 2.0  # two metres along X
    joints = get_layout("joints").positions(model.decode(moved))
    shift = joints - get_layout("joints").positions(model.decode(code))
    torch.testing.assert_close(shift[..., 0], torch.full_like(shift[..., 0], 2.0), atol=1e-4, rtol=0)
    assert shift[..., 1:].abs().max() < 1e-4


def test_track_curve_is_smooth_and_passes_through_steady_steps():
    steps = torch.zeros(1, 10, 2, 4)
    steps[..., 2] = 1.0
    steps[0, :, :, 0] = torch.arange(10.0)[:, None]  # one metre per step along X
    curve = track_curve(steps)
    assert curve.shape == (1, 40, 2, 4)
    inner = curve[0, 12:28, 0, 0]
    torch.testing.assert_close(inner.diff(), torch.full((15,), 0.25), atol=1e-4, rtol=0)  # a steady walk
    steps[0, 5:, :, 0] = 5.0  # a stop: the curve bends without a kink
    acceleration = track_curve(steps)[0, :, 0, 0].diff(n=2)
    assert acceleration.abs().max() < 0.25 / 2


def test_persons_go_through_the_same_weights_with_their_own_flag():
    torch.manual_seed(0)
    model = MotionAutoencoder(SMALL).eval()
    x = torch.randn(1, 16, 2, 442)
    z = model.encode(x)
    swapped = model.encode(x.flip(2))
    assert not torch.allclose(z.flip(2), swapped, atol=1e-4)  # the flag tells person 0 from person 1
    same = torch.randn(1, 16, 1, 442).expand(1, 16, 2, 442)
    both = model.encode(same)
    assert not torch.allclose(both[:, :, 0], both[:, :, 1], atol=1e-4)


def test_padding_past_a_clip_does_not_reach_its_latents():
    torch.manual_seed(0)
    codec = LatentCodec(MotionAutoencoder(SMALL), torch.zeros(2, 12), torch.ones(2, 12))
    x = torch.randn(2, 32, 2, 442)
    lengths = torch.tensor([32, 13])
    garbage = x.clone()
    garbage[1, 13:] = 50.0
    assert torch.equal(codec.encode(x, lengths), codec.encode(garbage, lengths))
    padded = edge_padded(x, lengths)
    assert torch.equal(padded[1, 13:], x[1, 12:13].expand(19, 2, 442)) and torch.equal(padded[0], x[0])


def test_latent_masks():
    mask = torch.zeros(1, 12, dtype=torch.bool)
    mask[0, :5] = True
    assert latent_mask(mask).tolist() == [[True, True, False]]
    known = torch.zeros(1, 12, 2, dtype=torch.bool)
    known[0, :, 1] = True  # a whole person given
    known[0, :6, 0] = True  # 6 frames of the other: one whole step, one part
    assert latent_known(known)[0].tolist() == [[True, True], [False, True], [False, True]]


def test_a_few_steps_reduce_the_loss_and_the_codec_standardizes_latents(motion_vectors):
    torch.manual_seed(0)
    vectors = motion_vectors.numpy()
    mean, std = vectors.mean(0), vectors.std(0) + 1e-3
    clips = [((vectors[start:start + 40] - mean) / std).astype(np.float16) for start in range(0, 60, 10)]
    module = AutoencoderModule(SMALL, "joints", mean, std, relative_statistics(clips, SMALL, "joints", mean, std))
    module.log = module.log_dict = lambda *a, **k: None
    optimizer = torch.optim.Adam(module.model.parameters(), lr=3e-3)
    batch = torch.stack([ClipWindows(clips, 16)[i] for i in range(6)])

    def loss():
        torch.manual_seed(1)
        return module.training_step(batch, 0)

    with torch.no_grad():
        before = loss().item()
    for _ in range(30):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
    with torch.no_grad():
        assert loss().item() < 0.5 * before
    codec = latent_codec(module.model.eval(), clips)
    z = torch.cat([codec.encode(torch.from_numpy(c[None, :40].astype(np.float32)), torch.tensor([40]))[0]
                   for c in clips])
    assert torch.allclose(z.mean(0), torch.zeros(2, 12), atol=1e-4)
    assert torch.allclose(z.std(0, unbiased=False), torch.ones(2, 12), atol=1e-3)
    with pytest.raises(ValueError, match="no training clip"):
        ClipWindows(clips, 64)
