"""Geometric losses on predicted two-person motion (metres, canonical frame), as in InterGen-style training.

`geometric_losses` takes the 22 body joints `(B, T, 2, 22, 3)` of the
prediction and of the ground truth (from the layout's `positions`) and a
frame mask `(B, T)`:

- velocity: joint velocities against the ground truth's;
- foot contact: foot joint speed where the ground truth's feet are in contact
  (the features' rule: slow and near the floor);
- distance map: distances between every joint of one person and every joint
  of the other, against the ground truth, where the persons are within 1 m;
- relative orientation: the angle between the persons' facing directions
  (as a unit vector), against the ground truth.

`kinematic_consistency` is for the `joints` layout, which holds both
positions and rotations: the predicted local rotations, posed through the
differentiable torch FK of the neutral skeleton, must give the same
intra-body joint distances as the predicted positions (distances do not
depend on the root, which the features do not hold).
"""

from __future__ import annotations

import torch

from interx.body.fk import body_joints_torch
from interx.body.rotations_torch import rotation_6d_to_matrix
from interx.body.skeleton import JOINT_INDEX, NUM_BODY_JOINTS
from interx.prepare.features import CONTACT_HEIGHT, CONTACT_SQ_DISPLACEMENT

FPS = 30
NEAR = 1.0  # metres: the distance map is compared where the persons are this close
FOOT_JOINTS = tuple(JOINT_INDEX[n] for n in ("left_ankle", "left_foot", "right_ankle", "right_foot"))
HIPS = (JOINT_INDEX["left_hip"], JOINT_INDEX["right_hip"])
FK_FRAME_STRIDE = 4  # the consistency term looks at every 4th frame: it is a regularizer, not the fit


def _masked_mean(values: torch.Tensor, weight: torch.Tensor, rows: torch.Tensor | None = None) -> torch.Tensor:
    """Mean of `values` over the entries `weight` marks; `rows` (B,) scales each clip's share."""
    weight = weight.expand_as(values)
    scaled = weight if rows is None else weight * rows.view(-1, *([1] * (values.dim() - 1)))
    return (values * scaled).sum() / weight.sum().clamp_min(1.0)


def facing(joints: torch.Tensor) -> torch.Tensor:
    """(..., 22, 3) -> horizontal unit facing (..., 2) as (x, z): hip line x up."""
    across = joints[..., HIPS[0], :] - joints[..., HIPS[1], :]
    forward = torch.stack([-across[..., 2], across[..., 0]], dim=-1)
    return forward / forward.norm(dim=-1, keepdim=True).clamp_min(1e-6)


def relative_orientation(joints: torch.Tensor) -> torch.Tensor:
    """(B, T, 2, 22, 3) -> (B, T, 2): cosine and sine of the angle from person 0's facing to person 1's."""
    f = facing(joints)
    a, b = f[:, :, 0], f[:, :, 1]
    return torch.stack([(a * b).sum(-1), a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], dim=-1)


def _intra_distances(joints: torch.Tensor) -> torch.Tensor:
    return torch.cdist(joints, joints)


def kinematic_positions(features: torch.Tensor) -> torch.Tensor:
    """(..., 262) -> (..., 22, 3) joints of the neutral skeleton posed by the features' rotations (root unrotated)."""
    local = rotation_6d_to_matrix(features[..., 132:258].unflatten(-1, (NUM_BODY_JOINTS - 1, 6)))
    root = torch.eye(3, dtype=features.dtype, device=features.device).expand(*local.shape[:-3], 1, 3, 3)
    trans = features.new_zeros(*local.shape[:-3], 3)
    return body_joints_torch(torch.cat([root, local], dim=-3), trans)


def foot_contacts(joints: torch.Tensor) -> torch.Tensor:
    """(B, T, 2, 22, 3) canonical joints -> (B, T-1, 2, 4, 1) 0/1 contacts by the features' rule."""
    feet = joints[:, :, :, FOOT_JOINTS]
    moved = (feet[:, 1:] - feet[:, :-1]).pow(2).sum(-1)
    return ((moved < CONTACT_SQ_DISPLACEMENT) & (feet[:, :-1, ..., 1] < CONTACT_HEIGHT)).to(joints.dtype)[..., None]


def geometric_losses(p: torch.Tensor, g: torch.Tensor, mask: torch.Tensor,
                     rows: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """The four terms above for predicted joints `p` and true joints `g`, each a scalar; `rows` (B,) weighs each
    clip (the training module: by noise level)."""
    dtype = p.dtype
    pairs = (mask[:, 1:] & mask[:, :-1])[:, :, None, None, None].to(dtype)
    velocity = (p[:, 1:] - p[:, :-1]) * FPS
    velocity_gt = (g[:, 1:] - g[:, :-1]) * FPS
    losses = {"velocity": _masked_mean((velocity - velocity_gt).pow(2).sum(-1, keepdim=True), pairs, rows)}
    foot_speed = velocity[:, :, :, FOOT_JOINTS]
    losses["foot_contact"] = _masked_mean(foot_speed.pow(2).sum(-1, keepdim=True) * foot_contacts(g), pairs, rows)
    d = torch.cdist(p[:, :, 0], p[:, :, 1])  # (B, T, 22, 22)
    d_gt = torch.cdist(g[:, :, 0], g[:, :, 1])
    near = (d_gt < NEAR).to(dtype) * mask[:, :, None, None].to(dtype)
    losses["distance_map"] = _masked_mean((d - d_gt).abs(), near, rows)
    orient = relative_orientation(p) - relative_orientation(g)
    losses["orientation"] = _masked_mean(orient.pow(2).sum(-1, keepdim=True), mask[:, :, None].to(dtype), rows)
    return losses


def kinematic_consistency(features: torch.Tensor, mask: torch.Tensor, rows: torch.Tensor | None = None
                          ) -> torch.Tensor:
    """Intra-body distance mismatch between the 262-d features' rotations (posed by FK) and their positions."""
    sub = features[:, ::FK_FRAME_STRIDE]
    posed = kinematic_positions(sub)
    positions = sub[..., 0:3 * NUM_BODY_JOINTS].unflatten(-1, (NUM_BODY_JOINTS, 3))
    consistency = (_intra_distances(posed) - _intra_distances(positions)).abs()
    frames = mask[:, ::FK_FRAME_STRIDE, None, None, None].to(features.dtype)
    return _masked_mean(consistency, frames, rows)
