"""The motion autoencoder of latent generators: shapes, padding, latent masks, and that it learns."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from interx.models.autoencoder import (
    AutoencoderConfig,
    LatentCodec,
    MotionAutoencoder,
    edge_padded,
    latent_known,
    latent_mask,
)
from interx.train.autoencoder import AutoencoderModule, ClipWindows, latent_codec

SMALL = AutoencoderConfig(motion_dim=442, latent=8, width=32, window=16)


def test_shapes_and_a_length_not_a_multiple_of_four_is_refused():
    model = MotionAutoencoder(SMALL).eval()
    x = torch.randn(3, 20, 2, 442)
    z = model.encode(x)
    assert z.shape == (3, 5, 2, 8)
    assert model.decode(z).shape == x.shape
    with pytest.raises(ValueError, match="not a multiple of 4"):
        model.encode(x[:, :18])
    with pytest.raises(ValueError, match="window must be a multiple"):
        AutoencoderConfig(window=18)


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
    codec = LatentCodec(MotionAutoencoder(SMALL), torch.zeros(2, 8), torch.ones(2, 8))
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


def test_a_few_steps_reduce_the_loss_and_the_codec_standardizes_latents():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    time = np.linspace(0, 4, 40)[:, None, None]
    clips = [np.sin(time * rng.uniform(1, 3, (1, 2, 442)) + rng.uniform(0, 6, (1, 2, 442))).astype(np.float16)
             for _ in range(6)]
    module = AutoencoderModule(SMALL, "joints", np.zeros((2, 442), np.float32), np.ones((2, 442), np.float32))
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
    assert torch.allclose(z.mean(0), torch.zeros(2, 8), atol=1e-4)
    assert torch.allclose(z.std(0, unbiased=False), torch.ones(2, 8), atol=1e-3)
    with pytest.raises(ValueError, match="no training clip"):
        ClipWindows(clips, 64)
