"""A person's motion under construction, and the tools that pose it.

A `Body` holds local SMPL-X joint rotations per frame plus a floor path
(pelvis position on the floor, facing angle). Choreographies layer joint
curves on a relaxed standing pose, walk the path, put the body on the floor,
then place hands and feet exactly with two-bone inverse kinematics, so that
contact between the two persons really happens (or really does not).
"""

from __future__ import annotations

import numpy as np

from interx.body import rotations as rot
from interx.body.fk import forward_kinematics
from interx.body.skeleton import JOINT_INDEX, NUM_JOINTS
from interx.body.template import rest_joints
from interx.synth.curves import FPS, bumps, smooth, smootherstep

J = JOINT_INDEX
UP = np.array([0.0, 1.0, 0.0])

# Height above the floor of each joint when a standing body's soles touch it:
# feet and ankles from the neutral rest pose; other joints only need to stay
# above the floor by about the body's half-thickness there.
_FOOT_CLEARANCE = {"left_ankle": 0.075, "right_ankle": 0.075, "left_foot": 0.02, "right_foot": 0.02}
CLEARANCE = np.full(NUM_JOINTS, 0.05)
for _name, _c in _FOOT_CLEARANCE.items():
    CLEARANCE[J[_name]] = _c
CLEARANCE[J["pelvis"]] = 0.10
CLEARANCE[J["spine1"]] = CLEARANCE[J["spine2"]] = CLEARANCE[J["spine3"]] = 0.10
CLEARANCE[J["head"]] = 0.09

# side -> (collar, shoulder, elbow, wrist, palm point) and elbow hinge axis (flexion, local frame)
ARM = {
    "left": (J["left_collar"], J["left_shoulder"], J["left_elbow"], J["left_wrist"], J["left_middle1"]),
    "right": (J["right_collar"], J["right_shoulder"], J["right_elbow"], J["right_wrist"], J["right_middle1"]),
}
ELBOW_AXIS = {"left": np.array([0.0, -1.0, 0.0]), "right": np.array([0.0, 1.0, 0.0])}
LEG = {
    "left": (J["pelvis"], J["left_hip"], J["left_knee"], J["left_ankle"], J["left_foot"]),
    "right": (J["pelvis"], J["right_hip"], J["right_knee"], J["right_ankle"], J["right_foot"]),
}
KNEE_AXIS = np.array([1.0, 0.0, 0.0])
OTHER = {"left": "right", "right": "left"}


def yaw_matrix(yaw: np.ndarray) -> np.ndarray:
    """Rotation about +Y; yaw 0 faces +Z, and facing is (sin yaw, 0, cos yaw)."""
    c, s = np.cos(yaw), np.sin(yaw)
    out = np.zeros(np.shape(yaw) + (3, 3))
    out[..., 0, 0], out[..., 0, 2], out[..., 1, 1], out[..., 2, 0], out[..., 2, 2] = c, s, 1.0, -s, c
    return out


def facing_yaw(direction: np.ndarray) -> np.ndarray:
    """Yaw that faces a horizontal direction `(..., 2)` given as (x, z)."""
    return np.arctan2(direction[..., 0], direction[..., 1])


def side_sign(side: str) -> float:
    """+1 for the left side (a body's own +X), -1 for the right."""
    return 1.0 if side == "left" else -1.0


def unit(x: np.ndarray) -> np.ndarray:
    """Unit vectors along the last axis (zero vectors stay zero)."""
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def column(value) -> np.ndarray | float:
    """Scalars stay scalars; per-frame curves `(T,)` become columns `(T, 1)` to scale xyz vectors."""
    value = np.asarray(value, dtype=np.float64)
    return value[:, None] if value.ndim else float(value)


def axis(vector, angle) -> np.ndarray:
    """Axis-angle `(T, 3)` for a rotation of `angle` (scalar or `(T,)`) about a fixed axis."""
    return np.asarray(angle, dtype=np.float64)[..., None] * np.asarray(vector, dtype=np.float64)


class Body:
    """One person's motion at `FPS`: local rotations, floor path, facing."""

    def __init__(self, num_frames: int, betas: np.ndarray, position, yaw: float):
        self.num_frames = num_frames
        self.betas = np.asarray(betas, dtype=np.float64)
        self.rest = rest_joints(self.betas)
        self.pose = np.zeros((num_frames, NUM_JOINTS, 3))
        self.floor_xz = np.tile(np.asarray(position, dtype=np.float64), (num_frames, 1))
        self.yaw = np.full(num_frames, float(yaw))
        self.lift = np.zeros(num_frames)  # height added after grounding (carried, sitting on a knee)
        self.height = np.zeros(num_frames)  # pelvis height set by `ground`
        self.grounded = True
        self._root_cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._relax()

    # ------------------------------------------------------------------ pose
    def _relax(self) -> None:
        """Arms down by the sides, elbows a little bent, fingers softly curled."""
        self.set("left_shoulder", axis([0, 0, -1], 1.25))
        self.set("right_shoulder", axis([0, 0, 1], 1.25))
        self.set("left_elbow", axis([0, -1, 0], 0.25))
        self.set("right_elbow", axis([0, 1, 0], 0.25))
        self.curl_fingers("both", 0.25)

    def set(self, joint: str, value, weight=1.0) -> None:
        """Blend joint `joint` toward `value` (axis-angle `(3,)` or `(T, 3)`) by `weight` (scalar or `(T,)`)."""
        j = J[joint]
        if np.ndim(weight) == 0 and weight == 1.0:
            self.pose[:, j] = value  # the blend below with w = 1, without its cost (set is called thousands of times)
            return
        w = np.asarray(weight, dtype=np.float64)
        w = w[:, None] if w.ndim else w
        self.pose[:, j] = self.pose[:, j] * (1.0 - w) + np.asarray(value, dtype=np.float64) * w

    def add(self, joint: str, value) -> None:
        """Add a small rotation on top of the joint's current one (axis-angle sum)."""
        self.pose[:, J[joint]] += np.broadcast_to(value, (self.num_frames, 3))

    def curl_fingers(self, side: str, amount, thumb=None, fingers=("index", "middle", "pinky", "ring")) -> None:
        """Flex finger joints: 0 = flat hand, 1 = fist. `amount` scalar or `(T,)`."""
        amount = np.broadcast_to(np.asarray(amount, dtype=np.float64), (self.num_frames,))
        sides = ("left", "right") if side == "both" else (side,)
        scales = np.tile([1.3, 1.6, 1.0], len(fingers))
        for s in sides:
            sign = -1.0 if s == "left" else 1.0  # fingers flex about -Z on the left, +Z on the right
            rows = [J[f"{s}_{finger}{k}"] for finger in fingers for k in (1, 2, 3)]
            self.pose[:, rows] = np.multiply.outer(amount, scales)[..., None] * np.array([0.0, 0.0, sign])
            t = amount if thumb is None else np.broadcast_to(np.asarray(thumb, dtype=np.float64), (self.num_frames,))
            thumbs = [J[f"{s}_thumb{k}"] for k in (1, 2, 3)]
            self.pose[:, thumbs] = axis([0, sign * 0.4, sign * 0.3], 0.9 * t)[:, None]

    def nod(self, start: float, count: int, frequency: float, amount: float) -> None:
        """`count` nods of `amount` rad from `start` s, `frequency` per second (a visible yes / thanks)."""
        self.add("neck", axis([1, 0, 0], amount * bumps(self.num_frames, start, count, frequency)))

    # ------------------------------------------------------------- placement
    def root_orient(self) -> np.ndarray:
        """World root rotation: facing (yaw) composed with the local pelvis tilt in `pose[:, 0]`."""
        tilt, yaw = self.pose[:, 0], self.yaw
        cached = self._root_cache  # FK runs often between changes of tilt and yaw
        if cached is not None and np.array_equal(cached[0], tilt) and np.array_equal(cached[1], yaw):
            return cached[2].copy()
        # quaternion product (cos(y/2), 0, sin(y/2), 0) * tilt: cheaper than going through matrices
        w, x, y, z = np.moveaxis(rot.axis_angle_to_quaternion(tilt), -1, 0)
        c, s = np.cos(0.5 * yaw), np.sin(0.5 * yaw)
        root = rot.quaternion_to_axis_angle(np.stack([c * w - s * y, c * x + s * z, c * y + s * w, c * z - s * x], -1))
        self._root_cache = (tilt.copy(), np.array(yaw, dtype=np.float64), root)
        return root.copy()

    def full_pose(self) -> np.ndarray:
        pose = self.pose.copy()
        pose[:, 0] = self.root_orient()
        return pose

    def trans(self) -> np.ndarray:
        """SMPL-X `trans`: puts the pelvis at (floor x, height + lift, floor z)."""
        pelvis = np.stack([self.floor_xz[:, 0], self.height + self.lift, self.floor_xz[:, 1]], axis=-1)
        return pelvis - self.rest[0]

    def fk(self, return_rotations: bool = False, joints=None):
        """World joints (and rotations) of every frame; `joints` (indices) for only those, cheaper."""
        return forward_kinematics(self.full_pose(), self.trans(), self.betas, return_rotations=return_rotations,
                                  joints=joints)

    def ground(self) -> None:
        """Choose the pelvis height per frame so the lowest body point just touches the floor.

        `lift` (carried, sitting on someone) is added on top and not grounded.
        """
        self.height = np.zeros(self.num_frames)
        joints = self.fk()
        self.height = -np.min(joints[..., 1] - CLEARANCE, axis=-1) + self.lift

    def facing(self) -> np.ndarray:
        """Unit facing direction `(T, 3)` of the pelvis (horizontal)."""
        return np.stack([np.sin(self.yaw), np.zeros(self.num_frames), np.cos(self.yaw)], axis=-1)

    def side_vector(self, side: str) -> np.ndarray:
        """Unit horizontal vector `(T, 3)` toward the body's `side` (left is +X in its own frame)."""
        left = np.cross(UP, self.facing())
        return left if side == "left" else -left

    def local(self, out=0.0, up=0.0, forward=0.0, side: str = "left") -> np.ndarray:
        """World vectors `(T, 3)` from components in the body's own frame: `out` toward `side`, `up`, `forward`
        (each a scalar or `(T,)`)."""
        forward_direction = self.facing()
        left = np.cross(UP, forward_direction)
        return column(out) * side_sign(side) * left + column(up) * UP + column(forward) * forward_direction

    def arm_length(self, side: str) -> float:
        """Shoulder to palm along a straight arm (upper arm plus forearm and hand), metres."""
        _, shoulder, elbow, _, palm = ARM[side]
        rest = self.rest
        return float(np.linalg.norm(rest[elbow] - rest[shoulder]) + np.linalg.norm(rest[palm] - rest[elbow]))

    # --------------------------------------------------------------- walking
    def walk_path(self, times, points, stride: float = 0.7, swing: float = 1.0) -> None:
        """Walk through floor `points` (K, 2) at `times` (s), legs stepping with the distance covered.

        Facing (`yaw`) is left to the caller; steps take about
        `stride` m each; arms counter-swing.
        """
        from interx.synth.curves import keyframes

        path = keyframes(self.num_frames, times, points)
        self.floor_xz = path
        step = np.linalg.norm(np.diff(path, axis=0, prepend=path[:1]), axis=-1)
        distance = np.cumsum(step)
        speed = step * FPS
        moving = smooth(smootherstep(np.clip(speed / 0.3, 0.0, 1.0)), 0.5)  # legs settle over half a second
        phase = np.pi * distance / stride  # one step per stride: a gait cycle (2 pi) per two steps
        amp = swing * moving
        for side, offset in (("left", 0.0), ("right", np.pi)):
            # hip flexion follows a sine; the knee bends while the leg swings forward (cos > 0)
            s, c = np.sin(phase + offset), np.cos(phase + offset)
            self.set(f"{side}_hip", axis([-1, 0, 0], 0.35 * s * amp), weight=moving)
            self.set(f"{side}_knee", axis([1, 0, 0], (0.9 * np.maximum(0.0, c) ** 1.5 + 0.08) * amp), weight=moving)
            self.set(f"{side}_ankle", axis([1, 0, 0], -0.15 * s * amp), weight=moving)
            shoulder_axis = [0, 1, 0] if side == "left" else [0, -1, 0]
            self.add(f"{side}_shoulder", axis(shoulder_axis, -0.2 * s * amp))

    def turn_to(self, times, yaws) -> None:
        from interx.synth.curves import keyframes

        self.yaw = keyframes(self.num_frames, times, np.unwrap(np.asarray(yaws, dtype=np.float64)))

    # -------------------------------------------------------------------- IK
    def reach(self, side: str, target: np.ndarray, weight, pole: np.ndarray | None = None,
              point: str = "palm") -> np.ndarray:
        """Put the palm (or wrist) of arm `side` on world `target` `(T, 3)`, blended by `weight`.

        Two-bone IK on shoulder and elbow: the elbow angle that gives the
        needed shoulder-to-target distance, then the shoulder rotation that
        aims the arm and points the elbow toward `pole` (world, default:
        down and out). Unreachable targets get a nearly straight arm aimed at
        them. Returns the collar's world rotation `(T, 3, 3)` (the arm's
        parent, unchanged), for tools that go on down the arm.
        """
        collar, shoulder, elbow, wrist, palm = ARM[side]
        end = palm if point == "palm" else wrist
        joints, world = self.fk(return_rotations=True, joints=[shoulder, collar])
        wrist_local = rot.axis_angle_to_matrix(self.pose[:, wrist])
        u = self.rest[elbow] - self.rest[shoulder]
        v = (self.rest[wrist] - self.rest[elbow])[None] + wrist_local @ (self.rest[end] - self.rest[wrist])
        if pole is None:
            out = np.cross(UP, self.facing()) * (1.0 if side == "left" else -1.0)
            pole = -UP + 0.6 * out - 0.3 * self.facing()
        shoulder_aa, elbow_aa = two_bone_ik(
            joints[:, 0], world[:, 1], u, v, ELBOW_AXIS[side], np.asarray(target, dtype=np.float64),
            np.broadcast_to(pole, (self.num_frames, 3)), max_bend=2.5,
        )
        self.set(f"{side}_shoulder", shoulder_aa, weight)
        self.set(f"{side}_elbow", elbow_aa, weight)
        return world[:, 1]

    def place_foot(self, side: str, target: np.ndarray, weight, pole: np.ndarray | None = None,
                   max_bend: float = 2.4, fk: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Put the ankle of leg `side` on world `target` `(T, 3)`, the knee toward `pole` (default: forward).

        `fk` (joint positions and world rotations of the whole body, from `fk(return_rotations=True)`)
        may be shared by both legs placed together: one leg does not move the other's hip.
        """
        root, hip, knee, ankle, _ = LEG[side]
        if fk is None:
            joints, world = self.fk(return_rotations=True, joints=[hip, root])
        else:
            joints, world = fk[0][:, [hip, root]], fk[1][:, [hip, root]]
        u = self.rest[knee] - self.rest[hip]
        v = np.broadcast_to(self.rest[ankle] - self.rest[knee], (self.num_frames, 3))
        pole = self.facing() + 0.2 * UP if pole is None else np.broadcast_to(pole, (self.num_frames, 3))
        hip_aa, knee_aa = two_bone_ik(
            joints[:, 0], world[:, 1], u, v, KNEE_AXIS, np.asarray(target, dtype=np.float64), pole, max_bend=max_bend
        )
        self.set(f"{side}_hip", hip_aa, weight)
        self.set(f"{side}_knee", knee_aa, weight)

    def point(self, joint: str, offset=(0.0, 0.0, 0.0)) -> np.ndarray:
        """World position `(T, 3)` of a point fixed in `joint`'s frame (e.g. a spot on the back)."""
        joints, world = self.fk(return_rotations=True, joints=[J[joint]])
        return joints[:, 0] + world[:, 0] @ np.asarray(offset, dtype=np.float64)

    def parameters(self) -> dict[str, np.ndarray]:
        """Inter-X motion keys (float32)."""
        pose = self.full_pose().astype(np.float32)
        return {
            "root_orient": pose[:, 0],
            "pose_body": pose[:, 1:22],
            "pose_lhand": pose[:, 25:40],
            "pose_rhand": pose[:, 40:55],
            "trans": self.trans().astype(np.float32),
        }


def orthonormal_frame(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Orthonormal frames `(T, 3, 3)` whose columns are primary, the part of secondary
    perpendicular to it, and their cross product."""
    a = unit(primary)
    b = unit(secondary - np.sum(secondary * a, axis=-1, keepdims=True) * a)
    return np.stack([a, b, np.cross(a, b)], axis=-1)


def two_bone_ik(base, parent_world, u, v, hinge, target, pole, max_bend):
    """Local axis-angles of the base joint and the hinge joint of a two-bone chain.

    `base` `(T, 3)` world position of the chain's first joint, `parent_world`
    `(T, 3, 3)` world rotation of its parent, `u` `(3,)` the first bone and
    `v` `(T, 3)` the second bone to the end point (rest frame), `hinge` the
    hinge joint's flexion axis (local), `target` `(T, 3)`, `pole` `(T, 3)`
    where the middle joint should point. Solves |u + H(theta) v| = distance
    exactly (H a rotation about the hinge), theta in [0, max_bend].
    """
    hinge = unit(np.asarray(hinge, dtype=np.float64))
    u = np.broadcast_to(np.asarray(u, dtype=np.float64), v.shape)
    to_target = target - base
    distance = np.linalg.norm(to_target, axis=-1)
    v_par = np.sum(v * hinge, axis=-1, keepdims=True) * hinge
    v_perp = v - v_par
    a = np.sum(u * v_perp, axis=-1)
    b = np.sum(u * np.cross(hinge, v_perp), axis=-1)
    c0 = np.sum(u * v_par, axis=-1)
    k = 0.5 * (distance**2 - np.sum(u * u, -1) - np.sum(v * v, -1))
    r = np.maximum(np.hypot(a, b), 1e-12)
    phi = np.arctan2(b, a)
    spread = np.arccos(np.clip((k - c0) / r, -1.0, 1.0))
    candidates = np.stack([phi - spread, phi + spread], axis=-1)
    candidates = (candidates + np.pi) % (2 * np.pi) - np.pi
    score = np.where((candidates >= 0) & (candidates <= max_bend), candidates, 10.0 + np.abs(candidates))
    theta = np.take_along_axis(candidates, np.argmin(score, axis=-1)[:, None], axis=-1)[:, 0]
    theta = np.clip(theta, 0.0, max_bend)
    hinge_aa = theta[:, None] * hinge
    bent = u + (rot.axis_angle_to_matrix(hinge_aa) @ v[..., None])[..., 0]
    # base rotation (world) maps the bent chain onto the target direction, middle joint toward the pole.
    # The middle joint's side is taken from the hinge axis (the side the limb bends to), not from the
    # first bone: that is the same for a bent limb and stays defined for a straight one, where the
    # first bone's offset from the chain line is tiny and points anywhere (the limb would spin).
    local_frame = orthonormal_frame(bent, -np.cross(hinge, bent))
    world_frame = orthonormal_frame(to_target, pole)
    base_world = world_frame @ np.swapaxes(local_frame, -1, -2)
    base_local = np.swapaxes(parent_world, -1, -2) @ base_world
    return rot.matrix_to_axis_angle(base_local), hinge_aa
