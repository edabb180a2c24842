"""Geometric losses on predicted two-person motion (metres, canonical frame), as in InterGen-style training.

All take denormalized 262-d features `(B, T, 2, 262)` of the prediction and of
the ground truth and a frame mask `(B, T)`:

- velocity: joint velocities against the ground truth's;
- foot contact: foot joint speed where the ground truth's contact flag is on;
- distance map: distances between every joint of one person and every joint
  of the other, against the ground truth, where the persons are within 1 m;
- relative orientation: the angle between the persons' facing directions
  (as a unit vector), against the ground truth;
- kinematic consistency: the predicted local rotations, posed through the
  differentiable torch FK of the neutral skeleton, must give the same
  intra-body joint distances as the predicted positions (distances do not
  depend on the root, which the features do not hold).
"""

from __future__ import annotations

import torch

from interx.body.fk import forward_kinematics_torch
from interx.body.rotations_torch import rotation_6d_to_axis_angle
from interx.body.skeleton import JOINT_INDEX, NUM_BODY_JOINTS, NUM_JOINTS

FPS = 30
NEAR = 1.0  # metres: the distance map is compared where the persons are this close
FOOT_JOINTS = tuple(JOINT_INDEX[n] for n in ("left_ankle", "left_foot", "right_ankle", "right_foot"))
HIPS = (JOINT_INDEX["left_hip"], JOINT_INDEX["right_hip"])
FK_FRAME_STRIDE = 4  # the consistency term looks at every 4th frame: it is a regularizer, not the fit


def positions(features: torch.Tensor) -> torch.Tensor:
    """(..., 262) -> (..., 22, 3) joint positions."""
    return features[..., 0:66].unflatten(-1, (NUM_BODY_JOINTS, 3))


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
    d6 = features[..., 132:258].unflatten(-1, (NUM_BODY_JOINTS - 1, 6))
    lead = d6.shape[:-2]
    pose = torch.zeros(*lead, NUM_JOINTS, 3, dtype=features.dtype, device=features.device)
    pose = torch.cat([pose[..., :1, :], rotation_6d_to_axis_angle(d6), pose[..., NUM_BODY_JOINTS:, :]], dim=-2)
    trans = torch.zeros(*lead, 3, dtype=features.dtype, device=features.device)
    return forward_kinematics_torch(pose, trans)[..., :NUM_BODY_JOINTS, :]


def geometric_losses(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor,
                     rows: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """The five terms above, each a scalar; `rows` (B,) weighs each clip (the training module: by noise level)."""
    p, g = positions(pred), positions(target)  # (B, T, 2, 22, 3)
    frames = mask[:, :, None, None, None].to(pred.dtype)
    pairs = (mask[:, 1:] & mask[:, :-1])[:, :, None, None, None].to(pred.dtype)
    velocity = (p[:, 1:] - p[:, :-1]) * FPS
    velocity_gt = (g[:, 1:] - g[:, :-1]) * FPS
    losses = {"velocity": _masked_mean((velocity - velocity_gt).pow(2).sum(-1, keepdim=True), pairs, rows)}
    contact = (target[:, :-1, :, 258:262] > 0.5).to(pred.dtype)[..., None]  # (B, T-1, 2, 4, 1)
    foot_speed = velocity[:, :, :, FOOT_JOINTS]
    losses["foot_contact"] = _masked_mean(foot_speed.pow(2).sum(-1, keepdim=True) * contact, pairs, rows)
    d = torch.cdist(p[:, :, 0], p[:, :, 1])  # (B, T, 22, 22)
    d_gt = torch.cdist(g[:, :, 0], g[:, :, 1])
    near = (d_gt < NEAR).to(pred.dtype) * mask[:, :, None, None].to(pred.dtype)
    losses["distance_map"] = _masked_mean((d - d_gt).abs(), near, rows)
    orient = relative_orientation(p) - relative_orientation(g)
    losses["orientation"] = _masked_mean(orient.pow(2).sum(-1, keepdim=True), mask[:, :, None].to(pred.dtype), rows)
    sub = pred[:, ::FK_FRAME_STRIDE]
    posed = kinematic_positions(sub)
    consistency = (_intra_distances(posed) - _intra_distances(positions(sub))).abs()
    losses["kinematic"] = _masked_mean(consistency, frames[:, ::FK_FRAME_STRIDE], rows)
    return losses
