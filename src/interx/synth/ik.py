"""Hand placement beyond `Body.reach`: palm on a point with the hand turned a given way.

Three tools for three needs, all on the rig's two-bone solver or its bounded variant:
`palm_reach` (a quick blow or grip: the wrist goes where the hand's turn needs it),
`pose_hand` (gestures: the elbow swivel is chosen over time to keep the wrist in human range),
`lay_palm` (caring touch: the hand sweeps round the shoulder onto a surface and settles on it).
"""

from __future__ import annotations

import numpy as np

from interx.body import rotations as rot
from interx.synth.curves import smooth, smootherstep
from interx.synth.rig import ARM, ELBOW_AXIS, UP, Body, J, orthonormal_frame, side_sign, two_bone_ik, unit


# ------------------------------------------------------- hand orientation
def hand_frame(side: str, fingers: np.ndarray, palm: np.ndarray) -> np.ndarray:
    """World rotation `(T, 3, 3)` of a hand whose fingers point along `fingers` and whose palm faces `palm`.

    At rest the left fingers point +x, the right ones -x, and both palms face -y.
    """
    d = unit(fingers)
    p = unit(palm - np.sum(palm * d, axis=-1, keepdims=True) * d)
    if side == "left":
        return np.stack([d, -p, -np.cross(d, p)], axis=-1)
    return np.stack([-d, -p, np.cross(d, p)], axis=-1)


def down_chain(body: Body, parent_world: np.ndarray, joints) -> np.ndarray:
    """World rotation of the last of `joints` (a parent-to-child run) from its first joint's parent,
    without a full forward kinematics pass."""
    world = parent_world
    for j in joints:
        world = world @ rot.axis_angle_to_matrix(body.pose[:, j])
    return world


def palm_reach(body: Body, side: str, target, hand: np.ndarray, weight, pole=None, turn=None) -> None:
    """Put the palm on `target` with the hand turned to world rotation `hand`: the wrist goes where
    that hand orientation needs it, then the wrist joint turns the hand (by `turn`, default `weight`)."""
    _, _, elbow, wrist, palm = ARM[side]
    wrist_target = target - (hand @ (body.rest[palm] - body.rest[wrist])[:, None])[..., 0]
    collar_world = body.reach(side, wrist_target, weight, pole=pole, point="wrist")
    forearm = down_chain(body, collar_world, (ARM[side][1], elbow))
    wrist_local = np.swapaxes(forearm, -1, -2) @ hand
    # the roll about the forearm goes to the elbow (pronation), the wrist only bends
    along = unit(body.rest[wrist] - body.rest[elbow])
    q = rot.matrix_to_quaternion(wrist_local)
    twist = np.concatenate([q[:, :1], (q[:, 1:] @ along)[:, None] * along], axis=-1)
    twist = rot.quaternion_to_matrix(twist / np.maximum(np.linalg.norm(twist, axis=-1, keepdims=True), 1e-9))
    elbow_local = rot.axis_angle_to_matrix(body.pose[:, elbow]) @ twist
    turn = weight if turn is None else turn
    body.set(f"{side}_elbow", rot.matrix_to_axis_angle(elbow_local), turn)
    body.set(f"{side}_wrist", rot.matrix_to_axis_angle(np.swapaxes(twist, -1, -2) @ wrist_local), turn)


# ------------------------------------------------------------ gestures
_SWIVELS = np.linspace(-np.pi, np.pi, 24, endpoint=False)
_EVERY = 4  # the swivel path is chosen at 30 fps and interpolated


def pose_hand(body: Body, side: str, palm_target, fingers, palm_normal, weight, pole=None) -> None:
    """Put the palm point (middle1) on `palm_target` with the hand oriented by `fingers` and `palm_normal`.

    The arm is solved for the wrist position that this orientation implies,
    with the elbow swivelled (`_swivel`) so the wrist twists and bends within
    human range; the wrist takes the rest of the rotation. All blended by
    `weight`, and solved only over the frames where it is not zero.
    """
    n = body.num_frames
    weight = np.broadcast_to(np.asarray(weight, dtype=np.float64), (n,))
    active = np.flatnonzero(weight > 0)
    if len(active) == 0:
        return
    span = slice(active[0], active[-1] + 1)

    def window(x) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=np.float64), (n, 3))[span]

    world_hand = hand_frame(side, window(fingers), window(palm_normal))
    collar, shoulder, elbow, wrist, palm = ARM[side]
    rest = body.rest
    target = window(palm_target) - world_hand @ (rest[palm] - rest[wrist])
    joints, world = body.fk(return_rotations=True)
    base = joints[span, shoulder]
    # stop short of a straight arm, where the elbow's swivel (and so the forearm's twist) is undefined
    longest = 0.97 * (np.linalg.norm(rest[elbow] - rest[shoulder]) + np.linalg.norm(rest[wrist] - rest[elbow]))
    reach = target - base
    distance = np.linalg.norm(reach, axis=-1, keepdims=True)
    target = target - reach * np.maximum(0.0, 1.0 - longest / np.maximum(distance, 1e-9))
    facing = body.facing()[span]
    out = np.cross(UP, facing) * side_sign(side)
    shoulder_aa, elbow_aa, forearm = _swivel(
        rest, side, base, world[span, collar], target, world_hand, out, facing, None if pole is None else window(pole))
    # the wrist's rotation relative to the fully reached forearm, so it eases in with the arm
    wrist_aa = rot.matrix_to_axis_angle(np.swapaxes(forearm, -1, -2) @ world_hand)
    for joint, value in (("shoulder", _continuous(shoulder_aa)), ("elbow", elbow_aa), ("wrist", _continuous(wrist_aa))):
        full = body.pose[:, J[f"{side}_{joint}"]].copy()
        full[span] = value
        body.set(f"{side}_{joint}", full, weight)


def _continuous(aa: np.ndarray) -> np.ndarray:
    """Axis-angles `(T, 3)` without the flips at 180 degrees, so that blending them is smooth in time."""
    q = rot.axis_angle_to_quaternion(aa)
    flips = np.where(np.sum(q[1:] * q[:-1], axis=-1) < 0, -1.0, 1.0)
    q = q * np.concatenate([[1.0], np.cumprod(flips)])[:, None]
    if q[:, 0].mean() < 0:  # the short way round on the whole
        q = -q
    angle = 2.0 * np.arctan2(np.linalg.norm(q[:, 1:], axis=-1), q[:, 0])
    return angle[:, None] * unit(q[:, 1:])


def _swivel(rest, side, base, collar_world, target, world_hand, out, facing, pole):
    """Shoulder and elbow axis-angles `(T, 3)` that put the wrist on `target` with the elbow swivelled to
    keep the wrist within human range for this hand orientation, and the forearm's world rotation.

    The elbow can swing around the shoulder-wrist line; each swivel angle
    leaves the wrist a different rotation. Costs: forearm twist past about
    80 degrees, wrist bend past about 70, an elbow raised above that line
    (unless reaching up), distance from the preferred `pole` (default: down
    and out). A minimum-cost path over time with a penalty on swivel speed,
    then smoothed, keeps the elbow moving like a person's.
    """
    _, shoulder, elbow, wrist, _ = ARM[side]
    n, k = len(base), len(_SWIVELS)
    along = unit(target - base)
    preference = 0.15 if pole is None else 1.0  # an explicit pole is a stronger wish
    if pole is None:
        pole = -UP + 0.6 * out - 0.3 * facing
    reference = -UP + 0.8 * out - 0.2 * facing
    u1 = unit(reference - np.sum(reference * along, -1, keepdims=True) * along)
    u2 = np.cross(along, u1)
    u = rest[elbow] - rest[shoulder]
    v = rest[wrist] - rest[elbow]
    # score every swivel at 30 fps
    c = slice(None, None, _EVERY)
    m = len(base[c])
    poles = np.cos(_SWIVELS)[:, None, None] * u1[c] + np.sin(_SWIVELS)[:, None, None] * u2[c]  # (K, m, 3)
    collar_k = np.tile(collar_world[c], (k, 1, 1))
    shoulder_aa, elbow_aa = two_bone_ik(np.tile(base[c], (k, 1)), collar_k, u, np.broadcast_to(v, (k * m, 3)),
                                        ELBOW_AXIS[side], np.tile(target[c], (k, 1)), poles.reshape(-1, 3),
                                        max_bend=2.5)
    upper = collar_k @ rot.axis_angle_to_matrix(shoulder_aa)
    local = np.swapaxes(upper @ rot.axis_angle_to_matrix(elbow_aa), -1, -2) @ np.tile(world_hand[c], (k, 1, 1))
    bone = unit(v)
    quaternion = rot.matrix_to_quaternion(local)
    twist = 2.0 * np.arctan2(np.abs(quaternion[:, 1:] @ bone), np.abs(quaternion[:, 0]))
    bend = np.arccos(np.clip((local @ bone) @ bone, -1.0, 1.0))
    along_k = np.tile(along[c], (k, 1))
    arm = upper @ u
    raised = unit(arm - np.sum(arm * along_k, -1, keepdims=True) * along_k)[:, 1]
    overhead = (1.0 - np.maximum(along_k[:, 1], 0.0)) ** 2  # a raised elbow is natural when reaching up
    preferred = np.arctan2(np.sum(pole[c] * u2[c], -1), np.sum(pole[c] * u1[c], -1))
    gap = np.angle(np.exp(1j * (_SWIVELS[:, None] - preferred[None])))
    cost = (30 * np.maximum(twist - 1.4, 0.0) ** 2 + 30 * np.maximum(bend - 1.2, 0.0) ** 2 + 0.3 * twist**2
            + 0.2 * bend**2 + 2.0 * np.maximum(raised + 0.3, 0.0) ** 2 * overhead).reshape(k, m) + preference * gap**2
    step = np.angle(np.exp(1j * (_SWIVELS[:, None] - _SWIVELS[None])))
    coarse = np.unwrap(_SWIVELS[_cheapest_path(cost, 100.0 * step**2)])
    angle = smooth(np.interp(np.arange(n), np.arange(0, n, _EVERY), coarse), 0.3)
    chosen = np.cos(angle)[:, None] * u1 + np.sin(angle)[:, None] * u2
    shoulder_aa, elbow_aa = two_bone_ik(base, collar_world, u, np.broadcast_to(v, (n, 3)), ELBOW_AXIS[side], target,
                                        chosen, max_bend=2.5)
    forearm = collar_world @ rot.axis_angle_to_matrix(shoulder_aa) @ rot.axis_angle_to_matrix(elbow_aa)
    return shoulder_aa, elbow_aa, forearm


def _cheapest_path(cost: np.ndarray, transition: np.ndarray) -> np.ndarray:
    """Viterbi: state per frame minimising the summed `cost` (K, T) plus `transition` (K, K) per step."""
    k, n = cost.shape
    total = cost[:, 0].copy()
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        candidates = total[None, :] + transition  # [to, from]
        back[t] = np.argmin(candidates, axis=1)
        total = candidates[np.arange(k), back[t]] + cost[:, t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(np.argmin(total))
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


# --------------------------------------------------------- laying a palm
# Rest-frame hand directions: fingers point along the arm (+X on the left,
# -X on the right) and the palm faces down in the T-pose.
_FINGERS = {"left": np.array([1.0, 0.0, 0.0]), "right": np.array([-1.0, 0.0, 0.0])}
_PALM = np.array([0.0, -1.0, 0.0])
_BEND_LIMIT = 1.2  # radians a wrist bends at most (flexion, extension, deviation together)
_MIN_BEND, _MAX_BEND = 0.2, 2.3  # elbow flexion the arm IK keeps to, radians (relaxed: 0.25)
_TWIST_LIMIT = 1.6  # radians of forearm twist (pronation, supination) either way


def lay_palm(body: Body, side: str, contact, progress, normal, fingers=None, pole=None, lead=None) -> None:
    """Move the palm of `side` from where it is onto `contact` `(T, 3)` as `progress` (0-1) rises, and back.

    The palm faces `normal` (fingers bent toward `fingers`) and the elbow turns toward `pole`. The
    hand swings to `contact + lead` first and closes the last bit straight, so it arrives from the
    side `lead` points to (from outside the other body, never through it).
    """
    collar, shoulder, elbow, wrist, palm = ARM[side]
    joints, world = body.fk(return_rotations=True)
    progress = np.broadcast_to(np.asarray(progress, dtype=np.float64), (body.num_frames,))[:, None]
    # where the elbow points now: aiming the IK there keeps the arm as it is
    upper, lower = _arm_chain(body, side)
    bent = upper + (rot.axis_angle_to_matrix(body.pose[:, elbow]) @ lower[..., None])[..., 0]
    natural = (world[:, shoulder] @ _elbow_direction(bent, ELBOW_AXIS[side])[..., None])[..., 0]
    pole = natural if pole is None else unit(np.broadcast_to(pole, natural.shape))
    lead = np.zeros(3) if lead is None else np.asarray(lead)
    # `progress` is already eased; undo that so each phase eases once (easing twice makes the hand dart)
    grid = np.linspace(0.0, 1.0, 257)
    linear = np.interp(progress, smootherstep(grid), grid)
    settle = smootherstep((linear - 0.55) / 0.45)
    target = _sweep(joints[:, shoulder], joints[:, palm], contact + lead, smootherstep(linear / 0.8)) - settle * lead
    aim = natural + progress * (pole - natural)
    turn = smootherstep((progress[:, 0] - 0.4) / 0.6)  # the hand turns to the surface as it arrives
    elbow_world, forearm = world[:, elbow], joints[:, wrist] - joints[:, elbow]
    for _ in range(2):
        _orient_hand(body, side, normal, fingers, turn, elbow_world, forearm)
        elbow_world, forearm = _bounded_arm_ik(body, side, target, aim, joints[:, shoulder], world[:, collar])


def _sweep(shoulder: np.ndarray, start: np.ndarray, end: np.ndarray, progress: np.ndarray) -> np.ndarray:
    """Points from `start` to `end` `(T, 3)` swung round the shoulder, the elbow bending the hand in
    close half way (as an arm moves), rather than a straight line that may cut through a body."""
    origin, goal = start - shoulder, end - shoulder
    near, far = np.linalg.norm(origin, axis=-1, keepdims=True), np.linalg.norm(goal, axis=-1, keepdims=True)
    omega = np.arccos(np.clip(np.sum(origin * goal, axis=-1, keepdims=True) / (near * far), -1.0, 1.0))
    weights = np.sin(np.stack([(1.0 - progress) * omega, progress * omega])) / np.maximum(np.sin(omega), 1e-6)
    heading = np.where(omega > 1e-3, weights[0] * origin / near + weights[1] * goal / far,
                       (1.0 - progress) * origin / near + progress * goal / far)
    radius = (1.0 - progress) * near + progress * far - 0.45 * np.minimum(near, far) * np.sin(np.pi * progress)
    return shoulder + unit(heading) * radius


def _orient_hand(body: Body, side: str, normal, fingers, weight, elbow_world: np.ndarray,
                 forearm: np.ndarray) -> None:
    """Turn the wrist so the palm faces world `normal`, the fingers along the forearm bent toward
    `fingers` (a preference that also settles a forearm square to the surface). `elbow_world`
    `(T, 3, 3)` and `forearm` `(T, 3)` are the arm as it is."""
    T = body.num_frames
    fingers = unit(forearm) + (0.0 if fingers is None else fingers)
    want = orthonormal_frame(np.broadcast_to(normal, (T, 3)), np.broadcast_to(fingers, (T, 3)))
    rest = orthonormal_frame(_PALM, _FINGERS[side])
    local = np.swapaxes(elbow_world, -1, -2) @ want @ rest.T
    body.set(f"{side}_wrist", _limit_wrist(local, _FINGERS[side]), weight)


def _limit_wrist(local: np.ndarray, forearm: np.ndarray) -> np.ndarray:
    """Axis-angle of local wrist rotations `(T, 3, 3)` with the bend and the twist about the forearm
    each kept within a human range."""
    q = rot.matrix_to_quaternion(local)
    twist = np.angle(np.exp(2j * np.arctan2(q[:, 1:] @ forearm, q[:, 0])))  # in (-pi, pi], same for q and -q
    twist_matrix = rot.axis_angle_to_matrix(_saturate(twist, _TWIST_LIMIT)[:, None] * forearm)
    bend = rot.matrix_to_axis_angle(local @ np.swapaxes(rot.axis_angle_to_matrix(twist[:, None] * forearm), -1, -2))
    angle = np.linalg.norm(bend, axis=-1, keepdims=True)
    bend = bend * _saturate(angle, _BEND_LIMIT) / np.maximum(angle, 1e-9)
    return rot.matrix_to_axis_angle(rot.axis_angle_to_matrix(bend) @ twist_matrix)


def _saturate(angle: np.ndarray, limit: float) -> np.ndarray:
    """`angle` (-pi..pi) held within +-`limit`, falling back to 0 as it nears a half turn: a request for
    an impossible hand turn then fades out instead of jumping from one limit to the other."""
    size = np.abs(angle)
    knee = 0.5 * (limit + np.pi)
    kept = np.where(size < knee, np.minimum(size, limit), limit * (np.pi - size) / (np.pi - knee))
    return np.sign(angle) * kept


def _arm_chain(body: Body, side: str) -> tuple[np.ndarray, np.ndarray]:
    """Upper arm `(3,)` and elbow-to-palm `(T, 3)` vectors in the rest frame, the hand as the wrist holds it."""
    rest = body.rest
    _, shoulder, elbow, wrist, palm = ARM[side]
    wrist_local = rot.axis_angle_to_matrix(body.pose[:, wrist])
    return rest[elbow] - rest[shoulder], (rest[wrist] - rest[elbow]) + wrist_local @ (rest[palm] - rest[wrist])


def _elbow_direction(bent: np.ndarray, hinge: np.ndarray) -> np.ndarray:
    """Where the elbow points off the shoulder-palm line, in the upper arm's frame (defined even for a
    straight arm)."""
    return unit(np.cross(unit(bent), hinge))


def _bounded_arm_ik(body: Body, side: str, target: np.ndarray, pole: np.ndarray, shoulder_at: np.ndarray,
            collar_world: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two-bone IK putting the palm on `target` `(T, 3)` with the elbow toward `pole` `(T, 3)`, for a
    shoulder joint at `shoulder_at` whose parent is turned `collar_world` (neither moves with the arm).

    Like `Body.reach`, but the upper arm's twist comes from the elbow hinge axis rather than from
    the bent chain, and a pole in line with the target hands over to a spare one, so a nearly
    straight arm, a bent wrist or a passing pole cannot flip the arm between frames. Returns the
    elbow's world rotation and the forearm (elbow to wrist, world) it leaves.
    """
    _, shoulder, elbow, wrist, _ = ARM[side]
    upper, lower = _arm_chain(body, side)
    hinge = ELBOW_AXIS[side]
    to = target - shoulder_at
    distance = np.linalg.norm(to, axis=-1)
    # |upper + H(theta) lower|^2 = distance^2, with H a turn about the hinge: a cos + b sin = k
    along = np.sum(lower * hinge, axis=-1, keepdims=True) * hinge
    across = lower - along
    a = across @ upper
    b = np.cross(hinge, across) @ upper
    k = 0.5 * (distance**2 - upper @ upper - np.sum(lower * lower, axis=-1)) - along @ upper
    phi = np.arctan2(b, a)
    spread = np.arccos(np.clip(k / np.maximum(np.hypot(a, b), 1e-9), -1.0, 1.0))
    # the arm neither locks straight (where the elbow would whip round) nor folds past ~130 degrees:
    # a target out of that range is reached for as far as it allows
    theta = np.clip(phi + spread, _MIN_BEND, _MAX_BEND)
    elbow_aa = theta[:, None] * hinge
    elbow_local = rot.axis_angle_to_matrix(elbow_aa)
    bent = upper + (elbow_local @ lower[..., None])[..., 0]
    local = orthonormal_frame(bent, _elbow_direction(bent, hinge))
    # a pole in line with the target says nothing about the elbow: fade in "down" instead
    along = unit(to)
    pole = unit(pole)
    pole = pole - np.sum(pole * along, axis=-1, keepdims=True) * along
    spare = -UP - 0.3 * body.facing()
    spare = spare - np.sum(spare * along, axis=-1, keepdims=True) * along
    pole = pole + smootherstep((0.6 - np.linalg.norm(pole, axis=-1, keepdims=True)) / 0.5) * spare
    shoulder_world = orthonormal_frame(to, pole) @ np.swapaxes(local, -1, -2)
    body.pose[:, shoulder] = rot.matrix_to_axis_angle(np.swapaxes(collar_world, -1, -2) @ shoulder_world)
    body.pose[:, elbow] = elbow_aa
    elbow_world = shoulder_world @ elbow_local
    return elbow_world, elbow_world @ (body.rest[wrist] - body.rest[elbow])
