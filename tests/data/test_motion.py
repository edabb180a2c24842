import io
import zipfile

import numpy as np
import pytest

from interx.data.arrays import npz_bytes
from interx.data.motion import (
    PersonMotion,
    motion_npz_bytes,
    motion_num_frames,
    read_motion_npz,
    write_motion_npz,
)
from interx.errors import FormatError


def _arrays(frames=7, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return {
        "root_orient": rng.normal(size=(frames, 3)).astype(dtype),
        "pose_body": rng.normal(size=(frames, 21, 3)).astype(dtype),
        "pose_lhand": rng.normal(size=(frames, 15, 3)).astype(dtype),
        "pose_rhand": rng.normal(size=(frames, 15, 3)).astype(dtype),
        "trans": rng.normal(size=(frames, 3)).astype(dtype),
        "betas": rng.normal(size=(1, 10)).astype(dtype),
        "gender": np.array("neutral"),
    }


def _write(tmp_path, arrays, name="P1.npz"):
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def test_written_file_matches_the_release_layout(tmp_path):
    motion = read_motion_npz(_write(tmp_path, _arrays()))
    out = tmp_path / "out.npz"
    write_motion_npz(out, motion)
    with np.load(out, allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(["root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans", "betas",
                                            "gender"])
        shapes = {k: npz[k].shape for k in npz.files}
        assert shapes == {"root_orient": (7, 3), "pose_body": (7, 21, 3), "pose_lhand": (7, 15, 3),
                          "pose_rhand": (7, 15, 3), "trans": (7, 3), "betas": (1, 10), "gender": ()}
        assert all(npz[k].dtype == np.float32 for k in npz.files if k != "gender")
        assert npz["gender"].dtype.kind == "U" and npz["gender"].item() == "neutral"


def test_round_trip_is_bit_exact_and_deterministic(tmp_path):
    arrays = _arrays()
    motion = read_motion_npz(_write(tmp_path, arrays))
    data = motion_npz_bytes(motion)
    assert motion_npz_bytes(read_motion_npz(data)) == data
    again = read_motion_npz(data, "mem.npz")
    for key in ("root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans"):
        assert np.array_equal(getattr(again, key), arrays[key])
        assert getattr(again, key).dtype == np.float32
    assert np.array_equal(again.betas, arrays["betas"][0])
    assert again.gender == "neutral" and again.num_frames == 7


def test_flat_poses_long_betas_extra_keys_and_float64(tmp_path):
    arrays = _arrays(dtype=np.float64)
    flat = dict(arrays, pose_body=arrays["pose_body"].reshape(7, 63), pose_lhand=arrays["pose_lhand"].reshape(7, 45),
                pose_rhand=arrays["pose_rhand"].reshape(7, 45), betas=np.arange(16, dtype=np.float64)[None],
                mocap_framerate=np.array(120.0), gender=np.array(b"female"))
    motion = read_motion_npz(_write(tmp_path, flat))
    assert motion.pose_body.shape == (7, 21, 3) and np.array_equal(motion.pose_body, arrays["pose_body"])
    assert np.array_equal(motion.betas, np.arange(10.0)) and motion.gender == "female"
    plain_betas = dict(arrays, betas=np.ones(10))
    assert read_motion_npz(_write(tmp_path, plain_betas, "b.npz")).betas.shape == (10,)


def _error(tmp_path, arrays) -> str:
    path = _write(tmp_path, arrays)
    with pytest.raises(FormatError) as info:
        read_motion_npz(path)
    message = str(info.value)
    assert str(path) in message
    return message


@pytest.mark.parametrize("key", ["root_orient", "pose_body", "pose_lhand", "pose_rhand", "trans", "betas", "gender"])
def test_missing_key(tmp_path, key):
    arrays = _arrays()
    del arrays[key]
    message = _error(tmp_path, arrays)
    assert f"[{key}]" in message and f"missing {key}" in message


def test_misspelled_key(tmp_path):
    arrays = _arrays()
    arrays["poses_body"] = arrays.pop("pose_body")
    assert "missing pose_body" in _error(tmp_path, arrays)


@pytest.mark.parametrize("key,shape", [
    ("root_orient", (7, 4)), ("pose_body", (7, 22, 3)), ("pose_body", (7, 60)), ("pose_lhand", (7, 15)),
    ("trans", (7,)), ("trans", (7, 3, 1)), ("betas", (1, 8)), ("betas", (2, 10)),
])
def test_wrong_shape(tmp_path, key, shape):
    arrays = _arrays()
    arrays[key] = np.zeros(shape, np.float32)
    message = _error(tmp_path, arrays)
    assert f"[{key}]" in message and "shape" in message and str(shape) in message


def test_zero_frames(tmp_path):
    arrays = {k: (v[:0] if k not in ("betas", "gender") else v) for k, v in _arrays().items()}
    assert "T >= 1" in _error(tmp_path, arrays)


def test_frames_disagree_between_keys(tmp_path):
    arrays = _arrays()
    arrays["trans"] = arrays["trans"][:5]
    message = _error(tmp_path, arrays)
    assert "[trans]" in message and "T = 7" in message and "T = 5" in message


@pytest.mark.parametrize("dtype", [np.int64, np.int32, bool])
def test_integer_dtype(tmp_path, dtype):
    arrays = _arrays()
    arrays["pose_body"] = arrays["pose_body"].astype(dtype)
    message = _error(tmp_path, arrays)
    assert "[pose_body]" in message and "floating-point" in message and np.dtype(dtype).name in message


def test_object_dtype_is_refused_without_unpickling(tmp_path):
    arrays = _arrays()
    arrays["trans"] = np.array([[1.0, 2.0, 3.0]] * 7, dtype=object)
    message = _error(tmp_path, arrays)
    assert "[trans]" in message and "object" in message


def test_string_gender_required(tmp_path):
    arrays = _arrays()
    arrays["gender"] = np.array(1.0)
    assert "[gender]" in _error(tmp_path, arrays)


@pytest.mark.parametrize("value,word", [(np.nan, "NaN"), (np.inf, "Inf"), (-np.inf, "Inf")])
@pytest.mark.parametrize("key", ["pose_rhand", "trans", "betas"])
def test_non_finite(tmp_path, key, value, word):
    arrays = _arrays()
    arrays[key].flat[3] = value
    message = _error(tmp_path, arrays)
    assert f"[{key}]" in message and word in message and "finite" in message


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_npz(tmp_path, keep):
    data = npz_bytes(_arrays())
    path = tmp_path / "P2.npz"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(FormatError) as info:
        read_motion_npz(path)
    assert str(path) in str(info.value)


def test_empty_and_missing_file(tmp_path):
    path = tmp_path / "P1.npz"
    path.write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        read_motion_npz(path)
    with pytest.raises(FormatError, match="no such file"):
        read_motion_npz(tmp_path / "nope.npz")


def test_corrupt_member_is_a_format_error(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for key, arr in _arrays().items():
            member = io.BytesIO()
            np.lib.format.write_array(member, arr)
            payload = member.getvalue()
            archive.writestr(f"{key}.npy", payload[:-8] if key == "pose_lhand" else payload)
    with pytest.raises(FormatError, match=r"\[pose_lhand\]"):
        read_motion_npz(buffer.getvalue(), "P1.npz")


def test_num_frames_from_header(tmp_path):
    path = _write(tmp_path, _arrays(frames=11))
    assert motion_num_frames(path) == 11
    assert motion_num_frames(path.read_bytes(), "x") == 11
    arrays = _arrays()
    del arrays["trans"]
    with pytest.raises(FormatError, match=r"\[trans\]"):
        motion_num_frames(_write(tmp_path, arrays, "n.npz"))


def test_constructor_validates():
    arrays = _arrays()
    kwargs = {k: v for k, v in arrays.items() if k not in ("betas", "gender")}
    with pytest.raises(FormatError, match=r"PersonMotion \[pose_body\]"):
        PersonMotion(**dict(kwargs, pose_body=np.zeros((7, 63), np.float32)), betas=np.zeros(10, np.float32))
    with pytest.raises(FormatError, match="betas"):
        PersonMotion(**kwargs, betas=np.zeros((1, 10), np.float32))
