"""Every SOURCE kind renders, from the CLI too; bad sources and ids fail clearly."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from interx.body import mesh
from interx.cli import app
from interx.data.raw import RawRelease
from interx.errors import FormatError, InterXError
from interx.viz.skinning import mannequin_skin
from interx.viz.sources import frame_indices, open_source

runner = CliRunner()


def _runs(mask: np.ndarray) -> int:
    return int(np.sum(mask[1:] & ~mask[:-1]) + mask[0])


def _render(*args: str):
    return runner.invoke(app, ["render", *map(str, args)])


def test_frame_indices_take_every_fourth_raw_frame_for_30_fps():
    assert frame_indices(9, 120, 30).tolist() == [0, 4, 8]
    assert frame_indices(10, 30, 30).tolist() == list(range(10))
    assert frame_indices(5, 30, 60).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4]  # each frame shown twice


def test_raw_release_gives_joints_at_the_asked_fps_with_texts_and_labels(example_root, example_ids):
    with open_source(example_root) as source, RawRelease(example_root) as release:
        seq_id = example_ids[0]
        interaction = release.load(seq_id)
        clip = source.clip(seq_id, fps=30)
        assert clip.joints.shape == (2, len(range(0, interaction.num_frames, 4)), 55, 3)
        assert clip.labels.texts == interaction.texts
        assert clip.labels.action == interaction.action_name
        assert clip.labels.actor == interaction.actor
        assert source.clip(seq_id, fps=60).num_frames > clip.num_frames
        markers = source.clip(seq_id, markers=True)
        assert markers.joints.shape[2] == 64 and markers.num_frames == clip.num_frames


def test_processed_h5_reads_p1_and_p2_halves_and_finds_the_texts(processed_root, example_interactions):
    with open_source(processed_root / "motions" / "test.h5") as source:
        seq_id = example_interactions[0].id
        clip = source.clip(seq_id)
        p2_trans = example_interactions[0].p2.trans[::4]
        assert np.allclose(clip.poses[1].trans, p2_trans, atol=1e-5)
        assert clip.labels.texts == example_interactions[0].texts
    with open_source(processed_root) as folder:
        assert folder.ids == sorted(i.id for i in example_interactions[:3])


def test_generated_h5_with_a_sample_axis_picks_the_sample(generated_h5):
    with open_source(generated_h5) as source:
        seq_id = source.ids[0]
        first, second = source.clip(seq_id, sample=0), source.clip(seq_id, sample=1)
        assert np.allclose(second.joints[..., 0] - first.joints[..., 0], 1.0, atol=1e-4)
        with pytest.raises(InterXError, match="sample 2"):
            source.clip(seq_id, sample=2)


@pytest.mark.parametrize("kind", ["raw", "raw_zip", "processed", "generated", "markers"])
def test_every_source_kind_renders_a_contact_sheet(kind, tmp_path, example_root, example_zip_root, example_ids,
                                                   processed_root, generated_h5):
    seq_id = example_ids[0]
    sources = {
        "raw": (example_root, "--id", seq_id),
        "raw_zip": (example_zip_root, "--id", seq_id),
        "processed": (processed_root / "motions" / "test.h5", "--id", sorted(example_ids[:3])[0]),
        "generated": (generated_h5, "--id", open_source(generated_h5).ids[0], "--sample", "1"),
        "markers": (example_root / "skeletons" / seq_id / "P1.npy",),
    }
    out = tmp_path / f"{kind}.png"
    result = _render(*sources[kind], "--out", out, "--grid", "1x2", "--size", "96x72")
    assert result.exit_code == 0, result.output
    sheet = np.asarray(Image.open(out).convert("RGB"))
    for colour in ((228, 106, 24), (30, 110, 200)):
        assert np.all(sheet == colour, axis=2).sum() > 10, f"{kind}: a person is missing"


def test_marker_file_brings_its_partner(example_root, example_ids):
    with open_source(example_root / "skeletons" / example_ids[0] / "P2.npy") as source:
        assert source.ids == [example_ids[0]]
        assert source.clip(example_ids[0]).num_persons == 2


def test_unknown_id_names_the_source_and_the_id(example_root, tmp_path):
    result = _render(example_root, "--id", "G001T000A000R999", "--out", tmp_path / "x.png")
    assert result.exit_code == 2
    assert "G001T000A000R999" in result.output and str(example_root) in result.output.replace("\n", "")
    assert not (tmp_path / "x.png").exists()


def test_several_sequences_need_an_id(example_root, tmp_path):
    result = _render(example_root, "--out", tmp_path / "x.png")
    assert result.exit_code == 2 and "--id" in result.output


@pytest.mark.parametrize("name", ["notes.txt", "missing_folder", "empty_folder"])
def test_bad_sources_fail_clearly(tmp_path, name):
    path = tmp_path / name
    if name == "notes.txt":
        path.write_text("hello")
    if name == "empty_folder":
        path.mkdir()
    with pytest.raises(FormatError) as info:
        open_source(path)
    assert str(path) in str(info.value)


def test_h5_with_the_wrong_shape_names_file_and_dataset(tmp_path):
    import h5py

    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as h5:
        h5.create_dataset("G001T000A000R000", data=np.zeros((10, 55, 6), np.float32))
    with open_source(path) as source, pytest.raises(FormatError, match=r"G001T000A000R000.*\[T, 56, 6\]"):
        source.clip("G001T000A000R000")


def test_markers_cannot_make_a_mesh(example_root, example_ids, tmp_path):
    result = _render(example_root / "skeletons" / example_ids[0] / "P1.npy", "--mesh", "--out", tmp_path / "x.png")
    assert result.exit_code == 2 and "--mesh" in result.output


def test_bad_output_suffix_is_refused(example_root, example_ids, tmp_path):
    result = _render(example_root, "--id", example_ids[0], "--out", tmp_path / "x.avi")
    assert result.exit_code == 2 and ".mp4" in result.output


def test_fast_skinning_matches_the_mannequin():
    rng = np.random.default_rng(3)
    pose = rng.normal(0, 0.3, (3, 55, 3)).astype(np.float32)
    trans = rng.normal(0, 1, (3, 3)).astype(np.float32)
    betas = rng.normal(0, 1, 10).astype(np.float32)
    fast = mannequin_skin(betas).vertices(pose, trans)
    assert np.abs(fast - mesh.mannequin_vertices(pose, trans, betas)).max() < 1e-4


def test_per_action_sheet_has_one_row_per_action(small_release, tmp_path):
    with RawRelease(small_release) as release:
        actions = {release.load(i).action for i in release.ids()}
    out = tmp_path / "actions.png"
    result = _render(small_release, "--per-action", "--stills", "3", "--size", "64x48", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"{len(actions)} actions, 3 frames each" in " ".join(result.output.split())
    sheet = np.asarray(Image.open(out).convert("RGB")).astype(int)
    bluish = (sheet[..., 2] > sheet[..., 0] + 80) & (sheet[..., 2] > 150)  # the sheet is palette-quantized
    has_figure = bluish[:, -60:].sum(axis=1) > 0  # in the last column of stills
    assert _runs(has_figure) == len(actions)


def test_folder_layout_is_decided_by_the_same_rule_as_interx_check(tmp_path, processed_root, copy_tree):
    """A processed folder that also holds a stray motions.zip is processed for `check` and for `render`."""
    from interx.data.check import detect_layout
    from interx.viz.sources import ProcessedSource

    both = copy_tree(processed_root, "both")
    (both / "motions.zip").write_bytes(b"")
    assert detect_layout(both) == "processed"
    assert isinstance(open_source(both), ProcessedSource)
