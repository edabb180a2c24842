"""`BodyModel`: one API for joints and meshes, neutral or exact SMPL-X.

Without model files it uses the neutral skeleton (`interx.body.fk`) and the
`mannequin-x` mesh; given a folder with the licensed SMPL-X files it computes
exact SMPL-X joints and vertices through the `smplx` package. Callers never
need to know which one they have.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from interx.body import fk, mesh


class BodyModel:
    def __init__(self, smplx_path: str | Path | None = None, gender: str = "neutral", device: str = "cpu"):
        self.exact = None
        if smplx_path is not None:
            from interx.body.smplx_exact import ExactSMPLX

            self.exact = ExactSMPLX(smplx_path, gender=gender, device=device)

    @property
    def name(self) -> str:
        return f"SMPL-X ({self.exact.source})" if self.exact else "neutral skeleton (mannequin-x calibration)"

    @property
    def faces(self) -> np.ndarray:
        return self.exact.faces if self.exact else mesh.mannequin_faces()

    def joints(self, pose, trans, betas=None):
        """Joints `(..., 55, 3)` from a `(..., 55, 3)` axis-angle pose.

        numpy in, numpy out; torch in, torch out (differentiable).
        """
        if isinstance(pose, torch.Tensor):
            if self.exact:
                return self.exact.forward_torch(pose, trans, betas)[0]
            return fk.forward_kinematics_torch(pose, trans, betas)
        if self.exact:
            return self.exact(pose, trans, betas)[0]
        return fk.forward_kinematics(pose, trans, betas)

    def vertices(self, pose, trans, betas=None) -> np.ndarray:
        """Mesh vertices `(..., V, 3)`: exact SMPL-X or the mannequin."""
        if self.exact:
            return self.exact(pose, trans, betas)[1]
        return mesh.mannequin_vertices(pose, trans, betas)

    def joints_from_params(self, root_orient, pose_body, pose_lhand=None, pose_rhand=None, trans=None, betas=None):
        """Joints from the keys of an Inter-X motion file."""
        pose = fk.pose_from_params(root_orient, pose_body, pose_lhand, pose_rhand)
        if trans is None:
            trans = (torch.zeros_like(pose[..., 0, :]) if isinstance(pose, torch.Tensor)
                     else np.zeros_like(pose[..., 0, :]))
        return self.joints(pose, trans, betas)
