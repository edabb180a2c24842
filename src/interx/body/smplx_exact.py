"""Exact SMPL-X joints and vertices through the `smplx` package.

For users who have the licensed model files (`SMPLX_NEUTRAL.npz` etc.).
The `smplx` package opens model files with `allow_pickle=True`; real model
files carry a few pickled entries we never need, and a hostile file could run
code. So we read only the plain arrays the body needs (`allow_pickle=False`)
into a private temporary copy and hand that copy to `smplx`.
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import numpy as np
import torch

from interx.body.skeleton import NUM_JOINTS
from interx.errors import FormatError

# Arrays the SMPL-X layer reads; anything else in the file is ignored.
_NEEDED = (
    "v_template", "f", "J_regressor", "kintree_table", "shapedirs", "posedirs", "weights",
    "hands_componentsl", "hands_componentsr", "hands_meanl", "hands_meanr",
    "lmk_faces_idx", "lmk_bary_coords", "dynamic_lmk_faces_idx", "dynamic_lmk_bary_coords",
)
_CHUNK = 512  # frames per smplx call


def find_model_file(model_path: str | Path, gender: str = "neutral") -> Path:
    """The `.npz` model file for `gender`, given a file or a folder.

    Folders are searched as the `smplx` package lays them out:
    `FOLDER/SMPLX_NEUTRAL.npz` or `FOLDER/smplx/SMPLX_NEUTRAL.npz`.
    """
    path = Path(model_path).expanduser()
    if path.is_file():
        return path
    name = f"SMPLX_{gender.upper()}.npz"
    for candidate in (path / name, path / "smplx" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"no SMPL-X model file {name} in {path} (looked in {path} and {path / 'smplx'}); "
        "download the SMPL-X models (npz) and pass their folder"
    )


def _sanitized_copy(source: Path, folder: Path) -> Path:
    try:
        archive = np.load(source, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise FormatError(source, None, "an SMPL-X model .npz file", f"unreadable file ({error})") from error
    with archive:
        missing = [key for key in _NEEDED if key not in archive.files]
        if missing:
            raise FormatError(source, ", ".join(missing), "the arrays of an SMPL-X model", "missing")
        arrays = {}
        for key in _NEEDED:
            try:
                arrays[key] = archive[key]
            except ValueError as error:
                raise FormatError(source, key, "a plain numeric array", "a pickled object") from error
    if arrays["J_regressor"].shape[0] < NUM_JOINTS:
        raise FormatError(source, "J_regressor", f"at least {NUM_JOINTS} joints", str(arrays["J_regressor"].shape))
    target = folder / "SMPLX_NEUTRAL.npz"
    np.savez(target, **arrays)
    return target


class ExactSMPLX:
    """SMPL-X from model files, with `flat_hand_mean=True` as Inter-X needs."""

    def __init__(self, model_path: str | Path, gender: str = "neutral", device: str | torch.device = "cpu"):
        import smplx  # optional dependency: only users with model files need it

        self.source = find_model_file(model_path, gender)
        self.device = torch.device(device)
        with tempfile.TemporaryDirectory(prefix="interx-smplx-") as tmp:
            clean = _sanitized_copy(self.source, Path(tmp))
            self.layer = smplx.SMPLX(
                str(clean),
                num_betas=10,
                num_expression_coeffs=10,
                use_pca=False,
                flat_hand_mean=True,
                batch_size=1,
            ).to(self.device)
        self.layer.eval()
        self.faces = np.asarray(self.layer.faces, dtype=np.int64)

    def forward_torch(self, pose: torch.Tensor, trans: torch.Tensor, betas: torch.Tensor | None = None):
        """Differentiable joints `(..., 55, 3)` and vertices `(..., V, 3)`."""
        batch = pose.shape[:-2]
        flat_pose = pose.reshape(-1, NUM_JOINTS * 3).to(self.device, torch.float32)
        flat_trans = trans.reshape(-1, 3).to(flat_pose)
        betas = torch.zeros(10) if betas is None else torch.as_tensor(betas)
        flat_betas = betas[..., :10].to(flat_pose).expand(*batch, 10).reshape(-1, 10)
        n = flat_pose.shape[0]
        n_verts = self.layer.v_template.shape[0]
        joints, vertices = [], []
        for start in range(0, n, _CHUNK):
            stop = min(n, start + _CHUNK)
            p = flat_pose[start:stop]
            out = self.layer(
                betas=flat_betas[start:stop],
                global_orient=p[:, 0:3],
                body_pose=p[:, 3:66],
                jaw_pose=p[:, 66:69],
                leye_pose=p[:, 69:72],
                reye_pose=p[:, 72:75],
                left_hand_pose=p[:, 75:120],
                right_hand_pose=p[:, 120:165],
                transl=flat_trans[start:stop],
                expression=p.new_zeros(stop - start, 10),
            )
            joints.append(out.joints[:, :NUM_JOINTS])
            vertices.append(out.vertices)
        if not joints:
            return flat_pose.new_zeros((*batch, NUM_JOINTS, 3)), flat_pose.new_zeros((*batch, n_verts, 3))
        return (
            torch.cat(joints).reshape(*batch, NUM_JOINTS, 3),
            torch.cat(vertices).reshape(*batch, n_verts, 3),
        )

    @torch.no_grad()
    def __call__(self, pose: np.ndarray, trans: np.ndarray, betas: np.ndarray | None = None):
        """Joints `(..., 55, 3)` and vertices `(..., V, 3)` as float32 numpy arrays."""
        joints, vertices = self.forward_torch(
            torch.as_tensor(np.asarray(pose, np.float32)),
            torch.as_tensor(np.asarray(trans, np.float32)),
            None if betas is None else torch.as_tensor(np.asarray(betas, np.float32)),
        )
        return joints.cpu().numpy(), vertices.cpu().numpy()
