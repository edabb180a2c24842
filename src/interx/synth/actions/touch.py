"""Affectionate and caring touch: pats, whispers, support, massages, kisses, linked arms.

Each choreography places the two bodies (face to face, side by side or one
behind the other), lets the actor walk in sometimes, poses torsos and legs,
grounds both bodies, and only then lays hands on the other person with
inverse kinematics, so every declared `Touch` really happens.
"""

from __future__ import annotations

import numpy as np

from interx.body import rotations as rot
from interx.body.skeleton import JOINT_INDEX
from interx.synth.actions import Take, Touch, choreography
from interx.synth.curves import smootherstep
from interx.synth.rig import ARM, ELBOW_AXIS, UP, Body, axis, facing_yaw
from interx.synth.stage import Cast, blend_in, stage, walk_to, walking_time

# Rest-frame hand directions: fingers point along the arm (+X on the left,
# -X on the right) and the palm faces down in the T-pose.
_FINGERS = {"left": np.array([1.0, 0.0, 0.0]), "right": np.array([-1.0, 0.0, 0.0])}
_PALM = np.array([0.0, -1.0, 0.0])
_BEND_LIMIT = 1.2  # radians a wrist bends at most (flexion, extension, deviation together)
_MIN_BEND, _MAX_BEND = 0.2, 2.3  # elbow flexion the arm IK keeps to, radians (relaxed: 0.25)
_TWIST_LIMIT = 1.6  # radians of forearm twist (pronation, supination) either way
_SIGN = {"left": 1.0, "right": -1.0}  # x of a body's left side in its own frame


# ---------------------------------------------------------------- helpers
def _count(cast: Cast, low: int, high: int) -> int:
    return int(cast.rng.integers(low, high + 1))


def _side_vector(body: Body, side: str) -> np.ndarray:
    """Unit horizontal vector toward the body's `side` (left is +X in its own frame), `(T, 3)`."""
    left = np.cross(UP, body.facing())
    return left if side == "left" else -left


def _xz(v: np.ndarray) -> np.ndarray:
    return np.asarray(v)[..., [0, 2]]


def _floor(xz: np.ndarray) -> np.ndarray:
    """A floor vector (x, z) as a world vector."""
    return np.array([xz[0], 0.0, xz[1]])


def _place(body: Body, xz, yaw: float) -> None:
    """Stand the body at floor point `xz` facing `yaw` for the whole take."""
    body.floor_xz[:] = np.asarray(xz, dtype=np.float64)
    body.yaw[:] = yaw


def _yaw_vectors(yaw: float) -> tuple[np.ndarray, np.ndarray]:
    """Forward and left floor vectors (x, z) of a facing angle."""
    return np.array([np.sin(yaw), np.cos(yaw)]), np.array([np.cos(yaw), -np.sin(yaw)])


def _walk_in(cast: Cast, body: Body, arrive: float, extra: float, come_from: np.ndarray) -> None:
    """Start `extra` m away in floor direction `come_from`, walk to the body's spot facing the way,
    and turn to its final facing on arrival."""
    goal = body.floor_xz[0].copy()
    final_yaw = float(body.yaw[0])
    come_from = come_from / np.linalg.norm(come_from)
    body.floor_xz[:] = goal + extra * come_from
    walk_to(body, 0.0, arrive, goal, stride=0.65 * cast.actor_style.amplitude ** 0.3)
    heading = float(facing_yaw(-come_from))
    body.turn_to([0.0, max(0.1, arrive - 0.3), arrive + 0.4], [heading, heading, final_yaw])


def _basis(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Orthonormal frames `(..., 3, 3)`: columns first, second made perpendicular, their cross."""
    a = first / np.linalg.norm(first, axis=-1, keepdims=True)
    b = second - np.sum(second * a, axis=-1, keepdims=True) * a
    b = b / np.maximum(np.linalg.norm(b, axis=-1, keepdims=True), 1e-9)
    return np.stack([a, b, np.cross(a, b)], axis=-1)


def _limit_wrist(local: np.ndarray, forearm: np.ndarray) -> np.ndarray:
    """Axis-angle of local wrist rotations `(T, 3, 3)` with the bend and the twist about the forearm
    each kept within a human range, continuous over time."""
    q = rot.matrix_to_quaternion(local)
    flips = np.concatenate([[1.0], np.where(np.sum(q[1:] * q[:-1], axis=-1) < 0, -1.0, 1.0)])
    q = q * np.cumprod(flips)[:, None]
    if q[:, 0].mean() < 0:
        q = -q
    twist = np.clip(2.0 * np.arctan2(q[:, 1:] @ forearm, q[:, 0]), -_TWIST_LIMIT, _TWIST_LIMIT)
    twist_matrix = rot.axis_angle_to_matrix(twist[:, None] * forearm)
    bend = rot.matrix_to_axis_angle(local @ np.swapaxes(twist_matrix, -1, -2))
    angle = np.linalg.norm(bend, axis=-1, keepdims=True)
    bend = bend * np.minimum(1.0, _BEND_LIMIT / np.maximum(angle, 1e-9))
    return rot.matrix_to_axis_angle(rot.axis_angle_to_matrix(bend) @ twist_matrix)


def _orient_hand(body: Body, side: str, normal, fingers, weight) -> None:
    """Turn the wrist so the palm faces world `normal`, the fingers along the forearm bent toward
    `fingers` (a preference that also settles a forearm square to the surface)."""
    T = body.num_frames
    joints, world = body.fk(return_rotations=True)
    elbow, wrist = JOINT_INDEX[f"{side}_elbow"], JOINT_INDEX[f"{side}_wrist"]
    forearm = joints[:, wrist] - joints[:, elbow]
    fingers = forearm / np.linalg.norm(forearm, axis=-1, keepdims=True) + (0.0 if fingers is None else fingers)
    want = _basis(np.broadcast_to(normal, (T, 3)), np.broadcast_to(fingers, (T, 3)))
    rest = _basis(_PALM, _FINGERS[side])
    local = np.swapaxes(world[:, elbow], -1, -2) @ want @ rest.T
    body.set(f"{side}_wrist", _limit_wrist(local, _FINGERS[side]), weight)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def _arm_chain(body: Body, side: str) -> tuple[np.ndarray, np.ndarray]:
    """Upper arm `(3,)` and elbow-to-palm `(T, 3)` vectors in the rest frame, the hand as the wrist holds it."""
    rest = body.rest
    _, shoulder, elbow, wrist, palm = ARM[side]
    wrist_local = rot.axis_angle_to_matrix(body.pose[:, wrist])
    return rest[elbow] - rest[shoulder], (rest[wrist] - rest[elbow]) + wrist_local @ (rest[palm] - rest[wrist])


def _elbow_direction(bent: np.ndarray, hinge: np.ndarray) -> np.ndarray:
    """Where the elbow points, off the shoulder-palm line, in the upper arm's frame (defined even for a straight arm)."""
    return _unit(np.cross(_unit(bent), hinge))


def _natural_pole(body: Body, side: str) -> np.ndarray:
    """World direction the elbow points to in the current pose `(T, 3)`: aiming the IK with it keeps the pose."""
    _, world = body.fk(return_rotations=True)
    _, shoulder, elbow, _, _ = ARM[side]
    upper, lower = _arm_chain(body, side)
    bent = upper + (rot.axis_angle_to_matrix(body.pose[:, elbow]) @ lower[..., None])[..., 0]
    return (world[:, shoulder] @ _elbow_direction(bent, ELBOW_AXIS[side])[..., None])[..., 0]


def _arm_ik(body: Body, side: str, target: np.ndarray, pole: np.ndarray) -> None:
    """Two-bone IK putting the palm on `target` `(T, 3)` with the elbow toward `pole` `(T, 3)`.

    Like `Body.reach`, but the upper arm's twist comes from the elbow hinge axis rather than from
    the bent chain, so a nearly straight arm or a bent wrist cannot flip it between frames.
    """
    collar, shoulder, elbow, _, _ = ARM[side]
    joints, world = body.fk(return_rotations=True)
    upper, lower = _arm_chain(body, side)
    hinge = ELBOW_AXIS[side]
    to = target - joints[:, shoulder]
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
    bent = upper + (rot.axis_angle_to_matrix(elbow_aa) @ lower[..., None])[..., 0]
    local = _basis(bent, _elbow_direction(bent, hinge))
    aim = _basis(to, pole)
    shoulder_world = aim @ np.swapaxes(local, -1, -2)
    body.pose[:, shoulder] = rot.matrix_to_axis_angle(np.swapaxes(world[:, collar], -1, -2) @ shoulder_world)
    body.pose[:, elbow] = elbow_aa


def _hand_to(body: Body, side: str, contact, progress, normal, fingers=None, pole=None, away=None) -> None:
    """Move the palm of `side` from where it is onto `contact` `(T, 3)` as `progress` (0-1) rises, and back.

    The palm faces `normal` (fingers bent toward `fingers`), the elbow turns toward `pole`, and the
    hand passes `away` (a world offset) half way, to go round the other body rather than through it.
    """
    progress = np.broadcast_to(np.asarray(progress, dtype=np.float64), (body.num_frames,))[:, None]
    start = body.point(f"{side}_middle1")
    natural = _natural_pole(body, side)
    if pole is None:
        pole = natural
    route = np.sin(np.pi * progress) ** 2 * (0.0 if away is None else np.asarray(away))
    target = start + progress * (contact - start) + route
    aim = natural + progress * (_unit(np.broadcast_to(pole, natural.shape)) - natural)
    turn = smootherstep((progress[:, 0] - 0.4) / 0.6)  # the hand turns to the surface as it arrives
    for _ in range(2):
        _orient_hand(body, side, normal, fingers, turn)
        _arm_ik(body, side, target, aim)


def _turn_head(body: Body, angle, weight, torso: float = 0.3) -> None:
    """Turn head (and a little of the chest) by `angle` rad to the body's left (negative: right)."""
    angle = np.asarray(angle) * weight
    body.add("spine3", axis([0, 1, 0], torso * angle))
    body.add("neck", axis([0, 1, 0], (1.0 - torso) * 0.6 * angle))
    body.add("head", axis([0, 1, 0], (1.0 - torso) * 0.4 * angle))


def _bearing(body: Body, point: np.ndarray) -> np.ndarray:
    """Angle `(T,)` from the body's facing to a world point, positive to its left."""
    to = _xz(point) - body.floor_xz
    return np.unwrap(np.angle(np.exp(1j * (facing_yaw(to) - body.yaw))))


def _pat_lift(num_frames: int, first: float, count: int, frequency: float) -> np.ndarray:
    """Height of a patting hand over its contact spot, 0-1: 0 at each of `count` pats, 1 while hovering."""
    t = np.arange(num_frames) / 120.0 - first
    lift = np.sin(np.pi * frequency * t) ** 2
    active = (t >= -0.5 / frequency) & (t <= (count - 0.5) / frequency)
    return np.where(active, lift, 1.0)


def _nod(body: Body, start: float, count: int, weight) -> None:
    """`count` small nods from `start` s (a visible yes / thanks)."""
    t = np.arange(body.num_frames) / 120.0 - start
    active = (t >= 0) & (t <= count / 1.6)
    body.add("neck", axis([1, 0, 0], np.where(active, 0.18 * np.sin(np.pi * 1.6 * t) ** 2, 0.0) * weight))


# ----------------------------------------------------------- pat on back
@choreography(11, contact=True)
def pat_on_back(cast: Cast) -> Take:
    """The actor stands beside, behind or in front of the reactor and pats the upper back 2-4 times."""
    rng = cast.rng
    side = cast.hand
    where = str(rng.choice(["side", "behind", "front"], p=[0.5, 0.25, 0.25]))
    approach = rng.random() < 0.5
    extra = rng.uniform(1.0, 2.0) if approach else 0.0
    t_walk = walking_time(cast, extra) if approach else 0.0
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    reach = cast.seconds(0.55)
    pats = _count(cast, 2, 4)
    frequency = rng.uniform(1.8, 2.8) * min(cast.pace, 1.2)
    first = t0 + reach + 0.5 / frequency
    last = first + (pats - 1) / frequency
    latency = cast.reactor_style.latency
    reaction = str(rng.choice(["responds", "still"], p=[0.6, 0.4]))
    release = last + 0.5 / frequency + cast.seconds(0.5)
    look = (first + latency, first + latency + 0.6 + rng.uniform(0.6, 1.2))  # the reactor looks round
    duration = max(release, look[1] + 0.7) + cast.seconds(rng.uniform(0.4, 1.0))
    actor, reactor = stage(cast, duration, 1.0)
    home, ryaw = reactor.floor_xz[0].copy(), float(reactor.yaw[0])
    forward, left = _yaw_vectors(ryaw)
    outer = left if side == "right" else -left  # from the reactor toward the actor's spot when beside it
    turn = 1.0 if side == "left" else -1.0  # toward the reactor when it is on the actor's `side`
    scale = cast.actor_style.distance ** 0.5
    if where == "side":
        spot = home + outer * rng.uniform(0.45, 0.55) * scale - forward * rng.uniform(0.0, 0.1)
        yaw = ryaw + turn * rng.uniform(0.2, 0.5)
        come_from = -forward + rng.uniform(0.0, 1.0) * outer
    elif where == "behind":
        spot = home - forward * rng.uniform(0.45, 0.55) * scale
        yaw = ryaw + rng.uniform(-0.2, 0.2)
        come_from = -forward + rng.uniform(-0.5, 0.5) * left
    else:
        spot = home + forward * rng.uniform(0.36, 0.42) * scale
        yaw = ryaw + np.pi + rng.uniform(-0.2, 0.2)
        come_from = forward + rng.uniform(-0.5, 0.5) * left
    _place(actor, spot, yaw)
    if approach:
        _walk_in(cast, actor, t_walk, extra, come_from)
    weight = blend_in(actor, t0, reach, release, cast.seconds(0.5))
    if where == "front":
        actor.add("spine2", axis([1, 0, 0], 0.15 * weight))
    reacting = blend_in(reactor, look[0], 0.6, look[1] + 0.7, 0.7)
    actor.ground()
    reactor.ground()
    if reaction == "responds":
        _turn_head(reactor, np.clip(_bearing(reactor, actor.point("head")), -1.3, 1.3), reacting)
        _nod(reactor, first + latency + 0.4, 1, 1.0)
    # the contact spot is on the upper back, toward the patting hand's side of the reactor
    x = {"side": -rng.uniform(0.0, 0.05), "behind": 0.05, "front": 0.07}[where]
    x *= _SIGN["right" if side == "left" else "left"] if where != "behind" else _SIGN[side]
    spot_offset = (float(x), 0.03, -0.11)
    back = reactor.point("spine3", spot_offset)
    normal = reactor.facing()  # the palm faces forward, onto the back
    lift = _pat_lift(actor.num_frames, first, pats, frequency)
    amplitude = 0.07 * cast.actor_style.amplitude
    target = back - normal * (0.01 + amplitude * lift)[:, None]
    out = _side_vector(actor, side)
    pole = {"side": -0.5 * UP + 0.2 * out - actor.facing(), "behind": -UP + 0.4 * out, "front": -0.4 * UP + out}[where]
    fingers = {"side": None, "behind": UP, "front": -UP}[where]
    away = {"side": 0.1 * _floor(outer) - 0.15 * normal, "behind": 0.05 * out, "front": 0.15 * UP + 0.1 * out}[where]
    _hand_to(actor, side, target, weight, normal, fingers, pole, away)
    actor.curl_fingers(side, 0.25 - 0.15 * weight)
    touch = Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "spine3", spot_offset, first - 0.05, last + 0.05)
    performance = cast.performance(hand=side, reactor_hand="none", repetitions=pats, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, (touch,))
