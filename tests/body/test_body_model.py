"""The one body API: neutral skeleton + mannequin mesh, or exact SMPL-X from model files."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from interx.body.fk import forward_kinematics
from interx.body.mesh import mannequin_faces, mannequin_vertices
from interx.body.model import BodyModel
from interx.body.skeleton import NUM_JOINTS, PARENTS
from interx.body.template import rest_joints, shape_directions
from interx.errors import FormatError

N_VERTS = 10475  # the smplx package indexes vertices up to 9929 for its extra joints


def write_fake_smplx(path, *, with_pickled_entry=False):
    """An SMPL-X model file whose rest joints and shape response are ours.

    The first 55 vertices are the rest joints, the joint regressor picks them,
    each is skinned rigidly to its own joint, and pose correctives are zero:
    so exact SMPL-X joints must equal our forward kinematics.
    """
    rng = np.random.default_rng(0)
    v_template = np.concatenate([rest_joints(), rng.normal(scale=0.3, size=(N_VERTS - NUM_JOINTS, 3))])
    shapedirs = np.zeros((N_VERTS, 3, 20))
    shapedirs[:NUM_JOINTS, :, :10] = shape_directions()
    regressor = np.zeros((NUM_JOINTS, N_VERTS))
    regressor[np.arange(NUM_JOINTS), np.arange(NUM_JOINTS)] = 1.0
    weights = np.zeros((N_VERTS, NUM_JOINTS))
    weights[np.arange(NUM_JOINTS), np.arange(NUM_JOINTS)] = 1.0
    weights[NUM_JOINTS:, 0] = 1.0
    kintree = np.array([PARENTS, list(range(NUM_JOINTS))], dtype=np.int64)
    kintree[0, 0] = 4294967295
    arrays = dict(
        v_template=v_template.astype(np.float32),
        f=rng.integers(0, N_VERTS, size=(200, 3)).astype(np.int64),
        J_regressor=regressor.astype(np.float32),
        kintree_table=kintree,
        shapedirs=shapedirs.astype(np.float32),
        posedirs=np.zeros((N_VERTS, 3, 486), np.float32),
        weights=weights.astype(np.float32),
        hands_componentsl=np.eye(45, dtype=np.float32),
        hands_componentsr=np.eye(45, dtype=np.float32),
        hands_meanl=np.full(45, 0.3, np.float32),  # must be ignored: Inter-X hands are flat-mean
        hands_meanr=np.full(45, 0.3, np.float32),
        lmk_faces_idx=np.arange(51, dtype=np.int64),
        lmk_bary_coords=np.full((51, 3), 1 / 3, np.float32),
        dynamic_lmk_faces_idx=np.zeros((79, 17), np.int64),
        dynamic_lmk_bary_coords=np.full((79, 17, 3), 1 / 3, np.float32),
    )
    if with_pickled_entry:
        arrays["joint2num"] = np.array({"pelvis": 0}, dtype=object)
    np.savez_compressed(path, **arrays)


@pytest.fixture(scope="module")
def fake_model_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models") / "smplx"
    folder.mkdir()
    write_fake_smplx(folder / "SMPLX_NEUTRAL.npz", with_pickled_entry=True)
    return folder.parent


def test_exact_smplx_path_equals_our_fk_on_a_model_with_our_skeleton(fake_model_dir):
    model = BodyModel(fake_model_dir)  # found in FOLDER/smplx/, pickled entries skipped
    rng = np.random.default_rng(5)
    pose = rng.normal(size=(3, 4, NUM_JOINTS, 3)).astype(np.float32) * 0.4
    pose[..., 22:25, :] = 0  # Inter-X never moves jaw or eyes
    trans = rng.normal(size=(3, 4, 3)).astype(np.float32)
    betas = rng.normal(size=10).astype(np.float32)
    exact = model.joints(pose, trans, betas)
    assert exact.shape == (3, 4, NUM_JOINTS, 3)
    np.testing.assert_allclose(exact, forward_kinematics(pose, trans, betas), atol=1e-5)
    vertices = model.vertices(pose, trans, betas)
    assert vertices.shape == (3, 4, N_VERTS, 3)
    np.testing.assert_allclose(vertices[..., :NUM_JOINTS, :], exact, atol=1e-5)
    torch_joints = model.joints(torch.from_numpy(pose), torch.from_numpy(trans), torch.from_numpy(betas))
    np.testing.assert_allclose(torch_joints.detach().numpy(), exact, atol=1e-5)


def test_model_file_with_missing_arrays_is_refused(tmp_path):
    np.savez(tmp_path / "SMPLX_NEUTRAL.npz", v_template=np.zeros((10, 3)))
    with pytest.raises(FormatError, match="SMPLX_NEUTRAL.npz.*J_regressor"):
        BodyModel(tmp_path)


def test_pickled_model_array_is_never_unpickled(tmp_path):
    path = tmp_path / "SMPLX_NEUTRAL.npz"
    write_fake_smplx(path)
    arrays = dict(np.load(path))
    arrays["J_regressor"] = np.array(_Boom(), dtype=object)
    np.savez(path, **arrays)
    with pytest.raises(FormatError, match="J_regressor.*plain numeric array"):
        BodyModel(path)
    assert not _Boom.ran


class _Boom:
    ran = False

    def __reduce__(self):
        return (_Boom._explode, ())

    @staticmethod
    def _explode():
        _Boom.ran = True


def test_missing_model_folder_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="SMPLX_NEUTRAL.npz"):
        BodyModel(tmp_path)


def test_neutral_model_joints_and_mannequin_mesh():
    model = BodyModel()
    assert model.exact is None
    rng = np.random.default_rng(6)
    pose = rng.normal(size=(2, NUM_JOINTS, 3)).astype(np.float32) * 0.3
    trans = np.array([[0, 1.28, 0], [1, 1.28, 0]], np.float32)
    root = rng.normal(size=(2, 3)).astype(np.float32)
    body = pose[:, 1:22]
    joints = model.joints_from_params(root, body, pose[:, 25:40], pose[:, 40:55], trans)
    full = pose.copy()
    full[:, 0] = root
    full[:, 22:25] = 0
    np.testing.assert_allclose(joints, forward_kinematics(full, trans), atol=1e-6)
    verts = model.vertices(full, trans)
    faces = model.faces
    assert faces.shape[1] == 3 and faces.max() < verts.shape[-2]
    # the mesh surrounds the skeleton: every joint lies within the mesh's bounding box
    for k in range(2):
        lo, hi = verts[k].min(0) - 0.02, verts[k].max(0) + 0.02
        assert np.all((joints[k, :22] >= lo) & (joints[k, :22] <= hi))
    # the second person's mesh is where its translation put it
    assert abs(verts[1, :, 0].mean() - verts[0, :, 0].mean() - 1.0) < 0.3
    assert np.array_equal(mannequin_faces(), faces)


def test_mannequin_mesh_follows_body_shape():
    pose = np.zeros((NUM_JOINTS, 3), np.float32)
    tall = np.zeros(10, np.float32)
    tall[0] = 2.0
    height = lambda v: v[:, 1].max() - v[:, 1].min()  # noqa: E731
    assert height(mannequin_vertices(pose, np.zeros(3), tall)) != pytest.approx(
        height(mannequin_vertices(pose, np.zeros(3))), abs=0.01
    )

