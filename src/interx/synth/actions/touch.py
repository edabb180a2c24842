"""Affectionate and caring touch: pats, whispers, support, massages, kisses, linked arms.

Each choreography places the two bodies (face to face, side by side or one
behind the other), lets the actor walk in sometimes, poses torsos and legs,
grounds both bodies, and only then lays hands on the other person with
inverse kinematics, so every declared `Touch` really happens.
"""

from __future__ import annotations

import numpy as np

from interx.body import rotations as rot
from interx.body.fk import forward_kinematics
from interx.body.skeleton import JOINT_INDEX
from interx.body.template import rest_joints
from interx.synth.actions import Take, Touch, choreography
from interx.synth.actions.openings import OPENINGS
from interx.synth.ik import lay_palm
from interx.synth.rig import CLEARANCE, FPS, UP, Body, axis, facing_yaw, side_sign, unit, yaw_matrix
from interx.synth.stage import Cast, approach_from_afar, blend_in, stage, walk_to, walking_time


# ---------------------------------------------------------------- helpers
def _settle(cast: Cast, end: float, low: float, high: float) -> float:
    """Length of a take whose action ends at `end` s: a settle of `low`-`high` s (at the take's pace),
    cut short so no take runs past 11.8 s."""
    return end + min(cast.seconds(float(cast.rng.uniform(low, high))), max(0.25, 11.8 - end))


def _arm_time(cast: Cast, nominal: float = 0.8) -> float:
    """Seconds to bring a hand from the side to the other person (or back): even a brisk one takes
    half a second, or the hand would fly."""
    return max(cast.seconds(nominal), 0.5)


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
    turning to its final facing over the last steps."""
    goal = body.floor_xz[0].copy()
    final_yaw = float(body.yaw[0])
    come_from = come_from / np.linalg.norm(come_from)
    body.floor_xz[:] = goal + extra * come_from
    walk_to(body, 0.0, arrive, goal, stride=0.65 * cast.actor_style.amplitude ** 0.3)
    heading = float(facing_yaw(-come_from))
    body.turn_to([0.0, max(0.1, arrive - 0.7), arrive], [heading, heading, final_yaw])  # turns on the last steps


def _turn_head(body: Body, angle, weight, torso: float = 0.3) -> None:
    """Turn head (and a little of the chest) by `angle` rad to the body's left (negative: right)."""
    angle = np.asarray(angle) * weight
    body.add("spine3", axis([0, 1, 0], torso * angle))
    body.add("neck", axis([0, 1, 0], (1.0 - torso) * 0.6 * angle))
    body.add("head", axis([0, 1, 0], (1.0 - torso) * 0.4 * angle))


def _pat_lift(num_frames: int, first: float, count: int, frequency: float) -> np.ndarray:
    """Height of a patting hand over its contact spot, 0-1: 0 at each of `count` pats, 1 while hovering."""
    t = np.arange(num_frames) / FPS - first
    lift = np.sin(np.pi * frequency * t) ** 2
    active = (t >= -0.5 / frequency) & (t <= (count - 0.5) / frequency)
    return np.where(active, lift, 1.0)


def _direction(body: Body, joint: str, vector) -> np.ndarray:
    """World direction `(T, 3)` of a vector fixed in `joint`'s frame (e.g. the way a cheek faces)."""
    return body.point(joint, vector) - body.point(joint)


def _lean_back(body: Body, weight) -> None:
    """Pull the head and chest back (a startled or reluctant withdrawal)."""
    body.add("spine3", axis([1, 0, 0], -0.12 * weight))
    body.add("neck", axis([1, 0, 0], -0.15 * weight))


def _fit_reach(body: Body, reaches, when: float, ratio: float = 0.8, other: Body | None = None,
               closest: float = 0.0) -> None:
    """Step the (grounded) body nearer or farther, over the whole take, so each arm in `reaches`
    ((side, target `(T, 3)`) pairs) gets to its target at `when` s with the arm at about `ratio` of its
    length: neither stretched straight nor cramped. It moves along the floor toward the first target;
    the farthest target decides how far, but it stays `closest` m (pelvis to pelvis) from `other`."""
    frame = min(int(when * FPS), body.num_frames - 1)
    direction = None
    shift = -np.inf
    for side, target in reaches:
        to = target[frame] - body.point(f"{side}_shoulder")[frame]
        if direction is None:
            direction = unit(to * np.array([1.0, 0.0, 1.0]))
        length = ratio * body.arm_length(side)
        ahead = to @ direction
        across = np.linalg.norm(to - ahead * direction)
        shift = max(shift, ahead - np.sqrt(max(length**2 - across**2, 0.01)))
    step = direction[[0, 2]]
    if other is not None:  # the first point along the way that is `closest` from the other body
        gap = body.floor_xz[frame] - other.floor_xz[frame]
        b = gap @ step
        disc = b**2 - gap @ gap + closest**2
        if disc > 0:
            shift = min(shift, -b - np.sqrt(disc))
    body.floor_xz += shift * step


def _lean_to_reach(body: Body, side: str, target: np.ndarray, weight, frame: int, ratio: float = 0.8) -> None:
    """Lean the trunk forward (over `weight`) just enough for the `side` arm to get to `target`
    `(T, 3)` at `frame` with the arm at `ratio` of its length; grounds the body."""
    pose = body.pose.copy()
    length = ratio * body.arm_length(side)

    def short(angle: float) -> float:
        body.pose[:] = pose
        body.add("spine2", axis([1, 0, 0], 0.6 * angle * weight))
        body.add("spine3", axis([1, 0, 0], 0.4 * angle * weight))
        return float(np.linalg.norm(target[frame] - _grounded_point(body, frame, f"{side}_shoulder"))) - length

    low, high = 0.0, 0.6
    if short(0.0) > 0:
        for _ in range(10):
            middle = 0.5 * (low + high)
            low, high = (middle, high) if short(middle) > 0 else (low, middle)
    short(high if short(0.0) > 0 else 0.0)
    body.ground()


def _height(cast: Cast, person: int, joint: str) -> float:
    """Height of a joint above the floor when subject `person` (0 or 1) stands upright."""
    rest = rest_joints(cast.group.subjects[person].betas)
    return float(rest[JOINT_INDEX[joint], 1] - rest[JOINT_INDEX["left_foot"], 1] + 0.02)


def _bow(body: Body, angle, weight) -> None:
    """Bend the upper back and neck forward by `angle` rad in all (bowing the head)."""
    for joint, share in (("spine2", 0.25), ("spine3", 0.3), ("neck", 0.45)):
        body.add(joint, axis([1, 0, 0], share * angle * weight))


def _face_to_face(cast: Cast, duration: float, near: float, far: float, approach: bool, extra: float,
                  arrive: float) -> tuple[Body, Body]:
    """Staged facing each other within arm's reach (`near`-`far` m, closer for close partners)."""
    distance = cast.rng.uniform(near, far) * cast.actor_style.distance ** 0.5
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, arrive, extra)
    return actor, reactor


# ----------------------------------------------------------- pat on back
@choreography(11, contact=True)
def pat_on_back(cast: Cast) -> Take:
    """The actor stands beside, behind or in front of the reactor and pats the upper back 2-4 times."""
    rng = cast.rng
    opening = OPENINGS[11]
    side = cast.hand
    where = str(rng.choice(["side", "behind", "front"], p=[0.5, 0.25, 0.25]))
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    reach = _arm_time(cast)
    pats = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    first = t0 + reach + 0.5 / frequency
    last = first + (pats - 1) / frequency
    latency = cast.reactor_style.latency
    # beside, the reactor can pat back; behind or in front it takes it or shies away
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.5, 0.3, 0.2]) if where == "side"
                   else rng.choice(["still", "recoils"], p=[0.6, 0.4]))
    release = last + 0.5 / frequency + cast.seconds(0.3)
    fall = _arm_time(cast)
    reply = first + latency + 0.2
    arm = _arm_time(cast)
    back_pats = cast.count(1, 2)
    back_end = reply + arm + back_pats / frequency + 0.2
    duration = _settle(cast, max(release + fall, back_end + arm), 0.4, 1.0)
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
    weight = blend_in(actor, t0, reach, release + fall, fall)
    if where == "front":
        actor.add("spine2", axis([1, 0, 0], 0.15 * weight))
    rside = "left" if side == "right" else "right"  # the reactor's side toward the actor, when beside it
    if reaction == "responds":  # turns to the actor (and pats its back, below)
        _turn_head(reactor, side_sign(rside) * 0.6, blend_in(reactor, reply, 0.6, back_end + arm, arm))
    elif reaction == "recoils":  # shies away from the hand: aside, forward or back
        away = blend_in(reactor, last + 0.5 * latency, 0.5, duration - 0.1, 0.8)
        if where == "side":
            _lean_sideways(reactor, side, 0.15, away)
            _turn_head(reactor, -side_sign(rside) * 0.4, away)
        elif where == "behind":
            reactor.add("spine2", axis([1, 0, 0], 0.25 * away))
        else:
            _lean_back(reactor, away)
    actor.ground()
    reactor.ground()
    # the contact spot is on the upper back, toward the patting hand's side of the reactor
    x = {"side": -rng.uniform(0.0, 0.05), "behind": 0.05, "front": 0.07}[where]
    x *= side_sign("right" if side == "left" else "left") if where != "behind" else side_sign(side)
    spot_offset = (float(x), 0.03, -0.11)
    back = reactor.point("spine3", spot_offset)
    normal = reactor.facing()  # the palm faces forward, onto the back
    lift = _pat_lift(actor.num_frames, first, pats, frequency)
    amplitude = 0.07 * cast.actor_style.amplitude
    target = back - normal * (0.01 + amplitude * lift)[:, None]
    out = actor.side_vector(side)
    pole = {"side": -0.5 * UP + 0.2 * out - actor.facing(), "behind": -UP + 0.4 * out, "front": -0.4 * UP + out}[where]
    fingers = {"side": None, "behind": UP, "front": -UP}[where]
    lead = {"side": 0.1 * _floor(outer) - 0.15 * normal, "behind": -0.15 * normal,
            "front": 0.1 * UP - 0.12 * normal}[where]
    lay_palm(actor, side, target, weight, normal, fingers, pole, lead)
    actor.curl_fingers(side, 0.25 - 0.15 * weight)
    touch = Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "spine3", spot_offset, first - 0.05, last + 0.05)
    if reaction == "responds":  # pats the actor's back in return
        behind = actor.point("spine3", (0.0, 0.03, -0.11))
        front = actor.facing()
        lift = _pat_lift(reactor.num_frames, reply + arm + 0.5 / frequency, back_pats, frequency)
        target = behind - front * (0.01 + 0.06 * lift)[:, None]
        rout = reactor.side_vector(rside)
        lay_palm(reactor, rside, target, blend_in(reactor, reply, arm, back_end + arm, arm), front,
                 pole=-0.5 * UP + 0.2 * rout - reactor.facing(), lead=0.1 * _floor(-outer) - 0.15 * front)
    performance = cast.performance(hand=side, reactor_hand=rside if reaction == "responds" else "none",
                                   repetitions=pats, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, (touch,))


# ----------------------------------------------------------- pat on cheek
@choreography(30, contact=True)
def pat_on_cheek(cast: Cast) -> Take:
    """Face to face, the actor's palm lightly pats the reactor's cheek on its side 1-3 times."""
    rng = cast.rng
    opening = OPENINGS[30]
    side = cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.7))
    reach = _arm_time(cast)
    pats = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    first = t0 + reach + 0.5 / frequency
    last = first + (pats - 1) / frequency
    release = last + 0.5 / frequency + cast.seconds(rng.uniform(0.1, 0.5))
    fall = _arm_time(cast)
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.5, 0.3, 0.2]))
    if _height(cast, cast.actor, "head") - _height(cast, 1 - cast.actor, "head") > 0.15:
        reaction = "still" if reaction == "responds" else reaction  # the actor's face is out of its reach
    reply = last + cast.reactor_style.latency
    pats_back = cast.count(1, 2)
    back_end = reply + reach + pats_back / frequency + 0.2
    duration = _settle(cast, max(release + fall, back_end + fall), 0.5, 1.2)
    actor, reactor = _face_to_face(cast, duration, 0.5, 0.62, approach, extra, t_walk)
    weight = blend_in(actor, t0, reach, release + fall, fall)
    actor.add("spine2", axis([1, 0, 0], 0.08 * weight))
    if reaction == "recoils":
        _lean_back(reactor, blend_in(reactor, first + cast.reactor_style.latency, 0.3, duration - 0.2, 0.6))
    actor.ground()
    reactor.ground()
    _fit_reach(actor, [(side, reactor.point("head", _pat_cheek_spot(side)))], first, 0.8, reactor, 0.42)
    _pat_cheek(actor, reactor, side, weight, first, pats, frequency, 0.045 * cast.actor_style.amplitude)
    touch = Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "head", _pat_cheek_spot(side), first - 0.05, last + 0.05)
    reactor_hand = "none"
    if reaction == "responds":  # pats the actor's cheek back, leaning in if it must
        reactor_hand = "right" if rng.random() < 0.7 else "left"
        answer = blend_in(reactor, reply, reach, back_end + fall, fall)
        first_back = reply + reach + 0.5 / frequency
        _lean_to_reach(reactor, reactor_hand, actor.point("head", _pat_cheek_spot(reactor_hand)), answer,
                       min(int(first_back * FPS), reactor.num_frames - 1))
        _pat_cheek(reactor, actor, reactor_hand, answer, first_back, pats_back, frequency,
                   0.04 * cast.reactor_style.amplitude)
    performance = cast.performance(hand=side, reactor_hand=reactor_hand, repetitions=pats, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, (touch,))


def _pat_cheek_spot(hand: str) -> tuple[float, float, float]:
    """The cheek a `hand` of someone facing you meets (their right meets your left), in the head's frame."""
    cheek = "left" if hand == "right" else "right"
    return (side_sign(cheek) * 0.06, -0.03, 0.06)


def _pat_cheek(body: Body, other: Body, hand: str, weight, first: float, count: int, frequency: float,
               amplitude: float) -> None:
    """`body` pats the facing `other`'s cheek with `hand`, `count` times from `first` s."""
    cheek = "left" if hand == "right" else "right"
    outward = _direction(other, "head", (side_sign(cheek) * 0.75, 0.0, 0.66))
    lift = _pat_lift(body.num_frames, first, count, frequency)
    target = other.point("head", _pat_cheek_spot(hand)) + outward * (0.012 + amplitude * lift)[:, None]
    out = body.side_vector(hand)
    lay_palm(body, hand, target, weight, -outward, UP, pole=-UP + 0.6 * out, lead=0.1 * outward)
    body.curl_fingers(hand, 0.25 - 0.2 * weight)


# ------------------------------------------------------------- touch head
@choreography(32, contact=True)
def touch_head(cast: Cast) -> Take:
    """The actor lays a palm on top of the reactor's head and rests it, ruffles the hair or pats;
    the reactor touches the actor's head back, ducks away or lets it be."""
    rng = cast.rng
    opening = OPENINGS[32]
    side = cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    style = str(rng.choice(["rest", "rub", "pat"], p=[0.3, 0.4, 0.3]))
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.7))
    reach = _arm_time(cast, 0.9)
    count = 1 if style == "rest" else opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    first = t0 + reach
    hold = count / frequency if style != "rest" else cast.seconds(rng.uniform(0.8, 1.6))
    release = first + hold + 0.1
    fall = _arm_time(cast)
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.45, 0.35, 0.2]))
    # a much taller reactor bows to be reached (it sees the hand coming)
    above = _height(cast, 1 - cast.actor, "head") + 0.125 - _height(cast, cast.actor, f"{side}_shoulder")
    bow = min(0.7, 2.0 * max(0.0, above - 0.3))
    rhand = "right" if rng.random() < 0.7 else "left"
    if _height(cast, cast.actor, "head") + 0.125 - _height(cast, 1 - cast.actor, f"{rhand}_shoulder") > 0.3:
        reaction = "still" if reaction == "responds" else reaction  # the actor's head is out of its reach
    reply = release + cast.reactor_style.latency
    back = cast.seconds(rng.uniform(0.6, 1.0))
    duration = _settle(cast, max(release + fall, reply + reach + back + fall if reaction == "responds" else 0.0),
                       0.5, 1.2)
    actor, reactor = _face_to_face(cast, duration, 0.48, 0.6, approach, extra, t_walk)
    weight = blend_in(actor, t0, reach, release + fall, fall)
    actor.add("spine2", axis([1, 0, 0], 0.06 * weight))
    if bow > 0:
        _bow(reactor, bow, blend_in(reactor, t0 + 0.3 * reach, 0.7 * reach, release + fall, fall))
    if reaction == "recoils":  # ducks out from under it once it lands
        _lean_back(reactor, blend_in(reactor, first + cast.reactor_style.latency, 0.3, duration - 0.2, 0.6))
    actor.ground()
    reactor.ground()
    _fit_reach(actor, [(side, reactor.point("head", _CROWN))], first, 0.9, reactor, 0.36)
    t = np.arange(actor.num_frames) / FPS - first
    moving = np.where((t >= 0) & (t <= count / frequency) & (style != "rest"), 1.0, 0.0)
    stroke = (np.sin(2 * np.pi * frequency * t) if style == "rub" else 0.5 - 0.5 * np.cos(2 * np.pi * frequency * t))
    _palm_on_crown(actor, reactor, side, weight, style, stroke * moving, 0.035 * cast.actor_style.amplitude)
    touch = Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "head", _CROWN, first - 0.05, release)
    if reaction == "responds":  # lays a hand on the actor's head in return, leaning in if it must
        answer = blend_in(reactor, reply, reach, reply + reach + back + fall, fall)
        _lean_to_reach(reactor, rhand, actor.point("head", _CROWN), answer,
                       min(int((reply + reach + 0.5 * back) * FPS), reactor.num_frames - 1), 0.9)
        _palm_on_crown(reactor, actor, rhand, answer, "rest", 0.0, 0.0)
    performance = cast.performance(hand=side, reactor_hand=rhand if reaction == "responds" else "none",
                                   repetitions=count, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, (touch,))


_CROWN = (0.0, 0.125, 0.01)  # the top of the head, in the head's frame


def _palm_on_crown(body: Body, other: Body, hand: str, weight, style: str, stroke, amplitude: float) -> None:
    """`body` lays `hand` on top of `other`'s head: resting, rubbing side to side or patting (`stroke`)."""
    top = other.point("head", _CROWN)
    up = _direction(other, "head", (0.0, 1.0, 0.0))
    if style == "rub":
        top = top + amplitude * np.asarray(stroke)[:, None] * other.side_vector("left")
    elif style == "pat":
        top = top + amplitude * np.asarray(stroke)[:, None] * up
    lead = 0.1 * up - 0.2 * body.facing()  # comes down onto the crown from above, not through the face
    lay_palm(body, hand, top + 0.012 * up, weight, -up, body.facing(), pole=-UP + 0.6 * body.side_vector(hand),
             lead=lead)
    body.curl_fingers(hand, 0.25 - 0.15 * weight)


# ------------------------------------------------------------ cover mouth
@choreography(36, contact=True)
def cover_mouth(cast: Cast) -> Take:
    """The actor's palm covers the reactor's mouth, sometimes the other hand holding the back of the head."""
    rng = cast.rng
    opening = OPENINGS[36]
    side = cast.hand
    other = "left" if side == "right" else "right"
    above = _height(cast, 1 - cast.actor, "head") - _height(cast, cast.actor, f"{other}_shoulder")
    both = rng.random() < 0.3 and above < 0.35  # a hand behind the head of a much taller person is out of reach
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    reach = _arm_time(cast, rng.uniform(0.6, 0.9))
    first = t0 + reach
    hold = cast.seconds(rng.uniform(1.0, 2.2))
    release = first + hold
    fall = _arm_time(cast)
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.4, 0.3, 0.3]))
    reply = first + cast.reactor_style.latency
    reactor_side = "right" if rng.random() < 0.7 else "left"
    if reaction == "responds":  # the reactor takes hold of the covering wrist until it lets go
        release = max(release, reply + 0.9)
    duration = _settle(cast, release + fall, 0.6, 1.3)
    actor, reactor = _face_to_face(cast, duration, 0.48, 0.58, approach, extra, t_walk)
    weight = blend_in(actor, t0, reach, release + fall, fall)
    actor.add("spine2", axis([1, 0, 0], 0.08 * weight))
    if reaction == "recoils":  # pulls the head back; the hand follows, then lets go
        _lean_back(reactor, blend_in(reactor, reply, 0.4, duration - 0.2, 0.8))
    actor.ground()
    reactor.ground()
    offset = (0.0, -0.035, 0.1)
    facing = _direction(reactor, "head", (0.0, 0.0, 1.0))
    mouth = reactor.point("head", offset) + 0.012 * facing
    back_offset = (side_sign(side) * 0.07, 0.02, -0.05)  # behind the ear on the free hand's side
    _fit_reach(actor, [(side, mouth)] + ([(other, reactor.point("head", back_offset))] if both else []), first,
               0.85, reactor, 0.38)
    out = actor.side_vector(side)
    across = 1.5 * actor.side_vector(other)  # fingers across the face toward the far cheek
    lay_palm(actor, side, mouth, weight, -facing, across, pole=-UP + 0.7 * out, lead=0.1 * facing)
    actor.curl_fingers(side, 0.25 - 0.2 * weight)
    touches = [Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "head", offset, first, release)]
    if both:  # the other hand behind the head, so it cannot pull away
        inward = -_direction(reactor, "head", np.array(back_offset) / np.linalg.norm(back_offset))
        nape = reactor.point("head", back_offset) - 0.012 * inward
        lead = -0.12 * inward + 0.05 * UP
        lay_palm(actor, other, nape, weight, inward, UP, pole=-0.3 * UP + actor.side_vector(other), lead=lead)
        actor.curl_fingers(other, 0.25 - 0.1 * weight)
        touches.append(Touch(f"{other}_middle1", (0.0, 0.0, 0.0), "head", back_offset, first, release))
    if reaction == "responds":
        grip = blend_in(reactor, reply, _arm_time(cast), release + fall, fall)
        wrist = actor.point(f"{side}_wrist") - 0.02 * facing
        lay_palm(reactor, reactor_side, wrist, grip, -UP, None, pole=-UP + reactor.side_vector(reactor_side))
        reactor.curl_fingers(reactor_side, 0.25 + 0.4 * grip)
    performance = cast.performance(hand="both" if both else side,
                                   reactor_hand=reactor_side if reaction == "responds" else "none",
                                   repetitions=1, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, tuple(touches))


# ------------------------------------------------------ massaging shoulder
@choreography(26, contact=True)
def massaging_shoulder(cast: Cast) -> Take:
    """From behind, both palms on the reactor's shoulders knead in small circles, fingers squeezing."""
    rng = cast.rng
    opening = OPENINGS[26]
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    reach = _arm_time(cast, 0.9)
    first = t0 + reach
    frequency = opening.frequency(cast) * cast.pace**0.5
    circles = min(opening.count(cast), int(5.0 * frequency))
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.45, 0.35, 0.2]))
    reply = first + cast.reactor_style.latency + 0.3
    if reaction == "recoils":  # the reactor flinches forward after a circle or two and the hands come off
        circles = min(circles, 2)
        reply = first + circles / frequency - 0.2
    release = first + circles / frequency + 0.2
    fall = _arm_time(cast)
    pat_end = max(release - 0.1, reply + 0.6 + 2 * fall)  # the reactor's hand on the actor's, when it answers
    duration = _settle(cast, max(release, pat_end if reaction == "responds" else 0.0) + fall, 0.5, 1.2)
    actor, reactor = stage(cast, duration, 1.0)
    home, ryaw = reactor.floor_xz[0].copy(), float(reactor.yaw[0])
    forward, left = _yaw_vectors(ryaw)
    _place(actor, home - forward * rng.uniform(0.42, 0.5), ryaw + rng.uniform(-0.15, 0.15))
    if approach:
        _walk_in(cast, actor, t_walk, extra, -forward + rng.uniform(-0.7, 0.7) * left)
    weight = blend_in(actor, t0, reach, release + fall, fall)
    actor.add("spine2", axis([1, 0, 0], 0.08 * weight))
    actor.add("neck", axis([1, 0, 0], 0.25 * weight))  # looks down at the shoulders
    rhand = "right" if rng.random() < 0.6 else "left"
    if reaction == "responds":  # lets the head hang forward and rolls it (and lays a hand on the actor's)
        relax = blend_in(reactor, reply, 0.8, release + 0.3, 0.8)
        t = np.arange(reactor.num_frames) / FPS - reply
        roll = np.sin(2 * np.pi * 0.35 * t + rng.uniform(0, np.pi))
        reactor.add("neck", axis([1, 0, 0], 0.25 * relax))
        reactor.add("head", axis([0, 0, 1], 0.2 * roll * relax))
    elif reaction == "recoils":  # shrugs and leans forward out of the hands
        away = blend_in(reactor, reply, 0.4, duration - 0.1, 0.8)
        reactor.add("spine2", axis([1, 0, 0], 0.3 * away))
        for s in ("left", "right"):
            reactor.add(f"{s}_collar", axis([0, 0, side_sign(s)], 0.15 * away))
    actor.ground()
    reactor.ground()
    spots = {s: (side_sign(s) * 0.09, 0.19, -0.02) for s in ("left", "right")}
    _fit_reach(actor, [(s, reactor.point("spine3", spots[s])) for s in spots], first, 0.72, reactor, 0.33)
    up = _direction(reactor, "spine3", (0.0, 1.0, 0.0))
    t = np.arange(actor.num_frames) / FPS - first
    kneading = np.where((t >= 0) & (t <= circles / frequency), 1.0, 0.0) * blend_in(actor, first, 0.3, release, 0.3)
    radius = 0.018 * cast.actor_style.amplitude
    touches = []
    for s in ("left", "right"):
        phase = 2 * np.pi * frequency * t + (0.0 if s == "left" else np.pi)  # the hands alternate
        circle = radius * kneading[:, None] * (np.cos(phase)[:, None] * reactor.facing()
                                               + np.sin(phase)[:, None] * reactor.side_vector("left"))
        target = reactor.point("spine3", spots[s]) + 0.012 * up + circle
        out = actor.side_vector(s)
        lay_palm(actor, s, target, weight, -up, reactor.facing() - 0.5 * UP, pole=-UP + 0.8 * out,
                 lead=0.08 * UP - 0.06 * reactor.facing())
        squeeze = 0.5 + 0.5 * np.sin(phase)
        actor.curl_fingers(s, weight * (0.15 + 0.35 * squeeze * kneading))
        touches.append(Touch(f"{s}_middle1", (0.0, 0.0, 0.0), "spine3", spots[s], first, release))
    if reaction == "responds":  # its hand across the chest, onto the actor's hand on the other shoulder
        other = "left" if rhand == "right" else "right"
        pat = blend_in(reactor, reply + 0.5, fall, pat_end, fall)
        lay_palm(reactor, rhand, actor.point(f"{other}_middle1") + 0.035 * up, pat, -up, reactor.facing(),
                 pole=-UP + reactor.side_vector(rhand), lead=0.08 * UP + 0.08 * reactor.facing())
    performance = cast.performance(hand="both", reactor_hand=rhand if reaction == "responds" else "none",
                                   repetitions=circles, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, tuple(touches))


def _beside(cast: Cast, actor: Body, reactor: Body, side: str, gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Put the actor `gap` m beside the reactor, facing the same way, with the reactor on its `side`.

    Returns the reactor's forward floor vector and the floor vector from the reactor to the actor."""
    home, ryaw = reactor.floor_xz[0].copy(), float(reactor.yaw[0])
    forward, left = _yaw_vectors(ryaw)
    outward = left if side == "right" else -left
    _place(actor, home + gap * outward + cast.rng.uniform(-0.05, 0.05) * forward, ryaw)
    return forward, outward


def _local_offset(body: Body, joint: str, point: np.ndarray, frame: int) -> tuple[float, float, float]:
    """A world point at `frame`, as an offset fixed in `joint`'s frame (to track it, and to declare a Touch)."""
    joints, world = body.fk(return_rotations=True)
    j = JOINT_INDEX[joint]
    return tuple(float(v) for v in world[frame, j].T @ (point - joints[frame, j]))


# ------------------------------------------------------------- link arms
@choreography(22, contact=True)
def link_arms(cast: Cast) -> Take:
    """Side by side, the actor hooks its arm into the crook of the reactor's bent arm, hand on the
    reactor's forearm; often they then walk a few steps together, arm in arm."""
    rng = cast.rng
    opening = OPENINGS[22]
    side = cast.hand  # the actor's arm on the reactor's side
    bside = "left" if side == "right" else "right"  # the reactor's arm on the actor's side
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["responds", "still"], p=[0.75, 0.25]))  # takes the arm and walks along, or lets it
    walk = reaction == "responds" and rng.random() < 0.7
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.5))
    reach = _arm_time(cast, 0.9)
    latency = cast.reactor_style.latency
    bend = _arm_time(cast, 0.8)
    first = t0 + max(reach, latency + bend)
    distance = rng.uniform(1.4, 2.6) if walk else 0.0
    walk_start = first + cast.seconds(0.4)
    walk_end = walk_start + (distance / (1.0 * min(cast.pace, 1.2)) + 0.4 if walk else 0.0)
    release = walk_end + cast.seconds(rng.uniform(0.4, 1.2))
    fall = _arm_time(cast)
    duration = _settle(cast, release + fall, 0.4, 0.9)
    actor, reactor = stage(cast, duration, 1.0)
    # a taller reactor carries the linked arm lower, and a shorter actor stands a little off, to reach
    taller = _height(cast, 1 - cast.actor, f"{bside}_shoulder") - _height(cast, cast.actor, f"{side}_shoulder")
    forward, outward = _beside(cast, actor, reactor, side, rng.uniform(0.42, 0.48) + 0.3 * max(0.0, taller))
    if approach:
        _walk_in(cast, actor, t_walk, extra, -forward + rng.uniform(0.3, 1.0) * outward)
    if walk:
        for body in (actor, reactor):
            walk_to(body, walk_start, walk_end, body.floor_xz[0 if body is reactor else -1] + distance * forward,
                    stride=0.6)
    hold = blend_in(actor, t0, first - t0, release + fall, fall)
    crook = blend_in(reactor, t0 + latency, bend, release + fall, fall)
    if reaction == "responds":
        _turn_head(reactor, side_sign(bside) * 0.5, blend_in(reactor, t0 + latency, 0.6, release, 0.8))
    actor.ground()
    reactor.ground()
    # the reactor bends its near arm, the hand in front of its belly (or lower, when it stays passive)
    low = (0.0 if reaction == "responds" else -0.15) - min(0.25, 1.5 * max(0.0, taller))
    belly = reactor.point("spine1", (side_sign(bside) * 0.15, 0.07 + low, 0.3))
    rout = reactor.side_vector(bside)
    lay_palm(reactor, bside, belly, crook, -rout, reactor.facing(), pole=-UP + 0.25 * rout - 0.1 * reactor.facing())
    reactor.curl_fingers(bside, 0.25 + 0.25 * crook)
    # the actor's bent arm hooks through the crook, its forearm along the reactor's and its palm on it
    mid = min(int((first + 0.5 * (release - first)) * FPS), actor.num_frames - 1)
    elbow = reactor.point(f"{bside}_elbow")
    wrist = reactor.point(f"{bside}_wrist")
    rest_on = elbow[mid] + 0.9 * (wrist[mid] - elbow[mid]) + 0.04 * UP
    offset = _local_offset(reactor, f"{bside}_elbow", rest_on, mid)
    target = reactor.point(f"{bside}_elbow", offset)
    aout = actor.side_vector(side)
    lay_palm(actor, side, target, hold, -UP, 2.0 * reactor.facing(), pole=-UP + 0.3 * aout - 0.2 * actor.facing(),
             lead=0.06 * UP + 0.1 * actor.facing())
    actor.curl_fingers(side, 0.25 + 0.2 * hold)
    touches = (Touch(f"{side}_middle1", (0.0, 0.0, 0.0), f"{bside}_elbow", offset, first, release),)
    performance = cast.performance(hand=side, reactor_hand=bside if reaction == "responds" else "none",
                                   repetitions=1, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, touches)


def _shoulder_surface(body: Body, side: str, drop: float = 0.0) -> tuple[float, float, float]:
    """Offset, in the collar's frame, of the outside of the shoulder (`drop` m lower: the upper arm's side)."""
    rest = body.rest
    offset = rest[JOINT_INDEX[f"{side}_shoulder"]] - rest[JOINT_INDEX[f"{side}_collar"]]
    return (float(offset[0] + side_sign(side) * 0.05), float(offset[1] + 0.01 - drop), float(offset[2]))


def _lean_sideways(body: Body, side: str, angle, weight) -> None:
    """Tilt the trunk toward the body's `side` (spine bent sideways, most of it low in the back)."""
    for joint, share in (("spine1", 0.4), ("spine2", 0.35), ("spine3", 0.25)):
        body.add(joint, axis([0, 0, -side_sign(side)], share * angle * weight))
    body.add("neck", axis([0, 0, side_sign(side)], 0.3 * angle * weight))  # the head stays about upright
    for arm in ("left", "right"):  # and the arms keep hanging down
        body.add(f"{arm}_shoulder", axis([0, 0, side_sign(side)], angle * weight))


# -------------------------------------------------------- shoulder to shoulder
@choreography(23, contact=True)
def shoulder_to_shoulder(cast: Cast) -> Take:
    """Side by side, the actor leans in until its shoulder rests against the reactor's, its arm round
    the reactor's back, sometimes bumping shoulders; the reactor leans in and holds the actor's waist,
    leans away, or stays."""
    rng = cast.rng
    opening = OPENINGS[23]
    side = cast.hand  # the actor's shoulder on the reactor's side
    bside = "left" if side == "right" else "right"
    approach, extra, t_walk = opening.walk_in(cast)
    bumps = 1 if rng.random() < 0.6 else opening.count(cast)
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.5, 0.3, 0.2]))
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    lean_in = max(cast.seconds(0.8), 0.5)
    first = t0 + lean_in
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    hold = (bumps - 1) / frequency + cast.seconds(rng.uniform(1.0, 2.2))
    release = first + hold
    back = max(cast.seconds(0.8), 0.5)
    reply = first + (bumps - 1) / frequency + cast.reactor_style.latency
    if reaction == "recoils":  # the reactor leans away and the actor straightens up
        release = reply + 0.3
    arm = _arm_time(cast)
    answer_end = max(release + back, reply + arm + 0.6 + arm)
    duration = _settle(cast, answer_end, 0.5, 1.0)
    actor, reactor = stage(cast, duration, 1.0)
    forward, outward = _beside(cast, actor, reactor, side, 0.5)
    tilt = rng.uniform(0.12, 0.3) * cast.actor_style.amplitude  # how far it leans in
    if approach:
        _walk_in(cast, actor, t_walk, extra, -forward + rng.uniform(0.3, 1.0) * outward)
    lean = blend_in(actor, t0, lean_in, release + back, back)
    # the bumps: the actor comes off the reactor's shoulder a little and back
    t = np.arange(actor.num_frames) / FPS - first
    nudge = np.where((t >= 0) & (t <= (bumps - 1) / frequency), np.sin(np.pi * frequency * t) ** 2, 0.0)
    answer = blend_in(reactor, reply, 0.6, answer_end, 0.7)
    if reaction == "responds":  # leans in as well, head toward the actor's
        _lean_sideways(reactor, bside, 0.06, answer)
        reactor.add("neck", axis([0, 0, -side_sign(bside)], 0.2 * answer))
    elif reaction == "recoils":  # leans away, out from under the arm
        _lean_sideways(reactor, side, 0.2, answer)
    reactor.ground()
    actor.ground()
    # line the shoulders up front to back, lean just far enough to close the gap sideways, and let
    # whoever is taller touch lower, on the upper arm
    frame = min(int((first + 0.3) * FPS), actor.num_frames - 1)
    ahead = (reactor.point(f"{bside}_shoulder") - actor.point(f"{side}_shoulder"))[frame] @ _floor(forward)
    actor.floor_xz += ahead * forward
    _lean_sideways(actor, side, tilt * (1.0 - 0.3 * nudge), lean)
    actor.ground()
    gap = (reactor.point(f"{bside}_collar", _shoulder_surface(reactor, bside))
           - actor.point(f"{side}_collar", _shoulder_surface(actor, side)))[frame]
    toward = actor.side_vector(side)[frame]
    actor.floor_xz += (gap @ toward - 0.012) * toward[[0, 2]]  # it stood just that far off
    above = float(np.clip(-gap[1], -0.3, 0.3))  # up to the length of an upper arm
    actor_offset = _shoulder_surface(actor, side, max(0.0, above))
    reactor_offset = _shoulder_surface(reactor, bside, max(0.0, -above))
    # the near arm round the reactor's back, palm on the far side of it
    spot = (side_sign(side) * 0.08, 0.0, -0.11)
    around = blend_in(actor, t0 + 0.3 * lean_in, lean_in, release + back, back)
    normal = reactor.facing()
    lay_palm(actor, side, reactor.point("spine2", spot) - 0.012 * normal, around, normal,
             pole=-0.5 * UP + 0.2 * actor.side_vector(side) - actor.facing(),
             lead=-0.15 * normal - 0.1 * actor.side_vector(side))
    touches = (Touch(f"{side}_collar", actor_offset, f"{bside}_collar", reactor_offset, first, release),
               Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "spine2", spot, first + 0.3 * lean_in, release))
    if reaction == "responds":  # and hooks its arm round the actor's waist
        inward = actor.facing()
        lay_palm(reactor, bside, actor.point("spine1", (0.0, 0.05, -0.12)) - 0.012 * inward,
                 blend_in(reactor, reply, arm, answer_end, arm), inward, None, pole=-UP - reactor.facing(),
                 lead=-0.12 * inward)
    performance = cast.performance(hand=side, reactor_hand=bside if reaction == "responds" else "none",
                                   repetitions=bumps, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, touches)


def _keep_feet(body: Body, weight) -> None:
    """Move the floor path so the feet stay where they stood while `weight` is on (a body that bends
    its knees moves its hips, not its feet); grounds the body."""
    body.ground()
    ankles = [JOINT_INDEX["left_ankle"], JOINT_INDEX["right_ankle"]]
    feet = body.fk()[:, ankles][..., [0, 2]].mean(axis=1)
    weight = np.broadcast_to(np.asarray(weight, dtype=np.float64), (body.num_frames,))[:, None]
    before = np.flatnonzero(weight[: int(np.argmax(weight[:, 0])), 0] < 1e-6)
    still = feet[before[-1] if len(before) else 0]  # where they stand just before it starts
    body.floor_xz -= weight * (feet - still)
    body.ground()


def _upper_arm(body: Body, side: str, along: float = 0.5) -> tuple[float, float, float]:
    """Offset, in the shoulder's frame, of the outside of the upper arm `along` the way to the elbow."""
    rest = body.rest
    middle = along * (rest[JOINT_INDEX[f"{side}_elbow"]] - rest[JOINT_INDEX[f"{side}_shoulder"]])
    return (float(middle[0]), float(middle[1] + 0.045), float(middle[2]))  # +y is the outside when it hangs


def _arm_outside(body: Body, side: str) -> np.ndarray:
    """World direction `(T, 3)` the outside of the upper arm faces (what a hand holding it presses on)."""
    return _direction(body, f"{side}_shoulder", (0.0, 1.0, 0.0))


# ------------------------------------------------------- support with hand
@choreography(19, contact=True)
def support_with_hand(cast: Cast) -> Take:
    """The reactor is unsteady; the actor at its side takes hold of its upper arm and back, the
    reactor sags against the support (knees giving), then straightens up again."""
    rng = cast.rng
    opening = OPENINGS[19]
    side = cast.hand  # the reactor is on this side of the actor: this hand goes round its back
    bside = "left" if side == "right" else "right"  # the reactor's side toward the actor
    grips = str(rng.choice(["both", "back", "arm"], p=[0.6, 0.2, 0.2]))
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["responds", "still"], p=[0.5, 0.5]))  # holds on to the actor, or just sags
    t0 = t_walk + cast.seconds(rng.uniform(0.1, 0.4))
    reach = _arm_time(cast, 0.7)
    first = t0 + reach
    sag_start = t0 + 0.5 * reach
    sag_down = cast.seconds(rng.uniform(0.7, 1.1))
    sagging = cast.seconds(rng.uniform(0.8, 1.8))
    sag_up = cast.seconds(rng.uniform(0.9, 1.3))
    recovered = sag_start + sag_down + sagging + sag_up
    release = recovered + cast.seconds(rng.uniform(0.3, 0.7))
    fall = _arm_time(cast)
    duration = _settle(cast, release + fall, 0.4, 0.9)
    actor, reactor = stage(cast, duration, 1.0)
    home, ryaw = reactor.floor_xz[0].copy(), float(reactor.yaw[0])
    forward, left = _yaw_vectors(ryaw)
    outward = left if side == "right" else -left  # from the reactor toward the actor
    turn = side_sign(side) * rng.uniform(0.4, 0.8)  # turned toward the reactor
    _place(actor, home + outward * rng.uniform(0.48, 0.56) - forward * rng.uniform(0.05, 0.15), ryaw + turn)
    if approach:
        _walk_in(cast, actor, t_walk, extra, -forward + rng.uniform(0.3, 1.0) * outward)
    hold = blend_in(actor, t0, reach, release + fall, fall)
    sag = blend_in(reactor, sag_start, sag_down, sag_start + sag_down + sagging + sag_up, sag_up)
    depth = rng.uniform(0.6, 1.0)
    reactor.add("left_knee", axis([1, 0, 0], 0.45 * depth * sag))
    reactor.add("right_knee", axis([1, 0, 0], 0.45 * depth * sag))
    reactor.add("left_hip", axis([-1, 0, 0], 0.25 * depth * sag))
    reactor.add("right_hip", axis([-1, 0, 0], 0.25 * depth * sag))
    reactor.add("spine2", axis([1, 0, 0], 0.12 * depth * sag))
    reactor.add("neck", axis([1, 0, 0], 0.35 * depth * sag))  # the head droops
    _lean_sideways(reactor, bside, 0.12 * depth, sag)  # against the actor
    actor.add("spine2", axis([1, 0, 0], 0.1 * hold))
    _keep_feet(reactor, sag)
    actor.ground()
    touches = []
    if grips in ("both", "back"):  # the near hand round the back
        spot = (side_sign(side) * 0.03, 0.05, -0.11)
        normal = reactor.facing()
        _fit_reach(actor, [(side, reactor.point("spine2", spot))], first, 0.8, reactor, 0.42)
        lay_palm(actor, side, reactor.point("spine2", spot) - 0.012 * normal, hold, normal,
                 pole=-0.5 * UP - actor.facing() + 0.3 * actor.side_vector(side),
                 lead=-0.12 * normal - 0.08 * _floor(outward))
        touches.append(Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "spine2", spot, first, release))
    if grips in ("both", "arm"):  # the far hand on the near upper arm
        offset = _upper_arm(reactor, bside)
        outside = _arm_outside(reactor, bside)
        if grips == "arm":
            _fit_reach(actor, [(bside, reactor.point(f"{bside}_shoulder", offset))], first, 0.75, reactor, 0.42)
        lay_palm(actor, bside, reactor.point(f"{bside}_shoulder", offset) + 0.015 * outside, hold, -outside,
                 -UP, pole=-UP - 0.5 * actor.facing(), lead=0.1 * outside)
        actor.curl_fingers(bside, 0.25 + 0.3 * hold)
        touches.append(Touch(f"{bside}_middle1", (0.0, 0.0, 0.0), f"{bside}_shoulder", offset, first, release))
    if reaction == "responds":  # steadies itself with a hand on the actor's chest
        grab = blend_in(reactor, sag_start + 0.5 * sag_down, _arm_time(cast), recovered + 0.2, _arm_time(cast))
        chest = actor.point("spine3", (side_sign(side) * 0.08, 0.1, 0.13))
        front = _direction(actor, "spine3", (0.0, 0.0, 1.0))
        lay_palm(reactor, bside, chest + 0.012 * front, grab, -front, UP, pole=-UP - 0.3 * reactor.facing(),
                 lead=0.1 * front)
        reactor.curl_fingers(bside, 0.25 + 0.2 * grab)
    hand = {"both": "both", "back": side, "arm": bside}[grips]
    performance = cast.performance(hand=hand, reactor_hand=bside if reaction == "responds" else "none",
                                   repetitions=1, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, tuple(touches))


_MOUTH = (0.0, -0.035, 0.1)  # the lips, in the head's frame


def _ear(side: str) -> tuple[float, float, float]:
    return (side_sign(side) * 0.075, 0.01, -0.01)


def _stoop(body: Body, amount, weight) -> None:
    """Bend forward and down by `amount` (about 0-3): the back and neck first, then the knees and hips.
    The arms keep hanging down."""
    knees = np.maximum(0.0, np.asarray(amount) - 0.8)
    for joint, share in (("spine1", 0.1), ("spine2", 0.15), ("spine3", 0.1), ("neck", 0.2)):
        body.add(joint, axis([1, 0, 0], share * amount * weight))
    for side in ("left", "right"):
        body.add(f"{side}_knee", axis([1, 0, 0], 0.6 * knees * weight))
        body.add(f"{side}_hip", axis([-1, 0, 0], 0.3 * knees * weight))
        body.add(f"{side}_shoulder", axis([-1, 0, 0], 0.35 * amount * weight))


def _grounded_point(body: Body, frame: int, joint: str, offset=(0.0, 0.0, 0.0)) -> np.ndarray:
    """World position `(3,)` at one frame of a point fixed in `joint`'s frame, with the body put on the
    floor as `Body.ground` would: a one-frame shortcut for searches that try many poses."""
    pose = body.pose[frame:frame + 1].copy()
    pose[:, 0] = rot.matrix_to_axis_angle(yaw_matrix(body.yaw[frame:frame + 1])
                                          @ rot.axis_angle_to_matrix(body.pose[frame:frame + 1, 0]))
    trans = np.array([[body.floor_xz[frame, 0], body.lift[frame], body.floor_xz[frame, 1]]]) - body.rest[0]
    joints, world = forward_kinematics(pose, trans, body.betas, return_rotations=True)
    j = JOINT_INDEX[joint]
    point = joints[0, j] + world[0, j] @ np.asarray(offset, dtype=np.float64)
    return point + np.array([0.0, body.lift[frame] - np.min(joints[0, :, 1] - CLEARANCE), 0.0])


def _meet_heads(actor: Body, reactor: Body, spot, lean, lower, frame: int, gap: float, bend=None,
                outward=(0.0, 0.0, 1.0)) -> None:
    """Bring the actor's lips to within `gap` m of the reactor's head point `spot` at `frame`.

    Whoever is taller stoops (the actor over `lean`, or the reactor over `lower`, a 0-1 weight; with
    `bend(body, amount, weight)` if given), just enough to bring lips and spot level;
    then the actor's whole path moves over the floor to close the rest (it stood that close), the
    lips ending `gap` m off the spot along the reactor's head direction `outward` (the way the
    cheek or ear faces). Both bodies end grounded.
    """
    actor_pose, reactor_pose = actor.pose.copy(), reactor.pose.copy()

    def rise(who: Body, amount: float) -> float:
        """Lips above spot once `who` stoops by `amount`."""
        actor.pose[:] = actor_pose
        reactor.pose[:] = reactor_pose
        (bend or _stoop)(who, amount, lean if who is actor else lower)
        lips, target = _grounded_point(actor, frame, "head", _MOUTH), _grounded_point(reactor, frame, "head", spot)
        return float(lips[1] - target[1])

    who = actor if rise(actor, 0.0) > 0 else reactor
    if who is reactor:  # a shorter actor goes up on its toes as far as that helps
        for side in ("left", "right"):
            actor.add(f"{side}_ankle", axis([1, 0, 0], float(np.clip(-6.0 * rise(actor, 0.0), 0.0, 0.45)) * lean))
        actor_pose = actor.pose.copy()
        who = actor if rise(actor, 0.0) > 0 else reactor
    sign = 1.0 if who is actor else -1.0
    low, high = 0.0, 3.2  # the taller one may bend its knees deeply
    for _ in range(12):  # bisection: stooping brings the lips (or the spot) down
        middle = 0.5 * (low + high)
        low, high = (middle, high) if sign * rise(who, middle) > 0 else (low, middle)
    rise(who, high)
    actor.ground()
    reactor.ground()
    _keep_feet(who, lean if who is actor else lower)
    lips, target = actor.point("head", _MOUTH)[frame], reactor.point("head", spot)[frame]
    away = unit(_direction(reactor, "head", outward)[frame] * np.array([1.0, 0.0, 1.0]))
    actor.floor_xz += (target + gap * away - lips)[[0, 2]]


# -------------------------------------------------------------- whisper in ear
@choreography(18, contact=True)
def whisper_in_ear(cast: Cast) -> Take:
    """The actor steps up to the reactor's side, leans in with its lips at the reactor's ear, a hand
    cupped beside its mouth, and whispers; the reactor then answers, pulls away or stays."""
    rng = cast.rng
    ear_side = str(rng.choice(["left", "right"]))
    approach = rng.random() < 0.6
    extra = rng.uniform(0.9, 1.6) if approach else rng.uniform(0.3, 0.45)  # from afar, or a step closer
    t_walk = walking_time(cast, extra) + 0.2
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.55, 0.25, 0.2]))
    t0 = t_walk + cast.seconds(rng.uniform(0.1, 0.4))
    lean_in = max(cast.seconds(0.8), 0.6)
    first = t0 + lean_in
    words = cast.seconds(rng.uniform(1.0, 2.2))
    release = first + words
    lean_out = max(cast.seconds(0.7), 0.5)
    reply = release + 0.7 * lean_out + cast.reactor_style.latency  # once the actor's head is out of the way
    duration = _settle(cast, max(release + lean_out, reply + 1.4), 0.4, 0.9)
    actor, reactor = stage(cast, duration, 1.0)
    home, ryaw = reactor.floor_xz[0].copy(), float(reactor.yaw[0])
    angle = ryaw + side_sign(ear_side) * rng.uniform(0.9, 1.6)  # where the actor stands, round from the front
    outward = np.array([np.sin(angle), np.cos(angle)])
    _place(actor, home + 0.42 * outward, float(facing_yaw(-outward)) - side_sign(ear_side) * 0.15)
    lean = blend_in(actor, t0, lean_in, release + lean_out, lean_out)
    lower = blend_in(reactor, t0 + 0.5 * lean_in, 0.6 * lean_in, release + lean_out, lean_out)
    frame = min(int((first + 0.5 * words) * FPS), actor.num_frames - 1)
    _stoop(actor, 0.6, lean)  # leans its head in, ahead of its chest
    _turn_head(actor, -side_sign(ear_side) * 0.15, lean)
    def listen(body: Body, amount, weight) -> None:  # the taller one bends down to the other's level
        if body is reactor:
            _lean_sideways(body, ear_side, 0.06 * amount, weight)
        _stoop(body, amount, weight)

    _meet_heads(actor, reactor, _ear(ear_side), lean, lower, frame, 0.04, listen, (side_sign(ear_side), 0.0, 0.0))
    # it walks (or steps) in to the place found, and leans in from there
    settled = actor.floor_xz - actor.floor_xz[0]
    _walk_in(cast, actor, t_walk, extra, outward + rng.uniform(-0.4, 0.4) * np.array([outward[1], -outward[0]]))
    actor.floor_xz += settled
    t = np.arange(actor.num_frames) / FPS - first
    speaking = np.where((t >= 0) & (t <= words), np.sin(2 * np.pi * 3.0 * t), 0.0)
    actor.add("head", axis([1, 0, 0], 0.02 * speaking))  # small bobs of the head while speaking
    actor.ground()
    if reaction == "responds":  # nods, then turns to the actor and leans toward its ear to answer
        reactor.nod(reply, 1, 1.6, 0.18)
        back = blend_in(reactor, reply + 0.5, 0.6, duration - 0.1, 0.7)
        _turn_head(reactor, side_sign(ear_side) * 0.7, back)
        _lean_sideways(reactor, ear_side, 0.1, back)
    elif reaction == "recoils":  # pulls the head away from the tickle
        away = blend_in(reactor, reply, 0.35, duration - 0.1, 0.8)
        reactor.add("neck", axis([0, 0, side_sign(ear_side)], 0.25 * away))
        _lean_sideways(reactor, "left" if ear_side == "right" else "right", 0.12, away)
    reactor.ground()
    # the hand cupped beside the mouth is the one on the outside, away from the reactor's body
    toward = (reactor.floor_xz - actor.floor_xz)[frame]
    hand = "right" if actor.side_vector("left")[frame, [0, 2]] @ toward > 0 else "left"
    # fingers up, palm toward the mouth, coming up on the outside
    beside = actor.point("head", (side_sign(hand) * 0.1, -0.04, 0.02))
    inward = -_direction(actor, "head", (side_sign(hand), 0.0, 0.0))
    out = actor.side_vector(hand)
    lay_palm(actor, hand, beside, lean, inward, 2.0 * UP, pole=-UP + out, lead=0.12 * out)
    actor.curl_fingers(hand, 0.25 + 0.2 * lean)
    touches = (Touch("head", _MOUTH, "head", _ear(ear_side), first, release),)
    performance = cast.performance(hand=hand, reactor_hand="none", repetitions=1, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, touches)


def _cheek(side: str) -> tuple[float, float, float]:
    """The cheek on `side` of the face, in the head's frame."""
    return (side_sign(side) * 0.05, -0.025, 0.07)


# ------------------------------------------------------------- kiss on cheek
@choreography(34, contact=True)
def kiss_on_cheek(cast: Cast) -> Take:
    """Face to face, the actor holds the reactor's arm, leans in with its head turned a little and
    kisses the reactor's cheek once or twice; the reactor touches the actor's face, pulls back or stays."""
    rng = cast.rng
    opening = OPENINGS[34]
    side = cast.hand  # the hand on the reactor's arm; the kiss goes to the cheek on that side
    cheek = "left" if side == "right" else "right"  # facing each other, the actor's right meets the left
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.45, 0.35, 0.2]))
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.5))
    lean_in = max(cast.seconds(0.8), 0.6)
    first = t0 + lean_in
    kisses = 1 if rng.random() < 0.7 else 2
    peck = cast.seconds(rng.uniform(0.35, 0.6))
    release = first + kisses * peck
    lean_out = max(cast.seconds(0.7), 0.5)
    reply = release + 0.5 * lean_out + cast.reactor_style.latency
    arm = _arm_time(cast)
    duration = _settle(cast, max(release + lean_out, reply + 2 * arm + 0.5), 0.4, 0.9)
    actor, reactor = _face_to_face(cast, duration, 0.45, 0.5, approach, extra, t_walk)
    lean = blend_in(actor, t0, lean_in, release + lean_out, lean_out)
    lower = blend_in(reactor, t0 + 0.5 * lean_in, 0.6 * lean_in, release + lean_out, lean_out)

    def dip(body: Body, amount, weight) -> None:  # bends the back and knees, keeping the face level
        _stoop(body, amount, weight)
        body.add("head", axis([1, 0, 0], -0.55 * amount * weight))

    dip(actor, 0.4, lean)
    _turn_head(actor, side_sign(cheek) * 0.3, lean, torso=0.0)  # the face turns a little toward the cheek
    # between two pecks the lips come off the cheek for an instant
    t = np.arange(actor.num_frames) / FPS - first
    lift = np.where((t > 0) & (t < kisses * peck) & (kisses > 1), np.sin(np.pi * t / peck) ** 2, 0.0)
    actor.add("neck", axis([1, 0, 0], -0.06 * lift))
    frame = min(int((first + 0.5 * peck) * FPS), actor.num_frames - 1)
    _meet_heads(actor, reactor, _cheek(cheek), lean, lower, frame, 0.03, dip, (side_sign(cheek) * 0.6, 0.0, 0.8))
    hold = blend_in(actor, t0 - 0.1, lean_in, release + lean_out, lean_out)
    spot = _upper_arm(reactor, cheek, 0.35)
    outside = _arm_outside(reactor, cheek)
    lay_palm(actor, side, reactor.point(f"{cheek}_shoulder", spot) + 0.015 * outside, hold, -outside, -UP,
             pole=-UP + actor.side_vector(side), lead=0.1 * outside)
    actor.curl_fingers(side, 0.25 + 0.3 * hold)
    touches = (Touch("head", _MOUTH, "head", _cheek(cheek), first, release),
               Touch(f"{side}_middle1", (0.0, 0.0, 0.0), f"{cheek}_shoulder", spot, first, release))
    reactor_hand = "none"
    if reaction == "responds":  # lays a hand on the actor's cheek, smiling
        reactor_hand = "left" if rng.random() < 0.5 else "right"
        touch_face = blend_in(reactor, reply, arm, reply + arm + 0.5 + arm, arm)
        own = "left" if reactor_hand == "right" else "right"  # its right hand meets the actor's left cheek
        outward = _direction(actor, "head", (side_sign(own) * 0.7, 0.0, 0.7))
        lay_palm(reactor, reactor_hand, actor.point("head", _cheek(own)) + 0.012 * outward, touch_face, -outward,
                 UP, pole=-UP + reactor.side_vector(reactor_hand), lead=0.12 * outward)
    elif reaction == "recoils":  # pulls the face back in surprise
        _lean_back(reactor, blend_in(reactor, reply - 0.2, 0.35, duration - 0.1, 0.8))
    reactor.ground()
    performance = cast.performance(hand=side, reactor_hand=reactor_hand, repetitions=kisses, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, touches)


def _sit_on_floor(body: Body, rng: np.random.Generator) -> None:
    """Sit on the floor, legs stretched out in front, leaning back a little on the hands (the whole take).

    Grounded like a standing body: `ground` puts the lowest point (seat and legs) on the floor."""
    back = rng.uniform(0.2, 0.35)
    body.pose[:, 0] = axis([-1, 0, 0], back)  # the pelvis tips back
    for side in ("left", "right"):
        body.set(f"{side}_hip", axis([-1, 0, 0], 1.62 - back))  # the legs lie level along the floor
        body.add(f"{side}_hip", axis([0, 0, -side_sign(side)], 0.1))  # a little apart
        body.set(f"{side}_knee", axis([1, 0, 0], rng.uniform(0.0, 0.08)))
        body.set(f"{side}_shoulder", axis([0, side_sign(side), 0], -0.8))  # arms forward, off the floor for now
    body.add("spine2", axis([1, 0, 0], 0.5 * back))
    body.add("neck", axis([1, 0, 0], 0.3 * back))
    body.ground()


def _kneel(body: Body, down, rng: np.random.Generator) -> None:
    """Go down on both knees while `down` rises (0-1), sitting half back toward the heels, then
    lean the trunk forward over the knees; the knees land ahead of where the feet stood."""
    sit = rng.uniform(0.0, 1.0)
    squat = np.sin(np.pi * np.clip(down, 0, 1)) ** 2 * (np.asarray(down) < 0.999)  # deepest mid-way down
    hip = 0.5 + 0.25 * sit  # the shins lie flat when the knee bends a right angle more than the hip
    for side in ("left", "right"):
        body.add(f"{side}_knee", axis([1, 0, 0], (hip + 1.6) * down))
        body.add(f"{side}_hip", axis([-1, 0, 0], hip * down + 0.4 * squat))
        body.add(f"{side}_ankle", axis([1, 0, 0], 0.8 * down - 0.3 * squat))
    body.add("spine1", axis([1, 0, 0], 0.3 * down))
    body.add("spine2", axis([1, 0, 0], 0.3 * down))
    body.add("neck", axis([1, 0, 0], 0.2 * down))
    _keep_feet(body, down)


# ------------------------------------------------------------- massaging leg
@choreography(27, contact=True)
def massaging_leg(cast: Cast) -> Take:
    """The reactor sits on the floor, legs out; the actor kneels beside one leg and kneads the thigh
    and the shin with both hands; the reactor holds its knee, pulls the leg away, or relaxes."""
    rng = cast.rng
    opening = OPENINGS[27]
    leg = str(rng.choice(["left", "right"]))
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["responds", "still", "recoils"], p=[0.4, 0.4, 0.2]))
    t0 = t_walk + cast.seconds(rng.uniform(0.1, 0.4))
    kneel = max(cast.seconds(1.3), 0.9)
    reach = _arm_time(cast, 0.7)
    first = t0 + kneel + 0.8 * reach
    frequency = opening.frequency(cast) * cast.pace**0.5
    presses = min(opening.count(cast), int(3.5 * frequency))
    release = first + presses / frequency + 0.1
    if reaction == "recoils":  # it pulls the leg in half way through
        release = first + max(1, presses // 2) / frequency
    fall = _arm_time(cast)
    reply = first + cast.reactor_style.latency + 0.4
    duration = _settle(cast, max(release + fall, reply + 2.0), 0.5, 1.0)
    actor, reactor = stage(cast, duration, 1.0)
    home, ryaw = reactor.floor_xz[0].copy(), float(reactor.yaw[0])
    forward, left = _yaw_vectors(ryaw)
    lateral = left if leg == "left" else -left
    _sit_on_floor(reactor, rng)
    # the actor kneels beside the leg, facing it, level with the knee
    spot = home + 0.45 * forward + 0.75 * lateral
    _place(actor, spot, float(facing_yaw(-lateral)))
    if approach:
        _walk_in(cast, actor, t_walk, extra, lateral + rng.uniform(-0.5, 0.8) * forward)
    down = blend_in(actor, t0, kneel, duration + 1.0, 1.0)
    _kneel(actor, down, rng)
    hold = blend_in(actor, t0 + kneel - 0.2 * reach, reach, release + fall, fall)
    bow = 0.4 * hold  # bends over the leg from the hips, the thighs staying put
    actor.add("pelvis", axis([1, 0, 0], bow))
    actor.add("left_hip", axis([-1, 0, 0], bow))
    actor.add("right_hip", axis([-1, 0, 0], bow))
    actor.add("spine2", axis([1, 0, 0], 0.2 * hold))
    actor.add("spine3", axis([1, 0, 0], 0.15 * hold))
    actor.ground()
    if reaction == "recoils":  # bends the knee and draws the foot in, out of the hands
        pull = blend_in(reactor, release - 0.15, 0.5, duration - 0.1, 0.8)
        reactor.add(f"{leg}_knee", axis([1, 0, 0], 1.0 * pull))
        reactor.add(f"{leg}_hip", axis([-1, 0, 0], 0.45 * pull))
    knee = blend_in(reactor, reply, _arm_time(cast), duration - 0.1, 0.8)
    if reaction == "responds":  # leans forward to hold its knee (below)
        reactor.add("spine2", axis([1, 0, 0], 0.3 * knee))
    reactor.ground()
    # the hand toward the reactor's hips kneads the thigh, the other the shin
    thigh_hand = "left" if actor.side_vector("left")[0, [0, 2]] @ forward < 0 else "right"
    shin_hand = "left" if thigh_hand == "right" else "right"
    rest = reactor.rest
    thigh = tuple(float(v) for v in 0.55 * (rest[JOINT_INDEX[f"{leg}_knee"]] - rest[JOINT_INDEX[f"{leg}_hip"]])
                  + np.array([0.0, 0.0, 0.08]))
    shin = tuple(float(v) for v in 0.35 * (rest[JOINT_INDEX[f"{leg}_ankle"]] - rest[JOINT_INDEX[f"{leg}_knee"]])
                 + np.array([0.0, 0.0, 0.055]))
    spots = {thigh_hand: (f"{leg}_hip", thigh), shin_hand: (f"{leg}_knee", shin)}
    _fit_reach(actor, [(h, reactor.point(j, o)) for h, (j, o) in spots.items()], first, 0.7)
    t = np.arange(actor.num_frames) / FPS - first
    kneading = np.where((t >= 0) & (t <= presses / frequency), 1.0, 0.0)
    touches = []
    for h, (joint, offset) in spots.items():
        top = unit(reactor.point(joint, offset) - reactor.point(joint, (offset[0], offset[1], 0.0)))  # off the bone
        squeeze = 0.5 - 0.5 * np.cos(2 * np.pi * frequency * t + (0.0 if h == thigh_hand else np.pi))
        target = reactor.point(joint, offset) + top * (0.012 + 0.015 * squeeze * kneading)[:, None]
        lay_palm(actor, h, target, hold, -top, reactor.facing(), pole=-UP + actor.side_vector(h),
                 lead=0.1 * top)
        actor.curl_fingers(h, 0.15 + hold * 0.35 * squeeze * kneading)
        touches.append(Touch(f"{h}_middle1", (0.0, 0.0, 0.0), joint, offset, first, release))
    reactor_hand = "none"
    for side in ("left", "right"):  # the hands rest on the floor behind the seat
        on_floor = reactor.point("pelvis", (side_sign(side) * 0.22, 0.0, -0.2)) * [1, 0, 1] + [0, 0.07, 0]
        lay_palm(reactor, side, on_floor, 1.0, -UP, -reactor.facing())
    if reaction == "responds":  # the far hand comes off the floor, across the lap, to hold the knee
        reactor_hand = "right" if leg == "left" else "left"
        lay_palm(reactor, reactor_hand, reactor.point(f"{leg}_knee", (0.0, 0.0, 0.075)), knee, -UP,
                 reactor.facing(), lead=0.1 * UP)
    reactor.ground()
    performance = cast.performance(hand="both", reactor_hand=reactor_hand, repetitions=presses, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, tuple(touches))
