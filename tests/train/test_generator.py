"""The generative model family: network shapes and masks, condition dropout, inpainting, training, checkpoints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import h5py
import numpy as np
import pytest
import torch

from interx.data.processed import H5Motions
from interx.errors import FormatError, InterXError
from interx.eval.motions import GeneratedMotions
from interx.eval.prediction import constant_pose, constant_velocity, horizon_errors
from interx.models import flow
from interx.models.autoencoder import MotionAutoencoder
from interx.models.checkpoint import load_generator, save_generator
from interx.models.denoiser import Denoiser, DenoiserConfig
from interx.models.layout import LAYOUTS
from interx.models.sampling import Request, Sampler
from interx.train.autoencoder import latent_codec, normalized_clips, relative_statistics
from interx.train.generate import generate_requests, split_requests
from interx.train.generator import (
    GeneratorData,
    GeneratorModule,
    collate,
    fit_generator,
    known_mask,
    latent_cache,
    layout_statistics,
    training_config,
)
from interx.viz.losses import read_losses

SMALL = dict(width=32, layers=1, heads=2, patch=4, dropout=0.0)


def small_config(task, layout="joints", **overrides):
    config = training_config(task, "tiny", layout, **overrides)
    return replace(config, network=replace(config.network, **SMALL))


def small_latent_config(task, **overrides):
    config = training_config(task, "tiny", "joints", "latent", **overrides)
    autoencoder = replace(config.autoencoder, latent=8, width=32, window=16)
    return replace(config, network=replace(config.network, **{**SMALL, "patch": 1, "motion_dim": autoencoder.code_dim}),
                   autoencoder=autoencoder)


def conditions(b, action=None, keep=True):
    return {"action": torch.full((b,), 3 if action is None else action), "action_keep": torch.full((b,), keep)}


def test_denoiser_shapes_and_padding_do_not_leak():
    torch.manual_seed(0)
    model = Denoiser(DenoiserConfig(conditions=("action",), **SMALL)).eval()
    for p in model.head.parameters():  # the head starts at zero (an identity-friendly start): give it values
        torch.nn.init.normal_(p, std=0.1)
    x = torch.randn(2, 16, 2, 262)
    mask = torch.zeros(2, 16, dtype=torch.bool)
    mask[0, :16], mask[1, :8] = True, True
    none = torch.zeros(2, 16, 2, dtype=torch.bool)
    out = model(x, torch.tensor([0.5, 0.5]), mask, torch.zeros_like(x), none, conditions(2))
    assert out.shape == x.shape and torch.isfinite(out).all()
    changed = x.clone()
    changed[1, 8:] = 100.0  # only padding of the second clip changes
    again = model(changed, torch.tensor([0.5, 0.5]), mask, torch.zeros_like(x), none, conditions(2))
    assert torch.allclose(out[:, :8], again[:, :8], atol=1e-5) and torch.allclose(out[0], again[0], atol=1e-5)


def test_persons_share_every_weight_but_their_identity_vectors():
    torch.manual_seed(0)
    model = Denoiser(DenoiserConfig(**SMALL)).eval()
    torch.nn.init.normal_(model.head.weight, std=0.1)
    torch.nn.init.normal_(model.person, std=0.5)
    x = torch.randn(1, 8, 2, 262)
    mask = torch.ones(1, 8, dtype=torch.bool)
    none = torch.zeros(1, 8, 2, dtype=torch.bool)
    out = model(x, torch.tensor([0.3]), mask, torch.zeros_like(x), none, {})
    swapped_input = model(x.flip(2), torch.tensor([0.3]), mask, torch.zeros_like(x), none, {})
    assert not torch.allclose(out.flip(2), swapped_input, atol=1e-3)  # person 0 is the one the scene is set on
    with torch.no_grad():
        model.person.copy_(model.person.flip(0))
    swapped_roles = model(x.flip(2), torch.tensor([0.3]), mask, torch.zeros_like(x), none, {})
    assert torch.allclose(out.flip(2), swapped_roles, atol=1e-5)


def test_output_windows_meet_without_steps():
    torch.manual_seed(0)
    model = Denoiser(DenoiserConfig(**SMALL)).eval()
    torch.nn.init.normal_(model.head.weight, std=0.5)
    x = torch.randn(1, 32, 2, 262)
    out = model(x, torch.tensor([0.5]), torch.ones(1, 32, dtype=torch.bool), torch.zeros_like(x),
                torch.zeros(1, 32, 2, dtype=torch.bool), {})
    second = (out[:, 2:] - 2 * out[:, 1:-1] + out[:, :-2]).abs().mean(dim=(0, 2, 3))  # centred on frames 1..30
    centre = torch.arange(1, 31)
    across = second[(centre % 4 == 3) | (centre % 4 == 0)]  # the frames on either side of a patch boundary
    inside = second[(centre % 4 == 1) | (centre % 4 == 2)]
    assert across.mean() < 1.3 * inside.mean()


def test_an_untrained_predictor_holds_the_last_given_frame():
    config = DenoiserConfig(motion_dim=6, width=16, layers=1, heads=2, patch=4, hold_given=True)
    model = Denoiser(config).eval()  # the output head starts at zero: the network adds nothing yet
    known = torch.randn(2, 12, 2, 6)
    given = torch.zeros(2, 12, 2, dtype=torch.bool)
    given[0, :5] = True  # prediction: the first frames of both persons
    given[1, 3:6, 1] = True  # completion: a middle stretch of the second person
    out = model(torch.randn_like(known), torch.full((2,), 0.5), torch.ones(2, 12, dtype=torch.bool), known, given, {})
    assert torch.equal(out[0, 5:], known[0, 4:5].expand(7, 2, 6))
    assert torch.equal(out[1, 6:, 1], known[1, 5:6, 1].expand(6, 6))
    assert torch.equal(out[1, :3, 1], torch.zeros(3, 6)) and torch.equal(out[1, :, 0], torch.zeros(12, 6))
    plain = Denoiser(DenoiserConfig(motion_dim=6, width=16, layers=1, heads=2, patch=4)).eval()
    assert torch.equal(plain(known, torch.full((2,), 0.5), torch.ones(2, 12, dtype=torch.bool), known, given, {}),
                       torch.zeros_like(known))


def test_dropped_conditions_are_ignored_and_dropout_rate_is_applied():
    torch.manual_seed(0)
    model = Denoiser(DenoiserConfig(conditions=("action",), **SMALL)).eval()
    torch.nn.init.normal_(model.head.weight, std=0.1)
    for block in model.blocks:
        torch.nn.init.normal_(block.ff_mod.proj.weight, std=0.1)
    x, mask = torch.randn(1, 8, 2, 262), torch.ones(1, 8, dtype=torch.bool)
    none = torch.zeros(1, 8, 2, dtype=torch.bool)

    def run(action, keep):
        return model(x, torch.tensor([0.5]), mask, torch.zeros_like(x), none, conditions(1, action, keep))

    assert not torch.allclose(run(1, True), run(2, True))
    assert torch.equal(run(1, False), run(2, False))
    mean, std, headings = np.zeros(442, np.float32), np.ones(442, np.float32), np.zeros(1, np.float32)
    batch = {"motion": torch.zeros(4000, 4, 2, 442), "action": torch.zeros(4000, dtype=torch.long)}
    for rate in (0.0, 0.25, 1.0):
        module = GeneratorModule(small_config("a2m", condition_dropout=rate), mean, std, headings)
        kept = module.conditions(batch)["action_keep"].float().mean().item()
        assert abs(kept - (1 - rate)) < 0.03


def test_sampler_inpainting_keeps_the_fixed_part_exactly():
    known = torch.randn(2, 8, 2, 5)
    fixed = torch.zeros(2, 8, 2, 5, dtype=torch.bool)
    fixed[:, :, 0] = True  # person 0 given
    fixed[1, :3, 1] = True  # and the start of person 1 in the second clip
    out = flow.sample(lambda x, t, c: 0.5 * x, (2, 8, 2, 5), steps=4, known=known, known_mask=fixed,
                      generator=torch.Generator().manual_seed(0))
    assert torch.equal(out[fixed], known[fixed])
    assert not torch.allclose(out[~fixed], known[~fixed])


def test_guidance_acts_only_down_to_its_stop_level():
    calls = []

    def predict(x, t, conditional):
        calls.append((round(float(t[0]), 3), conditional))
        return x * (0.5 if conditional else 0.25)

    def run(stop, guidance=3.0):
        calls.clear()
        out = flow.sample(predict, (2, 4, 2, 3), steps=10, guidance=guidance, guidance_stop=stop,
                          generator=torch.Generator().manual_seed(0))
        return out, [t for t, conditional in calls if not conditional]

    everywhere, unconditional = run(0.0)
    assert unconditional == [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    early, unconditional = run(0.7)
    assert unconditional == [1.0, 0.9, 0.8, 0.7]  # the level 0.7 itself is guided, though float32 rounds it
    unguided, unconditional = run(0.0, guidance=1.0)
    assert unconditional == []
    assert not torch.allclose(early, everywhere) and not torch.allclose(early, unguided)
    with pytest.raises(ValueError, match="guidance_stop"):
        run(1.5)


def test_training_levels_move_towards_noise_with_their_location_and_the_step_uses_the_configs(monkeypatch):
    for location in (0.0, 0.6):
        levels = flow.sample_levels(20000, location=location, generator=torch.Generator().manual_seed(0))
        assert 0.001 <= levels.min() and levels.max() <= 1.0
        assert abs(levels.median().item() - torch.sigmoid(torch.tensor(location)).item()) < 0.01
    seen = []
    draw = flow.sample_levels
    monkeypatch.setattr(flow, "sample_levels", lambda *a, **k: seen.append(k["location"]) or draw(*a, **k))
    config = small_config("a2m", level_location=0.3, max_length=32)
    dim = config.network.motion_dim
    batch = {"motion": torch.zeros(2, 32, 2, dim), "mask": torch.ones(2, 32, dtype=torch.bool),
             "length": torch.tensor([32, 32]), "action": torch.tensor([1, 2])}
    module = GeneratorModule(replace(config, geometric_weight=0.0), np.zeros((2, dim), np.float32),
                             np.ones((2, dim), np.float32), np.zeros(4, np.float32))
    module.log = module.log_dict = lambda *a, **k: None
    module.training_step(batch, 0)
    assert seen == [0.3]


def test_a_partial_start_noises_the_given_motion_to_that_level_and_steps_down_from_it():
    given = torch.randn(2, 4, 2, 3, generator=torch.Generator().manual_seed(5))
    seen = []

    def predict(x, t, conditional):
        seen.append((x.clone(), round(float(t[0]), 3)))
        return torch.zeros_like(x)

    flow.sample(predict, given.shape, steps=3, known=given, generator=torch.Generator().manual_seed(0),
                start_level=0.3)
    noise = torch.randn(given.shape, generator=torch.Generator().manual_seed(0))
    assert [t for _, t in seen] == [0.3, 0.2, 0.1]
    assert torch.allclose(seen[0][0], 0.7 * given + 0.3 * noise)
    seen.clear()
    flow.sample(predict, given.shape, steps=2, generator=torch.Generator().manual_seed(0))
    assert [t for _, t in seen] == [1.0, 0.5] and torch.equal(seen[0][0], noise)  # plain generation as before
    for level in (0.0, 1.5):
        with pytest.raises(ValueError, match="start_level"):
            flow.sample(predict, given.shape, steps=2, known=given, start_level=level)
    with pytest.raises(ValueError, match="given motion"):
        flow.sample(predict, given.shape, steps=2, start_level=0.5)


def test_task_fixed_parts():
    batch = {"motion": torch.zeros(3, 60, 2, 262), "length": torch.tensor([60, 60, 60]),
             "actor_index": torch.tensor([0, 1, 1])}
    reaction = known_mask(small_config("reaction"), batch)
    assert reaction[:, :, 0].tolist() == [[True] * 60, [False] * 60, [False] * 60] and reaction[1:, :, 1].all()
    predict = known_mask(small_config("predict"), batch)
    assert predict[:, :30].all() and not predict[:, 30:].any()
    assert not known_mask(small_config("a2m", completion_probability=0.0), batch).any()


@pytest.fixture(scope="module", params=LAYOUTS)
def a2m_batch(prepared6, request):
    config = small_config("a2m", layout=request.param, max_length=64, min_length=24)
    data = GeneratorData(prepared6, config)
    data.setup()
    items = [data.dataset[i] for i in range(len(data.dataset))]
    return config, collate(items, config, None), layout_statistics(data.dataset)


def test_a_few_steps_reduce_the_loss_on_a_tiny_batch(a2m_batch):
    config, batch, stats = a2m_batch
    torch.manual_seed(0)
    module = GeneratorModule(replace(config, condition_dropout=0.0), *stats)
    module.log = module.log_dict = lambda *a, **k: None
    optimizer = torch.optim.Adam(module.model.parameters(), lr=2e-3)

    def loss():
        torch.manual_seed(1)  # the same noise and levels every time
        return module.training_step(batch, 0)

    with torch.no_grad():
        before = loss().item()
    for _ in range(25):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
    with torch.no_grad():
        after = loss().item()
    assert after < 0.7 * before


def test_save_load_gives_identical_samples_and_refuses_bad_checkpoints(tmp_path, a2m_batch):
    config, _, stats = a2m_batch
    torch.manual_seed(0)
    module = GeneratorModule(config, *stats)
    torch.nn.init.normal_(module.ema.head.weight, std=0.05)
    path = save_generator(tmp_path / "gen.safetensors", module.ema, config, *stats)
    requests = [Request(length=40, action=5), Request(length=24, action=7)]
    first = Sampler(load_generator(path)).motions(requests, steps=3, seed=4)
    second = Sampler(load_generator(path)).motions(requests, steps=3, seed=4)
    assert [m.shape for m in first] == [(40, 56, 6), (24, 56, 6)]
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    with pytest.raises(InterXError, match="a2m generator, not t2m"):
        load_generator(path, task="t2m")
    with pytest.raises(ValueError, match="needs an action"):
        Sampler(load_generator(path)).motions([Request(length=30)], steps=1)
    other = json.loads(path.with_suffix(".json").read_text())
    other["config"]["network"]["width"] = 64
    path.with_suffix(".json").write_text(json.dumps(other))
    with pytest.raises(FormatError, match="weights of the config"):
        load_generator(path)
    path.write_bytes(b"not a safetensors file")
    with pytest.raises(FormatError, match="gen.safetensors"):
        load_generator(path)


def test_a_given_person_comes_back_exactly_and_new_scenes_stand_as_the_release_does(tmp_path, a2m_batch, prepared6):
    config, _, stats = a2m_batch
    torch.manual_seed(0)
    module = GeneratorModule(config, *stats)
    torch.nn.init.normal_(module.ema.head.weight, std=0.05)
    sampler = Sampler(load_generator(save_generator(tmp_path / "gen", module.ema, config, *stats)))
    with H5Motions(prepared6 / "motions" / "train.h5") as motions:
        motion = motions.read(motions.ids()[0])
    length = min(sampler.layout.frames(len(motion)), config.max_length)
    given = np.zeros((len(motion), 2), dtype=bool)
    given[:, 1] = True  # the second person is fixed, the first is made
    completed, new = sampler.motions([Request(length=length, action=3, motion=motion, known_mask=given),
                                      Request(length=40, action=3)], steps=2)
    assert np.array_equal(completed[:, :, 3:6], motion[:length, :, 3:6])
    assert not np.allclose(completed[:, :, 0:3], motion[:length, :, 0:3], atol=1e-2)
    assert np.array_equal(new[0, 55, 0:3], np.zeros(3, np.float32))  # P1's first translation taken off
    # past the end of the given motion (prediction) both persons are made; the given frames still come back
    longer, = sampler.motions([Request(length=24, action=3, motion=motion[:12], known_mask=given[:12])], steps=1)
    assert longer.shape == (24, 56, 6)
    assert np.array_equal(longer[:12, :, 3:6], motion[:12, :, 3:6])
    assert not np.allclose(longer[12:, :, 3:6], motion[12:24, :, 3:6], atol=1e-2)
    with pytest.raises(ValueError, match="too few"):
        sampler.motions([Request(length=24, action=3, motion=motion[:0], known_mask=given[:0])], steps=1)


def latent_module_and_batch(root, config):
    """A latent generator module on a fresh (untrained) autoencoder with its statistics, a batch of every
    training clip with its cached latents, and the layout statistics."""
    data = GeneratorData(root, config)
    data.setup()
    stats = layout_statistics(data.dataset)
    torch.manual_seed(0)
    clips = normalized_clips(data.dataset, *stats[:2])
    autoencoder = MotionAutoencoder(config.autoencoder, config.layout,
                                    relative_statistics(clips, config.autoencoder, config.layout, *stats[:2]))
    module = GeneratorModule(config, *stats, codec=latent_codec(autoencoder.eval(), clips))
    module.log = module.log_dict = lambda *a, **k: None
    latents = latent_cache(data.dataset, module.codec, *stats[:2])
    return module, collate([data.dataset[i] for i in range(len(data.dataset))], config, None, latents), stats


def test_a_latent_generator_learns_saves_loads_and_gives_a_person_back(tmp_path, prepared6):
    config = small_latent_config("a2m", max_length=64, min_length=24, condition_dropout=0.0)
    module, batch, stats = latent_module_and_batch(prepared6, config)
    codec = module.codec
    assert batch["motion"].shape[1] % 4 == 0
    optimizer = torch.optim.Adam(module.model.parameters(), lr=2e-3)

    def loss():
        torch.manual_seed(1)
        return module.training_step(batch, 0)

    with torch.no_grad():
        before = loss().item()
    frozen = [p.clone() for p in codec.parameters()]
    for _ in range(25):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
    with torch.no_grad():
        assert loss().item() < 0.7 * before
    assert all(torch.equal(a, b) for a, b in zip(frozen, codec.parameters()))  # the autoencoder stays as trained
    path = save_generator(tmp_path / "gen", module.model, config, *stats, codec)
    with H5Motions(prepared6 / "motions" / "train.h5") as motions:
        motion = motions.read(motions.ids()[0])
    given = np.zeros((len(motion), 2), dtype=bool)
    given[:, 1] = True
    requests = [Request(length=41, action=5), Request(length=30, action=3, motion=motion, known_mask=given)]
    first = Sampler(load_generator(path)).motions(requests, steps=3, seed=4)
    second = Sampler(load_generator(path)).motions(requests, steps=3, seed=4)
    assert [m.shape for m in first] == [(41, 56, 6), (30, 56, 6)]
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert np.array_equal(first[1][:, :, 3:6], motion[:30, :, 3:6])
    from safetensors.torch import load_file, save_file

    tensors = {k: v for k, v in load_file(str(path)).items() if not k.startswith("codec.")}
    save_file(tensors, str(path))
    with pytest.raises(FormatError, match="missing"):
        load_generator(path)
    with pytest.raises(ValueError, match="needs its autoencoder"):
        GeneratorModule(config, *stats)


def test_the_latent_root_position_weighs_as_configured_in_the_reconstruction(prepared6, monkeypatch):
    config = small_latent_config("a2m", max_length=64, min_length=24, geometric_weight=0.0,
                                 completion_probability=0.0)
    module, batch, _ = latent_module_and_batch(prepared6, config)
    first, dim = config.autoencoder.latent, config.autoencoder.code_dim
    miss = torch.zeros(dim)
    miss[first:first + 2] = 1.0  # a prediction off by one only in each person's root X and Z
    monkeypatch.setattr(module.model, "forward", lambda x_t, t, real, target, given, cond: target + miss)
    for weight in (1.0, 4.0):
        module.config = replace(config, track_weight=weight)
        loss = module.training_step(batch, 0)
        assert loss.item() == pytest.approx(2 * weight / (dim - 2 + 2 * weight), rel=1e-5)


def test_geometry_rows_decode_only_that_many_rows(prepared6):
    config = small_latent_config("a2m", max_length=64, min_length=24, geometry_rows=2)
    module, batch, _ = latent_module_and_batch(prepared6, config)
    decoded = []
    decode = module.codec.decode
    module.codec.decode = lambda z: decoded.append(len(z)) or decode(z)
    assert len(batch["id"]) > 2
    loss = module.training_step(batch, 0)
    assert decoded == [2] and torch.isfinite(loss)
    module.config = replace(config, geometry_rows=0)
    module.training_step(batch, 0)
    assert decoded == [2, len(batch["id"])]
    with pytest.raises(ValueError, match="geometry_rows"):
        replace(config, geometry_rows=-1)


def test_cached_latents_are_the_windows_own_and_spare_the_encoder(prepared6):
    config = small_latent_config("a2m", max_length=96, min_length=24, condition_dropout=0.0)
    module, _, (mean, std, _) = latent_module_and_batch(prepared6, config)
    data = GeneratorData(prepared6, config)
    data.setup()
    assert data.dataset.crop_step == 4
    data.latents = latent_cache(data.dataset, module.codec, mean, std)
    assert sorted(data.latents) == sorted(data.dataset.ids)
    torch.manual_seed(2)
    items = [data.dataset[i] for i in range(len(data.dataset))]
    assert any(item["start"] > 0 for item in items)  # some windows are cropped
    batch = data.collate(items)
    with torch.no_grad():
        windows = module.codec.encode(module.normalize(batch["motion"]), batch["length"])
    assert batch["latent"].shape == windows.shape and batch["latent"].shape[1] * 4 == batch["motion"].shape[1]
    interiors = 0
    for row, item in enumerate(items):
        clip = torch.from_numpy((data.dataset.layout_vectors(item["id"]) - mean) / std).float()
        whole = module.codec.encode(clip[None, :len(clip) // 4 * 4], torch.tensor([len(clip) // 4 * 4]))[0]
        first, real = item["start"] // 4, -(-item["length"] // 4)
        cached = batch["latent"][row]
        inside = min(real, len(whole) - 8 - first)  # the clip's own end is padded differently here
        assert torch.allclose(cached[:inside], whole[first:first + inside], atol=1e-5)  # a slice of the clip's
        assert torch.all(cached[real:] == 0)
        if real > 16:  # away from the window's ends, encoding the window alone gives the same
            interiors += 1
            assert torch.allclose(cached[8:real - 8], windows[row, 8:real - 8], atol=1e-3)
    assert interiors
    module.codec.encode = lambda *a: pytest.fail("a batch with cached latents was encoded again")
    assert torch.isfinite(module.training_step(batch, 0))


def test_a_latent_run_trains_its_autoencoder_once(tmp_path, prepared6):
    config = small_latent_config("a2m", max_length=64, min_length=24, batch_size=4)
    run = tmp_path / "run"
    fit_generator(prepared6, run, config, max_steps=2, progress_bar=False)
    autoencoder = (run / "autoencoder.safetensors").read_bytes()
    assert read_losses(run / "autoencoder")["loss"][0].size >= 1 and (run / "autoencoder" / "losses.png").is_file()
    fit_generator(prepared6, run, config, max_steps=3, progress_bar=False)  # continues: the autoencoder is kept
    assert (run / "autoencoder.safetensors").read_bytes() == autoencoder
    generator = load_generator(run, task="a2m")
    assert generator.codec is not None
    motion, = Sampler(generator).motions([Request(length=24, action=1)], steps=2)
    assert motion.shape == (24, 56, 6) and np.isfinite(motion).all()


def test_text_longer_than_the_encoder_limit_is_refused():
    from interx.models.text import TextEncoder

    encoder = TextEncoder()
    with pytest.raises(InterXError, match=r"402 tokens, more than the 256"):
        encoder.check_length("the two persons hug " * 100)
    tokens, sentence = encoder.encode(["one person waves at the other"])[0]
    assert tokens.shape[1] == sentence.shape[0] == 384


def test_prediction_baselines():
    t = np.arange(90, dtype=np.float64)[:, None, None, None]
    linear = np.ones((90, 2, 22, 3)) * t * 0.01
    assert max(horizon_errors(linear, constant_velocity(linear)).values()) < 1e-9
    assert horizon_errors(linear, constant_pose(linear))[1.0] == pytest.approx(np.sqrt(3) * 0.3 * 1000)


@pytest.mark.slow
def test_two_process_ddp_training_then_generation(tmp_path, prepared6):
    run = tmp_path / "run"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "interx", "train", "generator", str(prepared6), "--task", "reaction",
               "--max-steps", "2", "--devices", "2", "--accelerator", "cpu", "--batch-size", "2", "--out", str(run)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    rows = (run / "metrics.csv").read_text().splitlines()
    assert rows[0].startswith("epoch") or "train/loss" in rows[0]
    assert (run / "losses.png").stat().st_size > 1000 and (run / "checkpoints" / "last.ckpt").is_file()
    again = list(command)
    again[again.index("--max-steps") + 1] = "3"
    resumed = subprocess.run(again, capture_output=True, text=True, env=env, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    # continued from step 2: the third step (index 2) is the only new one
    assert read_losses(run / "metrics.csv")["loss"][0].tolist() == [2]
    assert read_losses(run)["loss"][0].tolist() == [0, 1, 2]  # the first part is kept and read first
    other = list(command)
    other[other.index("--task") + 1] = "a2m"
    refused = subprocess.run(other, capture_output=True, text=True, env=env, timeout=600)
    assert refused.returncode == 2 and "another config" in refused.stdout + refused.stderr
    generator = load_generator(run, task="reaction")
    sampler = Sampler(generator)
    requests = split_requests(sampler, prepared6, split="train", samples=2)
    out = generate_requests(sampler, requests, tmp_path / "gen.h5", steps=2)
    motions = GeneratedMotions(out)
    seq_id = motions.ids()[0]
    assert motions.num_samples(seq_id) == 2 and motions.read(seq_id, 1).shape[1:] == (56, 6)
    motions.close()
    with h5py.File(out) as h5:
        assert set(h5) == {i for i, _ in requests}
