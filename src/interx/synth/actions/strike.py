"""Forceful contact: Grab, Hit, Kick, Push, Pull, Slap, Knock over, Step on foot, Hand wrestling, Block.

The reactor's own motion (flinch, step, fall) is built first; the actor's hand
or foot is then driven onto a point of the reactor's body taken at that very
instant, so every blow lands where the reactor really is. Jolts from a blow
start at impact (physics); voluntary answers wait for the reactor's latency.
"""

from __future__ import annotations

import numpy as np

from interx.body import rotations as rot
from interx.synth.actions import Take, Touch, choreography
from interx.synth.actions.openings import OPENINGS, Opening
from interx.synth.curves import keyframes, smootherstep
from interx.synth.ik import down_chain, hand_frame, palm_reach
from interx.synth.rig import ARM, FPS, LEG, OTHER, UP, Body, axis, column, side_sign, unit, yaw_matrix
from interx.synth.stage import Cast, approach_from_afar, stage


def _path(num_frames: int, times, anchors) -> np.ndarray:
    """Ease between moving anchor points `(T, 3)` (or fixed `(3,)`), reaching anchor k at times[k]."""
    stacked = np.stack([np.broadcast_to(np.asarray(a, dtype=np.float64), (num_frames, 3)) for a in anchors])
    times = np.maximum.accumulate(np.asarray(times, dtype=np.float64))  # keys computed as sums may tie within rounding
    weights = keyframes(num_frames, times, np.eye(len(anchors)))
    return np.einsum("tk,ktc->tc", weights, stacked)


def _at(points: np.ndarray, time: float) -> np.ndarray:
    """The point of a per-frame track `(T, 3)` at `time` s, held fixed."""
    return points[min(int(round(time * FPS)), len(points) - 1)]


def _window(num_frames: int, start: float, rise: float, end: float, fall: float) -> np.ndarray:
    """0 before `start`, up to 1 over `rise`, held, down to 0 at `end`; a hold shorter than the ramps
    just peaks (keys computed as sums are kept in order despite rounding)."""
    end = max(end, start + rise + fall)
    times = np.maximum.accumulate([start, start + rise, end - fall, end])
    return keyframes(num_frames, times, [0.0, 1.0, 1.0, 0.0])


def _pulse(num_frames: int, start: float, rise: float, hold: float, fall: float) -> np.ndarray:
    """0 until `start`, up to 1 in `rise` s, held `hold` s, back to 0 in `fall` s (a jolt and its recovery)."""
    return keyframes(num_frames, [start, start + rise, start + rise + hold, start + rise + hold + fall],
                     [0.0, 1.0, 1.0, 0.0])


# ---------------------------------------------------------------------- IK
def _elbow_pole(body: Body, side: str, target: np.ndarray) -> np.ndarray:
    """Where the elbow points: out and back as in a hanging arm while the hand is low by the body,
    down and a little forward while the hand works in front (never along the arm, where IK spins)."""
    ahead = np.sum((target - body.point(f"{side}_shoulder")) * body.facing(), axis=-1)
    active = np.clip((ahead - 0.05) / 0.2, 0.0, 1.0)
    return body.local(side_sign(side) * (0.6 - 0.3 * active), -1.0, -0.3 + 0.45 * active)


def _arc_hand_to(body: Body, side: str, target: np.ndarray, start: float, rise: float, end: float, fall: float,
             pole=None) -> np.ndarray:
    """Bring the palm from where it hangs to a (moving) `target` on the body, arcing out in front of
    the chest on the way there and back (a straight line would brush the shoulder). Returns the
    0-1 engagement curve."""
    n = body.num_frames
    rest = body.point(f"{side}_middle1")
    via = body.point(f"{side}_shoulder") + body.local(-0.05 * side_sign(side), -0.2, 0.35)
    end = max(end, start + rise + fall)
    s = keyframes(n, [start, start + rise, end - fall, end], [0.0, 1.0, 1.0, 0.0])[:, None]
    palm = (1 - s) ** 2 * rest + 2 * s * (1 - s) * via + s**2 * target
    body.reach(side, palm, _window(n, start - 0.05, 0.1, end + 0.05, 0.1), pole=pole)
    return s[:, 0]


def _standing(cast: Cast, person: int) -> Body:
    """One relaxed standing frame of subject `person`, to measure the body before staging."""
    body = Body(1, cast.group.subjects[person].betas, (0.0, 0.0), 0.0)
    body.ground()
    return body


def _knuckle_reach(cast: Cast, person: int | None = None) -> float:
    """Shoulder to knuckles in a straight line (of the actor by default), to stand where a straight arm lands.

    Not `Body.arm_length` (upper arm plus forearm): the distances here were tuned on this one."""
    body = _standing(cast, cast.actor if person is None else person)
    return float(np.linalg.norm(body.rest[ARM["right"][4]] - body.rest[ARM["right"][1]]))


def _leg_length(cast: Cast) -> float:
    """Hip to ankle of the actor."""
    body = _standing(cast, cast.actor)
    return float(np.linalg.norm(body.rest[LEG["right"][3]] - body.rest[LEG["right"][1]]))


def _opening(cast: Cast, opening: Opening) -> tuple[bool, float, float]:
    """Whether the actor walks in, from how far, and the time the interaction can start (a moment after
    arriving: a blow is squared up to)."""
    approach, extra, walk = opening.walk_in(cast)
    return approach, extra, walk + cast.seconds(cast.rng.uniform(0.3, 0.8))


def _place(cast: Cast, duration: float, distance: float, approach: bool, extra: float, start: float,
           turn: float = 0.3) -> tuple[Body, Body]:
    """Stage the pair; the reactor may stand a little turned away, the actor may walk in."""
    actor, reactor = stage(cast, duration, distance)
    reactor.yaw = reactor.yaw + cast.rng.uniform(-turn, turn)
    if approach:
        approach_from_afar(cast, actor, reactor, start - 0.25, extra)
    actor.ground()
    reactor.ground()
    return actor, reactor


def _level(body: Body, sides, weight, world: np.ndarray) -> None:
    """Turn the ankles so the feet lie flat (sole level, pointing where the body faces), whatever
    the tilt of the shank: a leaning leg must not stand on its toes. `world`: rotations from an FK
    taken before the legs were last changed (the pelvis above them is what it needs)."""
    flat = yaw_matrix(body.yaw)
    for side in sides:
        shank = down_chain(body, world[:, LEG[side][0]], LEG[side][1:3])
        body.set(f"{side}_ankle", rot.matrix_to_axis_angle(np.swapaxes(shank, -1, -2) @ flat), weight)


def _shift(body: Body, start: float, end: float, offset, lead: str, lift: float = 0.07) -> None:
    """Displace the body on the floor by `offset` (x, z) between `start` and `end` with two steps.

    The `lead` foot steps first and the other follows; each foot stays planted
    while it is not stepping (leg IK), so the feet do not slide. Grounds the body.
    """
    body.ground()
    n = body.num_frames
    joints = body.fk()
    ankles = {s: joints[:, LEG[s][3]] for s in ("left", "right")}
    move = np.array([offset[0], 0.0, offset[1]])
    body.floor_xz = body.floor_xz + keyframes(n, [start, end], [[0.0, 0.0], list(offset)])
    span = end - start
    windows = {lead: (start, start + 0.6 * span), OTHER[lead]: (start + 0.4 * span, end)}
    weight = _window(n, start - 0.2, 0.2, end + 0.25, 0.25)
    for _ in range(2):
        fk = body.fk(return_rotations=True)  # the legs do not move each other's hips
        for side, (a, b) in windows.items():
            progress = keyframes(n, [a, b], [0.0, 1.0])
            target = ankles[side] + column(progress) * move + column(lift * np.sin(np.pi * progress)) * UP
            body.place_foot(side, target, weight, max_bend=2.2, fk=fk)
        _level(body, windows, weight, fk[1])
        body.ground()


def _flinch(body: Body, start: float, strength, side: str | None = None, hold: float = 0.15,
            recover: float = 0.8) -> np.ndarray:
    """Upper body thrown back (and turned away from the struck `side`) by a blow from the front."""
    jolt = _pulse(body.num_frames, start, 0.12, hold, recover) * strength
    body.add("spine1", axis([1, 0, 0], -0.10 * jolt))
    body.add("spine2", axis([1, 0, 0], -0.12 * jolt))
    body.add("spine3", axis([1, 0, 0], -0.06 * jolt))
    body.add("neck", axis([1, 0, 0], 0.12 * jolt))  # the head lags behind the chest
    for arm in ("left", "right"):  # hanging arms lag too instead of swinging forward with the chest
        body.add(f"{arm}_shoulder", axis([1, 0, 0], 0.25 * jolt))
    if side is not None:
        body.add("spine2", axis([0, 1, 0], 0.25 * side_sign(side) * jolt))
    return jolt


def _target(region: str, side: str) -> tuple[str, tuple[float, float, float]]:
    """Where a punch lands on the reactor's `side`: (joint, offset in that joint's frame)."""
    sx = side_sign(side)
    if region == "chest":
        return "spine3", (0.07 * sx, 0.07, 0.13)
    if region == "shoulder":
        return f"{side}_shoulder", (0.0, 0.02, 0.07)
    return f"{side}_shoulder", (0.12 * sx, 0.0, 0.06)  # upper arm: along the arm, on its front


def _punch(actor: Body, arm: str, blows, start: float, guard: float | None, windup: float, strike: float,
           retract: float) -> None:
    """Straight punches of arm `arm` landing on `blows` [(time, point (3,))]: the fist draws back, drives
    onto the point, holds an instant and comes back. With `guard` (seconds to raise it, from `start`)
    the fists first come up in front of the chin and return there between punches."""
    n = actor.num_frames
    shoulder = actor.point(f"{arm}_shoulder")
    rest = actor.point(f"{arm}_middle1")
    cocked = shoulder + actor.local(-0.07 * side_sign(arm), -0.12, 0.2)
    if guard is None:  # from the hanging arm, back to the fist in front of the belly between punches
        home, back = rest, shoulder + actor.local(-0.06 * side_sign(arm), -0.3, 0.22)
    else:
        home = back = shoulder + actor.local(-0.12 * side_sign(arm), 0.02, 0.24)
    times, anchors = [start, start + (guard or 0.0)], [rest, home]
    for t, point in blows:
        times += [t - strike - windup, t - strike, t, t + 0.05, t + 0.05 + retract]
        anchors += [anchors[-1], cocked, point, point, back]
    end = times[-1]
    times += [end + 0.5]
    anchors += [rest]
    first = start if guard is not None else blows[0][0] - strike - windup - 0.1
    weight = _window(n, first, (guard or 0.0) + 0.1, end + 0.5, 0.4)
    fist = _path(n, times, anchors)
    actor.reach(arm, fist, weight, pole=_elbow_pole(actor, arm, fist))
    actor.curl_fingers(arm, 0.25 + 0.7 * weight)


@choreography(4, contact=True)
def hit(cast: Cast) -> Take:
    """Punches with a fist to the chest, shoulder or upper arm; the reactor is jolted and may stagger back."""
    rng = cast.rng
    opening = OPENINGS[4]
    hits = opening.count(cast)
    alternate = hits > 1 and rng.random() < 0.3
    sides = [cast.hand if k % 2 == 0 or not alternate else OTHER[cast.hand] for k in range(hits)]
    approach, extra, t0 = _opening(cast, opening)
    guard = rng.random() < 0.5
    raise_time = cast.seconds(0.45) if guard else 0.0
    windup = max(0.2, cast.seconds(0.3))
    strike = max(0.16, cast.seconds(0.18))
    retract = cast.seconds(0.35)
    gap = cast.seconds(rng.uniform(0.15, 0.45))
    impacts = [t0 + raise_time + windup + strike + k * (windup + strike + 0.05 + retract + gap) for k in range(hits)]
    reaction = str(rng.choice(["recoils", "still"], p=[0.7, 0.3]))
    latency = cast.reactor_style.latency
    stagger = impacts[-1] + 0.05
    settle = cast.seconds(rng.uniform(0.7, 1.5))
    duration = max(impacts[-1] + 0.05 + retract + 0.5, impacts[-1] + latency + 0.8) + settle
    distance = _knuckle_reach(cast) * rng.uniform(0.92, 1.02) * cast.actor_style.distance ** 0.2
    actor, reactor = _place(cast, duration, distance, approach, extra, t0)
    n = actor.num_frames
    amplitude = cast.actor_style.amplitude

    # the reactor: a jolt at every impact, then a stagger back or a brace in place
    regions = [str(rng.choice(["chest", "shoulder", "arm"], p=[0.5, 0.3, 0.2])) for _ in range(hits)]
    for k, (t, s) in enumerate(zip(impacts, sides)):
        _flinch(reactor, t, rng.uniform(0.7, 1.1) * (1.3 if k == hits - 1 else 1.0), OTHER[s])
    struck = OTHER[sides[-1]]
    if reaction == "recoils":
        back = rng.uniform(0.18, 0.32)
        _shift(reactor, stagger, stagger + cast.seconds(0.55), -back * reactor.facing()[0, [0, 2]], struck)
    reactor.ground()
    # after the last blow the reactor may clutch the struck spot with the other hand
    clutch = rng.random() < 0.5
    if clutch:
        joint, offset = _target(regions[-1], struck)
        spot = reactor.point(joint, offset) + 0.04 * reactor.local(forward=1.0)
        cover = _arc_hand_to(reactor, OTHER[struck], spot, impacts[-1] + latency, cast.seconds(0.4),
                             duration - 0.3, 0.7)
        reactor.curl_fingers(OTHER[struck], 0.25 + 0.3 * cover)

    # the actor: lean and turn into each punch, the fist driven onto the target at impact
    twist = np.zeros(n)
    for t, s in zip(impacts, sides):
        twist += side_sign(OTHER[s]) * keyframes(n, [t - strike - windup, t - strike, t, t + 0.05 + retract],
                                            [0.0, -0.12, 0.3, 0.0])
    actor.add("spine2", axis([0, 1, 0], twist * amplitude))
    actor.add("spine2", axis([1, 0, 0], 0.12 * _window(n, t0, 0.4, impacts[-1] + retract, 0.5)))
    actor.ground()
    touches = []
    for arm in ("left", "right"):
        blows = []
        for t, s, region in zip(impacts, sides, regions):
            if s == arm:
                joint, offset = _target(region, OTHER[arm])
                blows.append((t, _at(reactor.point(joint, offset), t)))  # the fist stays where it landed
                touches.append(Touch(f"{arm}_middle1", (0.0, 0.0, 0.0), joint, offset, t - 0.03, t + 0.03))
        if blows or guard:
            _punch(actor, arm, blows, t0, raise_time if guard else None, windup, strike, retract)
    hand = "both" if alternate else cast.hand
    performance = cast.performance(hand=hand, reactor_hand=OTHER[struck] if clutch else "none", repetitions=hits,
                                   approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, tuple(touches))


def _palms_on(actor: Body, reactor: Body, hands, points, contact: float, release: float,
              lift: float) -> list[Touch]:
    """The actor's open palms go to reactor `points` (joint, offset) at `contact`, ride along with
    them until `release`, linger a moment where they left off and drop back."""
    n = actor.num_frames
    touches = []
    for hand, (joint, offset) in zip(hands, points):
        rest = actor.point(f"{hand}_middle1")
        spot = reactor.point(joint, offset) + 0.025 * reactor.facing()  # the palm's skin, not its knuckle joint
        ready = _at(spot, contact) - 0.1 * _at(reactor.facing(), contact)
        left_off = _at(spot, release)
        times = [contact - lift, contact - 0.12, contact, release, release + 0.15, release + 0.75]
        palm = _path(n, times, [rest, ready, spot, spot, left_off, rest])
        weight = _window(n, contact - lift, 0.15, release + 0.75, 0.3)
        # fingers up and a little forward, the palm flat on the reactor
        palm_normal = UP + 0.7 * actor.facing() - 0.2 * side_sign(hand) * actor.local(out=1.0)
        frame = hand_frame(hand, palm_normal, actor.facing())
        palm_reach(actor, hand, palm, frame, weight, pole=_elbow_pole(actor, hand, palm))
        actor.curl_fingers(hand, 0.25 * (1 - weight) + 0.05, thumb=0.25 * (1 - weight))
        touches.append(Touch(f"{hand}_middle1", (0.0, 0.0, 0.0), joint, offset, contact, release))
    return touches


def _push_points(rng, hands) -> list[tuple[str, tuple[float, float, float]]]:
    """Where palms land: on the chest or the front of the shoulders, each hand on the reactor's opposite side."""
    chest = rng.random() < 0.65
    spread = 0.09 if len(hands) == 2 else 0.04
    points = []
    for hand in hands:
        side = OTHER[hand]
        if chest:
            points.append(("spine3", (spread * side_sign(side), 0.06, 0.15)))
        else:
            points.append((f"{side}_shoulder", (-0.03 * side_sign(side), 0.02, 0.08)))
    return points


def _arms_flail(body: Body, start: float, amount: float) -> None:
    """Arms fly up and out for balance when the body is thrown off its feet."""
    swing = _pulse(body.num_frames, start, 0.2, 0.25, 0.7) * amount
    for side in ("left", "right"):
        body.add(f"{side}_shoulder", axis([0, -0.5 * side_sign(side), side_sign(side)], 0.6 * swing))
        body.add(f"{side}_elbow", axis([0, -side_sign(side), 0], 0.4 * swing))


@choreography(7, contact=True)
def push(cast: Cast) -> Take:
    """Palms on the chest or shoulders, arms extend; the reactor is driven back a step."""
    rng = cast.rng
    opening = OPENINGS[7]
    hands = ("left", "right") if rng.random() < 0.75 else (cast.hand,)
    approach, extra, t0 = _opening(cast, opening)
    lift = max(0.4, cast.seconds(0.5))
    contact = t0 + lift
    shove = max(0.22, cast.seconds(0.3))
    release = contact + shove
    step = cast.seconds(rng.uniform(0.5, 0.7))
    back = rng.uniform(0.3, 0.55) * cast.actor_style.amplitude
    duration = release + step + cast.seconds(rng.uniform(1.0, 2.0))
    distance = _knuckle_reach(cast) * rng.uniform(0.85, 0.95)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0)
    n = actor.num_frames

    lead = str(rng.choice(["left", "right"]))
    _flinch(reactor, contact, rng.uniform(0.6, 0.9), None if len(hands) == 2 else OTHER[hands[0]])
    _shift(reactor, contact + 0.04, contact + 0.04 + step, -back * reactor.facing()[0, [0, 2]], lead)
    _arms_flail(reactor, contact + 0.05, rng.uniform(0.4, 0.8))
    reactor.ground()
    # the reactor looks at the pusher after regaining balance
    reactor.add("neck", axis([1, 0, 0], -0.1 * _window(n, release + step, 0.4, duration, 0.3)))

    actor.add("spine2", axis([1, 0, 0], 0.15 * _window(n, contact - 0.2, 0.3, release + 0.3, 0.5)))
    actor.ground()
    points = _push_points(rng, hands)
    for hand, (joint, offset) in zip(hands, points):
        _close_in(actor, f"{hand}_shoulder", reactor.point(joint, offset), contact, 0.8 * _knuckle_reach(cast), reactor)
    _shift(actor, contact - 0.1, release + 0.2, rng.uniform(0.08, 0.18) * actor.facing()[0, [0, 2]],
           str(rng.choice(["left", "right"])))
    actor.ground()
    touches = _palms_on(actor, reactor, hands, points, contact, release, lift)
    performance = cast.performance(hand="both" if len(hands) == 2 else hands[0], reactor_hand="none",
                                   repetitions=1, approach=approach, reaction="recoils")
    return Take(actor, reactor, performance, tuple(touches))


# pelvis tilt (world, + leans forward), hip flexion, knee flexion, spine flexion (each of 3), neck flexion
_CROUCH = (-0.2, 1.2, 1.8, 0.15, 0.2)
_SEATED = (-0.45, 1.72, 1.17, 0.2, 0.15)  # thighs up, heels on the floor, leaning back on the hands
_LYING = (-1.45, 0.82, 1.36, 0.0, 0.45)  # on the back, knees up, head raised


def _fall(body: Body, start: float, length: float, lie_after: float | None) -> None:
    """Fold the legs and go down backward onto the seat (then, if `lie_after` s, onto the back).

    The feet stay where they were when the fall began (the path is moved to keep
    them there), the pelvis lands behind them; the sitting body leans on both
    hands behind it. Hands are placed relative to the pelvis, so the body can be
    grounded afterwards: the lowest of seat, back, heels and palms is on the floor.
    """
    n = body.num_frames
    times = [start, start + 0.45 * length, start + length]
    poses = [(0.0,) * 5, _CROUCH, _SEATED]
    if lie_after is not None:
        times.append(times[-1] + lie_after)
        poses.append(_LYING)
    curve = keyframes(n, times, np.asarray(poses))
    weight = keyframes(n, [start, start + 0.12], [0.0, 1.0])
    body.set("pelvis", axis([1, 0, 0], curve[:, 0]), weight)
    for side in ("left", "right"):
        body.set(f"{side}_hip", axis([-1, 0, 0], curve[:, 1]), weight)
        body.set(f"{side}_knee", axis([1, 0, 0], curve[:, 2]), weight)
        body.set(f"{side}_ankle", np.zeros(3), weight)
    for joint in ("spine1", "spine2", "spine3"):
        body.set(joint, axis([1, 0, 0], curve[:, 3]), weight)
    body.set("neck", axis([1, 0, 0], curve[:, 4]), weight)
    joints = body.fk()
    feet = 0.5 * (joints[:, LEG["left"][3], :] + joints[:, LEG["right"][3], :])[:, [0, 2]]
    first = min(int(start * FPS), n - 1)
    anchor = np.zeros_like(feet)
    anchor[first:] = feet[first] - feet[first:]
    body.floor_xz = body.floor_xz + anchor
    # hands back on the floor while sitting; along the sides once lying
    sat = start + length
    support = _window(n, start + 0.6 * length, 0.4 * length,
                      sat + 0.5 * lie_after if lie_after is not None else 1e9, 0.4 * (lie_after or 1.0))
    pelvis = body.point("pelvis")
    for side in ("left", "right"):
        palm = pelvis + body.local(0.2 * side_sign(side), -0.05, -0.3)
        body.reach(side, palm, support, pole=body.local(0.3 * side_sign(side), 0.2, -1.0))
    body.ground()


@choreography(14, contact=True)
def knock_over(cast: Cast) -> Take:
    """A hard two-handed shove; the reactor stumbles back and falls onto the seat, maybe onto the back."""
    rng = cast.rng
    opening = OPENINGS[14]
    hands = ("left", "right") if rng.random() < 0.8 else (cast.hand,)
    approach, extra, t0 = _opening(cast, opening)
    lift = max(0.4, cast.seconds(0.5))
    contact = t0 + lift
    shove = max(0.2, cast.seconds(0.28))
    release = contact + shove
    stumble = cast.seconds(rng.uniform(0.45, 0.6))
    back = rng.uniform(0.3, 0.5)
    fall = rng.uniform(0.65, 0.85)
    lie = rng.random() < 0.4
    lie_after = rng.uniform(0.5, 0.7) if lie else None
    down = contact + 0.04 + stumble - 0.1
    landed = down + fall + (lie_after or 0.0)
    duration = landed + cast.seconds(rng.uniform(1.0, 2.2))
    distance = _knuckle_reach(cast) * rng.uniform(0.85, 0.95)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0)
    n = actor.num_frames

    _flinch(reactor, contact, 1.0, None if len(hands) == 2 else OTHER[hands[0]], hold=0.3, recover=0.6)
    _shift(reactor, contact + 0.04, contact + 0.04 + stumble, -back * reactor.facing()[0, [0, 2]],
           str(rng.choice(["left", "right"])), lift=0.05)
    _arms_flail(reactor, contact + 0.05, 1.0)
    _fall(reactor, down, fall, lie_after)

    actor.add("spine2", axis([1, 0, 0], 0.2 * _window(n, contact - 0.2, 0.3, release + 0.3, 0.5)))
    _shift(actor, contact - 0.1, release + 0.25, rng.uniform(0.12, 0.25) * actor.facing()[0, [0, 2]],
           str(rng.choice(["left", "right"])))
    # then looks down at the one on the floor
    actor.add("neck", axis([1, 0, 0], 0.35 * _window(n, down + 0.3, 0.5, duration, 0.3)))
    actor.ground()
    touches = _palms_on(actor, reactor, hands, _push_points(rng, hands), contact, release, lift)
    performance = cast.performance(hand="both" if len(hands) == 2 else hands[0], reactor_hand="none",
                                   repetitions=1, approach=approach, reaction="recoils")
    return Take(actor, reactor, performance, tuple(touches))


def _close_in(actor: Body, joint: str, spot: np.ndarray, time: float, reach: float, other: Body,
              closest: float = 0.42) -> None:
    """Move the actor (whole path) straight toward `spot` until its `joint` (shoulder, hip) is `reach` m
    from it at `time`, but never nearer than `closest` (pelvis to pelvis) to the `other` body."""
    i = min(int(round(time * FPS)), actor.num_frames - 1)
    gap = spot[i] - actor.point(joint)[i]
    flat = np.array([gap[0], gap[2]])
    level = np.linalg.norm(flat)
    needed = np.sqrt(max(reach**2 - gap[1] ** 2, 0.0))
    if level <= needed:
        return
    direction = flat / level
    move = level - needed
    # largest move along `direction` that keeps the pelvises `closest` apart
    apart = actor.floor_xz[i] - other.floor_xz[i]
    b = apart @ direction
    c = apart @ apart - closest**2
    if c <= 0.0:
        return
    disc = b * b - c
    if disc > 0.0 and -b - np.sqrt(disc) > 0.0:
        move = min(move, -b - np.sqrt(disc))
    actor.floor_xz = actor.floor_xz + move * direction


def _held_forearm(body: Body, side: str, bend: float, lowest: float) -> np.ndarray:
    """Wrist position `(T, 3)` of a forearm held loosely in front at the waist (`bend` 0-1 how far forward),
    raised to at least `lowest` m (someone much taller must be able to take it without stooping)."""
    wrist = body.point(f"{side}_shoulder") + body.local(0.1 * side_sign(side), -0.44 + 0.1 * bend, 0.1 + 0.15 * bend)
    wrist[:, 1] = np.maximum(wrist[:, 1], lowest)
    return wrist


def _grip_spot(rng, side: str) -> tuple[str, tuple[float, float, float]]:
    """The wrist or the middle of the forearm of the reactor's arm `side`."""
    if rng.random() < 0.6:
        return f"{side}_wrist", (0.0, 0.0, 0.0)
    return f"{side}_elbow", (0.13 * side_sign(side), 0.0, 0.0)


def _grip(actor: Body, hand: str, spot: np.ndarray, start: float, grip: float, release: float,
          back: float) -> None:
    """The actor's hand closes on a moving `spot` from `grip` to `release`, then lets go and drops."""
    n = actor.num_frames
    shoulder = actor.point(f"{hand}_shoulder")
    palm = spot - 0.03 * unit(spot - shoulder)  # the palm on the near side, fingers around
    rest = actor.point(f"{hand}_middle1")
    near = _at(palm, grip) - 0.1 * unit(_at(palm, grip) - _at(shoulder, grip))
    path = _path(n, [start, grip - 0.12, grip, release, release + 0.2, release + back],
                 [rest, near, palm, palm, _at(palm, release), rest])
    weight = _window(n, start, 0.15, release + back, 0.25)
    actor.reach(hand, path, weight, pole=_elbow_pole(actor, hand, path))
    closed = _window(n, grip - 0.08, 0.1, release + 0.1, 0.2)
    actor.curl_fingers(hand, 0.25 + 0.55 * closed, thumb=0.25 + 0.5 * closed)


@choreography(3, contact=True)
def grab(cast: Cast) -> Take:
    """A quick grip on the reactor's wrist or forearm; the reactor yanks the arm free or stares at the hand."""
    rng = cast.rng
    opening = OPENINGS[3]
    hand = cast.hand
    side = OTHER[hand]
    approach, extra, t0 = _opening(cast, opening)
    grip = t0 + cast.seconds(0.5)
    reaction = str(rng.choice(["recoils", "still"], p=[0.6, 0.4]))
    latency = cast.reactor_style.latency
    tug = rng.random() < 0.5  # the actor draws the arm toward itself a little
    if reaction == "recoils":
        yank = grip + latency
        release = yank + 0.12
    else:
        yank = None
        release = grip + cast.seconds(rng.uniform(1.0, 2.0))
    duration = release + 0.9 + cast.seconds(rng.uniform(0.8, 1.6))
    distance = rng.uniform(0.62, 0.78) * cast.actor_style.distance ** 0.3
    actor, reactor = _place(cast, duration, distance, approach, extra, t0)
    n = actor.num_frames
    amplitude = cast.actor_style.amplitude

    # the reactor's forearm rests in front; the grip draws it out; the reactor yanks it back or stays
    joint, offset = _grip_spot(rng, side)
    lowest = float(actor.point(f"{hand}_shoulder")[0, 1]) - 0.75 * _knuckle_reach(cast)
    held = _held_forearm(reactor, side, rng.uniform(0.5, 1.0), lowest)
    drawn = held + reactor.local(0.0, 0.03, 0.1 if tug else 0.03) * amplitude
    times, anchors = [grip, grip + 0.25], [held, drawn]
    if yank is not None:
        freed = reactor.point(f"{side}_shoulder") + reactor.local(0.06 * side_sign(side), -0.38, 0.04)
        times += [yank, yank + cast.seconds(0.35), release + 0.8, release + 1.4]
        anchors += [drawn, freed, freed, held]
        twist = _window(n, yank, 0.3, release + 0.9, 0.6)
        reactor.add("spine2", axis([0, 1, 0], 0.25 * side_sign(side) * twist))  # turns that shoulder away
        reactor.add("spine2", axis([1, 0, 0], -0.1 * twist))
    else:
        times += [release, release + 0.6]
        anchors += [drawn, held]
    look = _window(n, grip + latency, 0.35, release + 0.6, 0.6)
    reactor.add("neck", axis([1, 0, 0], 0.35 * look))
    reactor.add("neck", axis([0, 1, 0], 0.3 * side_sign(side) * look))
    reactor.ground()
    reactor.reach(side, _path(n, times, anchors), 1.0, point="wrist",
           pole=reactor.local(0.3 * side_sign(side), -0.6, -1.0))

    actor.add("spine2", axis([1, 0, 0], 0.3 * _window(n, t0, 0.4, release + 0.3, 0.6)))
    actor.ground()
    spot = reactor.point(joint, offset)
    _close_in(actor, f"{hand}_shoulder", spot, grip, 0.95 * _knuckle_reach(cast), reactor)
    actor.ground()
    _grip(actor, hand, spot, t0, grip, release, 0.8)
    touch = Touch(f"{hand}_middle1", (0.0, 0.0, 0.0), joint, offset, grip, release)
    performance = cast.performance(hand=hand, reactor_hand="none", repetitions=1, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, (touch,))


@choreography(8, contact=True)
def pull(cast: Cast) -> Take:
    """The actor takes the reactor's wrist and hauls it in, stepping back; the reactor is drawn a step forward."""
    rng = cast.rng
    opening = OPENINGS[8]
    hand = cast.hand
    side = OTHER[hand]
    approach, extra, t0 = _opening(cast, opening)
    grip = t0 + cast.seconds(0.55)
    haul = grip + cast.seconds(0.25)
    backstep = cast.seconds(rng.uniform(0.5, 0.8))
    latency = cast.reactor_style.latency
    follow = haul + 0.12 + 0.25 * latency
    step = cast.seconds(rng.uniform(0.5, 0.7))
    release = follow + step + cast.seconds(rng.uniform(0.2, 0.7))
    duration = release + 0.8 + cast.seconds(rng.uniform(0.8, 1.6))
    distance = rng.uniform(0.62, 0.75)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0)
    n = actor.num_frames
    amplitude = cast.actor_style.amplitude

    # the reactor: arm drawn out, the body leans after it and a step follows
    lean = _window(n, haul + 0.05, 0.3, follow + step, 0.5)
    reactor.add("spine2", axis([1, 0, 0], 0.18 * lean))
    reactor.add("neck", axis([1, 0, 0], -0.1 * lean))
    backstep_length = rng.uniform(0.15, 0.3)
    drawn_in = backstep_length + rng.uniform(0.05, 0.15) * amplitude  # the gap closes a little, no more
    _shift(reactor, follow, follow + step, drawn_in * reactor.facing()[0, [0, 2]], side)
    reactor.ground()
    lowest = float(actor.point(f"{hand}_shoulder")[0, 1]) - 0.75 * _knuckle_reach(cast)
    held = _held_forearm(reactor, side, rng.uniform(0.8, 1.0), lowest)
    reactor.reach(side, held, 1.0, point="wrist")

    actor.add("spine2", axis([1, 0, 0], 0.25 * _window(n, t0, 0.4, haul, 0.4)
                             - 0.12 * _window(n, haul, 0.3, release, 0.5)))
    actor.ground()
    joint, offset = _grip_spot(rng, side)
    _close_in(actor, f"{hand}_shoulder", reactor.point(joint, offset), grip, _knuckle_reach(cast), reactor)
    _shift(actor, haul, haul + backstep, -backstep_length * actor.facing()[0, [0, 2]], side)
    actor.ground()
    # the wrist is hauled a little past halfway from the reactor's shoulder to the actor's, low
    mine, theirs = actor.point(f"{hand}_shoulder"), reactor.point(f"{side}_shoulder")
    line = theirs - mine
    line[:, 1] = 0.0
    hauled = mine + 0.45 * line - 0.25 * UP
    drawn = held + reactor.local(0.0, 0.02, 0.05)
    wrist = _path(n, [grip, grip + 0.2, haul, haul + cast.seconds(0.3), release, release + 0.7],
                  [held, drawn, drawn, hauled, hauled, held])
    reactor.reach(side, wrist, 1.0, point="wrist")
    _grip(actor, hand, reactor.point(joint, offset), t0, grip, release, 0.8)
    touch = Touch(f"{hand}_middle1", (0.0, 0.0, 0.0), joint, offset, grip, release)
    performance = cast.performance(hand=hand, reactor_hand="none", repetitions=1, approach=approach,
                                   reaction="recoils")
    return Take(actor, reactor, performance, (touch,))


def _cheek(side: str) -> tuple[float, float, float]:
    """A point on the `side` cheek in the head joint's frame (below the eye, toward the face's side)."""
    return (0.055 * side_sign(side), -0.015, 0.05)


def _swing(n: int, start: float, length: float, a: np.ndarray, before: np.ndarray, hit: np.ndarray,
           after: np.ndarray, end: np.ndarray, at: float = 0.55) -> tuple[np.ndarray, np.ndarray, float]:
    """A blow from `a` onto `hit` and off to `end`: two quadratic curves (controls `before`, `after`)
    joined at `hit`, where the hand changes direction as it glances off, run with minimum-jerk timing
    over [start, start + length]. Returns the track, whether each frame is inside the swing, and the
    time the track passes `hit` (fraction `at` of the way)."""
    t = np.arange(n) / FPS
    s = smootherstep((t - start) / length)
    u = np.clip(s / at, 0.0, 1.0)[:, None]
    v = np.clip((s - at) / (1 - at), 0.0, 1.0)[:, None]
    first = (1 - u) ** 2 * a + 2 * u * (1 - u) * before + u**2 * hit
    second = (1 - v) ** 2 * hit + 2 * v * (1 - v) * after + v**2 * end
    grid = np.linspace(0.0, 1.0, 2001)
    impact = start + length * float(np.interp(at, smootherstep(grid), grid))
    return np.where((s <= at)[:, None], first, second), (t >= start) & (t <= start + length), impact


@choreography(10, contact=True)
def slap(cast: Cast) -> Take:
    """An open palm swung onto the cheek; the head snaps away, then the reactor holds the cheek or backs off."""
    rng = cast.rng
    opening = OPENINGS[10]
    hand = cast.hand
    cheek = OTHER[hand]
    approach, extra, t0 = _opening(cast, opening)
    lift = cast.seconds(0.45)
    start = t0 + lift + cast.seconds(rng.uniform(0.05, 0.25))
    length = max(0.24, cast.seconds(0.3))
    impact = start + 0.45 * length  # refined below from the arc's timing
    latency = cast.reactor_style.latency
    reaction = str(rng.choice(["recoils", "still"], p=[0.5, 0.5]))
    holds = rng.random() < 0.5
    duration = impact + 1.4 + latency + cast.seconds(rng.uniform(0.6, 1.4))
    distance = rng.uniform(0.6, 0.7)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0, turn=0.2)
    n = actor.num_frames
    amplitude = cast.actor_style.amplitude

    # the torso winds up away from the slapping side and turns into the swing
    actor.add("spine2", axis([0, 1, 0], -0.25 * side_sign(hand) * amplitude * keyframes(
        n, [t0, start, start + length, start + length + 0.8], [0.0, -0.4, 1.0, 0.0])))
    actor.ground()
    head = reactor.point("head", _cheek(cheek))
    _close_in(actor, f"{hand}_shoulder", head, impact, 0.88 * _knuckle_reach(cast), reactor)
    actor.ground()
    shoulder = actor.point(f"{hand}_shoulder")
    rest = actor.point(f"{hand}_middle1")
    normal = unit(reactor.local(side_sign(cheek), 0.0, 0.5))  # the cheek faces out and forward
    toward = unit(reactor.local(forward=1.0))
    i = min(int(round(impact * FPS)), n - 1)
    hit = head[i] + 0.02 * normal[i]
    wound = shoulder[i] + actor.local(side_sign(hand) * 0.36 * amplitude, 0.14, -0.02)[i]
    across = unit(reactor.local(side_sign(cheek)))[i]  # from the cheek's side toward the face's middle is -across
    arc, inside, impact = _swing(n, start, length, wound, hit + 0.25 * across + 0.08 * toward[i], hit,
                                 hit - 0.06 * across + 0.05 * toward[i],
                                 hit - 0.16 * across + 0.06 * toward[i] - 0.08 * UP)
    before = _path(n, [t0, t0 + lift], [rest, wound])
    left_off = arc[min(int((start + length) * FPS) + 1, n - 1)]
    back = cast.seconds(0.7)
    home = shoulder + actor.local(0.05 * side_sign(hand), -0.3, 0.22)  # down past its own chest, not the other's
    after = _path(n, [start + length, start + length + 0.4 * back, start + length + back], [left_off, home, rest])
    t = np.arange(n) / FPS
    palm = np.where(inside[:, None], arc, np.where((t < start)[:, None], before, after))
    weight = _window(n, t0, 0.2, start + length + back, 0.3)
    fingers = unit(palm - shoulder) + 0.5 * UP  # on along the arm, tipped up
    frame = hand_frame(hand, fingers, np.broadcast_to(-normal[i], (n, 3)))
    turn = _window(n, t0 + 0.3 * lift, 0.5 * lift, start + length + 0.3, 0.3)  # the hand relaxes on the way down
    palm_reach(actor, hand, palm, frame, weight, pole=_elbow_pole(actor, hand, palm), turn=turn)
    actor.curl_fingers(hand, 0.25 * (1 - weight) + 0.05, thumb=0.25 * (1 - weight))
    touch = Touch(f"{hand}_middle1", (0.0, 0.0, 0.0), "head", _cheek(cheek), impact - 0.03, impact + 0.03)

    # the reactor: the head snaps away from the blow, then comes back (or the body backs off)
    snap = _pulse(n, impact, 0.1, 0.25, 1.0 if reaction == "still" else 1.6) * rng.uniform(0.5, 0.8)
    for joint, share in (("neck", 0.6), ("head", 0.4)):
        reactor.add(joint, axis([0, 1, 0], -side_sign(cheek) * share * snap))
        reactor.add(joint, axis([0, 0, 1], 0.15 * side_sign(cheek) * share * snap))
    reactor.add("spine3", axis([0, 1, 0], -0.15 * side_sign(cheek) * snap))
    if reaction == "recoils":
        _shift(reactor, impact + latency, impact + latency + cast.seconds(0.6),
               -rng.uniform(0.15, 0.3) * reactor.facing()[0, [0, 2]], cheek)
    reactor.ground()
    if holds:
        cheek_spot = reactor.point("head", _cheek(cheek)) + 0.05 * normal + 0.1 * toward
        _arc_hand_to(reactor, cheek, cheek_spot, impact + latency, cast.seconds(0.4), duration - 0.3, 0.6,
                     pole=reactor.local(side_sign(cheek), -1.0, 0.0))
    performance = cast.performance(hand=hand, reactor_hand=cheek if holds else "none", repetitions=1,
                                   approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, (touch,))


def _kick(actor: Body, leg: str, impacts, points, chamber: float, strike: float, back: float, down: float) -> None:
    """Kick with leg `leg`: knee up, the foot snaps out onto each of `points` `(3,)` at `impacts`, back to
    the chamber and down to where it stood. The body leans back over the standing leg."""
    n = actor.num_frames
    lean = _window(n, impacts[0] - strike - chamber, chamber, impacts[-1] + 0.05 + back + down, down + 0.2)
    actor.add("spine1", axis([1, 0, 0], -0.08 * lean))
    actor.add("spine2", axis([1, 0, 0], -0.06 * lean))
    for side in ("left", "right"):  # arms a little out for balance
        actor.add(f"{side}_shoulder", axis([0, 0, side_sign(side)], 0.25 * lean))
    actor.ground()
    ankle = actor.point(f"{leg}_ankle")
    tucked = actor.point(f"{leg}_hip") + actor.local(0.0, -0.45, 0.28)
    times, anchors = [], []
    for t, point in zip(impacts, points):
        times += [t - strike - chamber, t - strike, t, t + 0.05, t + 0.05 + back, t + 0.05 + back + down]
        anchors += [ankle, tucked, point, point, tucked, ankle]
    weight = _window(n, times[0] - 0.05, 0.1, times[-1] + 0.05, 0.1)
    actor.place_foot(leg, _path(n, times, anchors), weight, pole=actor.facing() + 0.8 * UP, max_bend=2.2)
    actor.set(f"{leg}_ankle", axis([1, 0, 0], 0.4 * lean), lean)  # toes pointed
    actor.ground()


def _thigh(region: str, side: str) -> tuple[str, tuple[float, float, float]]:
    """Front of the mid thigh, or front of the hip, of the reactor's leg `side` (hip joint frame)."""
    if region == "thigh":
        return f"{side}_hip", (0.02 * side_sign(side), -0.2, 0.08)
    return f"{side}_hip", (0.05 * side_sign(side), -0.08, 0.1)


@choreography(5, contact=True)
def kick(cast: Cast) -> Take:
    """Front kicks of the foot into the reactor's thigh or hip (cast.hand is the kicking leg);
    the reactor doubles over, may step back and clutch the leg."""
    rng = cast.rng
    opening = OPENINGS[5]
    leg = cast.hand
    side = OTHER[leg]
    kicks = opening.count(cast)
    approach, extra, t0 = _opening(cast, opening)
    chamber = max(0.2, cast.seconds(0.3))
    strike = max(0.17, cast.seconds(0.2))
    back = cast.seconds(0.25)
    down = cast.seconds(0.3)
    gap = cast.seconds(rng.uniform(0.2, 0.5))
    impacts = [t0 + chamber + strike + k * (chamber + strike + 0.05 + back + down + gap) for k in range(kicks)]
    region = str(rng.choice(["thigh", "hip"], p=[0.7, 0.3]))
    reaction = str(rng.choice(["recoils", "still"], p=[0.6, 0.4]))
    clutch = rng.random() < 0.5
    latency = cast.reactor_style.latency
    last = impacts[-1] + 0.05 + back + down
    duration = max(last, impacts[-1] + latency + 0.8) + cast.seconds(rng.uniform(0.8, 1.6))
    reach = 0.92 * _leg_length(cast)
    distance = np.sqrt(reach**2 - 0.2**2) + rng.uniform(0.05, 0.1)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0, turn=0.2)
    n = actor.num_frames

    # the reactor: bent over by every kick, the last one may drive it a step back
    for t in impacts:
        bend = _pulse(n, t, 0.12, 0.2, 0.8) * rng.uniform(0.7, 1.0)
        reactor.add("spine2", axis([1, 0, 0], 0.25 * bend))
        reactor.add("neck", axis([1, 0, 0], 0.2 * bend))
    if reaction == "recoils":
        _shift(reactor, impacts[-1] + 0.03, impacts[-1] + 0.03 + cast.seconds(0.55),
               -rng.uniform(0.15, 0.3) * reactor.facing()[0, [0, 2]], side)
    if clutch:
        reactor.add("spine2", axis([1, 0, 0], 0.3 * _window(n, impacts[-1] + latency, 0.4, duration - 0.2, 0.7)))
    reactor.ground()
    joint, offset = _thigh(region, side)
    if reactor.point(joint, offset)[0, 1] > actor.point(f"{leg}_hip")[0, 1] - 0.12:
        joint, offset = _thigh("thigh", side)  # a hip too high for this kicker: the thigh then
    if clutch:
        spot = reactor.point(joint, offset) + 0.05 * reactor.local(forward=1.0)
        _arc_hand_to(reactor, side, spot, impacts[-1] + latency, cast.seconds(0.4), duration - 0.2, 0.7,
                 pole=reactor.local(side_sign(side), -0.2, -0.5))

    target = reactor.point(joint, offset)
    toward = unit(reactor.local(forward=1.0))
    points = [_at(target + 0.03 * toward, t) for t in impacts]
    _kick(actor, leg, impacts, points, chamber, strike, back, down)
    touches = tuple(Touch(f"{leg}_ankle", (0.0, 0.0, 0.0), joint, offset, t - 0.03, t + 0.03) for t in impacts)
    performance = cast.performance(hand=leg, reactor_hand=side if clutch else "none", repetitions=kicks,
                                   approach=approach, reaction=reaction)
    return Take(actor, reactor, performance, touches)


@choreography(38, contact=True)
def block(cast: Cast) -> Take:
    """The actor attacks (punches at the face or kicks at the belly); the reactor gets a forearm in the way
    in time, takes the blow on it and lowers the guard afterwards."""
    rng = cast.rng
    opening = OPENINGS[38]
    limb = cast.hand  # the actor's fist or foot
    side = OTHER[limb]  # the reactor's arm on the side the blow comes in
    # a kick must come in below the kicker's hip, where the blocker can still get a palm down to it
    blocker = 1 - cast.actor
    lowest_palm = _standing(cast, blocker).point("right_shoulder")[0, 1] - 0.05 - 0.95 * _knuckle_reach(cast, blocker)
    kicking = rng.random() < 0.3 and lowest_palm < _standing(cast, cast.actor).point("right_hip")[0, 1] - 0.1
    attacks = opening.count(cast)
    approach, extra, t0 = _opening(cast, opening)
    latency = cast.reactor_style.latency
    react = 0.12 + 0.15 * latency  # a trained, fast response to a visible attack
    strike = max(0.16, cast.seconds(0.18))
    windup = max(cast.seconds(0.35 if kicking else 0.3), react + 0.4 - strike)
    ready = rng.random() < 0.5  # the reactor already stands with the hands half up
    back, down = cast.seconds(0.25), cast.seconds(0.3)
    retract = cast.seconds(0.35)
    gap = cast.seconds(rng.uniform(0.2, 0.5))
    cycle = windup + strike + 0.05 + (back + down if kicking else retract) + gap
    impacts = [t0 + windup + strike + k * cycle for k in range(attacks)]
    lowered = impacts[-1] + cast.seconds(rng.uniform(0.4, 0.8))
    duration = lowered + 0.6 + cast.seconds(rng.uniform(0.7, 1.5))
    actor, reactor = _place(cast, duration, 1.0 if kicking else 0.85, approach, extra, t0, turn=0.2)
    n = actor.num_frames

    # the reactor: forearm up in front of the face, or the palm down in front of the belly against a kick
    up = _window(n, t0 + react, impacts[0] - 0.05 - t0 - react, lowered + 0.6, 0.6)
    reactor.add("spine2", axis([1, 0, 0], (0.35 if kicking else -0.08) * up))
    for t in impacts:
        _flinch(reactor, t, 0.3, side, hold=0.05, recover=0.4)
    reactor.ground()
    shoulder = reactor.point(f"{side}_shoulder")
    if kicking:
        floor = np.stack([reactor.floor_xz[:, 0], np.zeros(n), reactor.floor_xz[:, 1]], axis=-1)
        low = min(0.75, float(actor.point(f"{limb}_hip")[0, 1]) - 0.08)  # below the kicker's hip
        guard = floor + reactor.local(0.02 * side_sign(side), low, 0.24)
        pole = reactor.local(side_sign(side), -0.3, -0.2)
        end, joint, offset = "middle1", f"{side}_middle1", (0.0, 0.0, 0.0)
    else:
        guard = shoulder + reactor.local(-0.03 * side_sign(side), 0.2, 0.28)
        pole = reactor.local(0.6 * side_sign(side), -1.0, 0.3)
        end, joint, offset = "wrist", f"{side}_elbow", (0.13 * side_sign(side), 0.0, 0.0)  # mid forearm
    hanging = reactor.point(f"{side}_{end}")
    start = shoulder + reactor.local(0.05 * side_sign(side), -0.3, 0.22) if ready else hanging
    via = shoulder + reactor.local(0.05 * side_sign(side), -0.2, 0.35)  # out in front, clear of the shoulder
    rise = keyframes(n, [t0 + react, impacts[0] - 0.05, lowered, lowered + 0.6], [0.0, 1.0, 1.0, 0.0])[:, None]
    hand = (1 - rise) ** 2 * start + 2 * rise * (1 - rise) * via + rise**2 * guard
    engaged = 1.0 if ready else _window(n, t0 + react - 0.05, 0.1, lowered + 0.65, 0.1)
    reactor.reach(side, hand, engaged, pole=reactor.local(0.3 * side_sign(side), -1.0, -0.1) * (1 - rise) + pole * rise,
           point="palm" if kicking else "wrist")
    if ready:  # the other hand stays up too
        other = OTHER[side]
        reactor.reach(other, reactor.point(f"{other}_shoulder") + reactor.local(0.05 * side_sign(other), -0.3, 0.22),
               1.0, pole=reactor.local(0.3 * side_sign(other), -1.0, -0.1), point="wrist")
    reactor.curl_fingers(side, 0.25 + (0.0 if kicking else 0.6) * up)
    forearm = reactor.point(joint, offset)

    if kicking:
        actor.ground()
        _close_in(actor, f"{limb}_hip", forearm, impacts[0], 0.9 * _leg_length(cast), reactor)
        toward = unit(reactor.local(forward=1.0))
        _kick(actor, limb, impacts, [_at(forearm + 0.04 * toward, t) for t in impacts], windup, strike, back, down)
        point = f"{limb}_ankle"
    else:
        actor.add("spine2", axis([1, 0, 0], 0.1 * _window(n, t0, 0.3, impacts[-1] + retract, 0.5)))
        actor.ground()
        _close_in(actor, f"{limb}_shoulder", forearm, impacts[0], 0.9 * _knuckle_reach(cast), reactor)
        fist = actor.point(f"{limb}_shoulder")
        blows = [(t, _at(forearm + 0.035 * unit(fist - forearm), t)) for t in impacts]
        _punch(actor, limb, blows, t0, None, windup, strike, retract)
        point = f"{limb}_middle1"
    touches = tuple(Touch(point, (0.0, 0.0, 0.0), joint, offset, t - 0.03, t + 0.03) for t in impacts)
    performance = cast.performance(hand=limb, reactor_hand=side, repetitions=attacks, approach=approach,
                                   reaction="responds", limb="leg" if kicking else "arm",
                                   spot="belly" if kicking else "face")
    return Take(actor, reactor, performance, touches)


def _feet(body: Body, targets: dict, weight, rounds: int = 2) -> None:
    """Put both ankles on world targets `{side: (T, 3)}` with the soles level, and ground the body,
    twice, so the planted foot stays exactly where it is when the pelvis height settles."""
    for _ in range(rounds):
        fk = body.fk(return_rotations=True)
        for side, target in targets.items():
            body.place_foot(side, target, weight, max_bend=2.2, fk=fk)
        _level(body, targets, weight, fk[1])
        body.ground()


@choreography(15, contact=True)
def step_on_foot(cast: Cast) -> Take:
    """The actor steps forward onto the reactor's foot and stands on it a moment; the reactor looks down,
    then pulls the foot out and shakes it (or just stares at it)."""
    rng = cast.rng
    opening = OPENINGS[15]
    foot = cast.hand  # the actor's stepping foot
    side = OTHER[foot]  # the reactor's foot under it
    approach, extra, t0 = _opening(cast, opening)
    land = t0 + cast.seconds(rng.uniform(0.45, 0.6))
    off = land + cast.seconds(rng.uniform(0.5, 1.1))
    home = off + cast.seconds(0.5)
    latency = cast.reactor_style.latency
    reaction = str(rng.choice(["recoils", "still"], p=[0.65, 0.35]))
    lifted = off + 0.1 + 0.2 * latency
    duration = max(home, lifted + 1.4) + cast.seconds(rng.uniform(0.8, 1.5))
    distance = rng.uniform(0.5, 0.6)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0, turn=0.15)
    n = actor.num_frames

    # the reactor: looks down at the foot; after the actor steps off, lifts it, shakes it, sets it back
    look = _window(n, land + 0.1 + 0.3 * latency, 0.35, duration - 0.6, 0.6)
    reactor.add("neck", axis([1, 0, 0], 0.45 * look))
    reactor.add("spine2", axis([1, 0, 0], 0.08 * look))
    wince = _pulse(n, land + 0.08, 0.15, 0.3, 0.6)
    for arm in ("left", "right"):
        reactor.add(f"{arm}_shoulder", axis([0, 0, side_sign(arm)], 0.25 * wince))
    reactor.ground()
    spot = _at(reactor.point(f"{side}_foot", (0.0, 0.04, 0.0)), land)
    if reaction == "recoils":
        joints = reactor.fk()
        ankles = {s: joints[:, LEG[s][3]] for s in ("left", "right")}
        back = -reactor.facing()
        shake = 0.03 * np.sin(2 * np.pi * 3.0 * (np.arange(n) / FPS - lifted))
        up = _window(n, lifted, 0.25, lifted + 1.0, 0.35)
        ankles[side] = ankles[side] + column(up) * (0.14 * UP + 0.08 * back) + column(shake * up) * back
        _feet(reactor, ankles, _window(n, lifted - 0.05, 0.1, lifted + 1.1, 0.1))

    # the actor: weight forward onto the foot placed on the reactor's, then back
    actor.add("neck", axis([1, 0, 0], 0.3 * _window(n, t0, 0.4, home, 0.5)))
    actor.ground()
    joints = actor.fk()
    stand = joints[:, LEG[OTHER[foot]][3]].copy()
    start = joints[:, LEG[foot][3]].copy()
    offset = actor.rest[LEG[foot][4]] - actor.rest[LEG[foot][3]]  # ankle to ball of the foot, standing
    reach = np.einsum("tij,j->ti", yaw_matrix(actor.yaw), offset)
    ankle_on = spot - _at(reach, land)
    lean = keyframes(n, [land - 0.3, land, off, home], [0.0, 0.38, 0.38, 0.0])
    actor.floor_xz = actor.floor_xz + column(lean) * (ankle_on - _at(start, land))[[0, 2]]
    raised = 0.5 * (start + ankle_on) + 0.12 * UP
    path = _path(n, [t0, 0.5 * (t0 + land), land, off, 0.5 * (off + home), home],
                 [start, raised, ankle_on, ankle_on, raised, start])
    active = _window(n, t0 - 0.05, 0.1, home + 0.05, 0.1)
    _feet(actor, {foot: path, OTHER[foot]: stand}, active)
    # correct for the tilt of the foot on the shank so the ball of the foot lands on the spot
    miss = spot - _at(actor.point(f"{foot}_foot"), land)
    _feet(actor, {foot: path + column(keyframes(n, [t0, land, off, home], [0.0, 1.0, 1.0, 0.0])) * miss,
                  OTHER[foot]: stand}, active)
    touch = Touch(f"{foot}_foot", (0.0, 0.0, 0.0), f"{side}_foot", (0.0, 0.04, 0.0), land, off)
    performance = cast.performance(hand=foot, reactor_hand="none", repetitions=1, approach=approach,
                                   reaction=reaction)
    return Take(actor, reactor, performance, (touch,))


@choreography(28, contact=True)
def hand_wrestling(cast: Cast) -> Take:
    """Right hands clasped between the two, right feet forward; the clasp is shoved from side to side
    a few times, and maybe forced down to one side at the end."""
    rng = cast.rng
    opening = OPENINGS[28]
    approach, extra, t0 = _opening(cast, opening)
    reach = cast.seconds(0.6)
    latency = cast.reactor_style.latency
    meet = t0 + reach + 0.5 * latency + 0.2
    settle = meet + cast.seconds(0.3)
    frequency = float(np.clip(opening.frequency(cast) * cast.pace, 0.6, 1.3))
    pushes = max(1, min(opening.count(cast), int((8.5 - settle) * frequency)))  # the take stays under 12 s
    fight = settle + pushes / frequency
    winner = rng.choice([1.0, -1.0]) if rng.random() < 0.6 else 0.0  # who forces the hand down at the end
    release = fight + (cast.seconds(0.8) if winner else 0.1)
    duration = release + 0.7 + cast.seconds(rng.uniform(0.6, 1.4))
    distance = rng.uniform(0.62, 0.75)
    actor, reactor = _place(cast, duration, distance, approach, extra, t0, turn=0.0)
    n = actor.num_frames
    amplitude = 0.5 * (cast.actor_style.amplitude + cast.reactor_style.amplitude)

    # right feet forward into a braced stance, then back
    for body, start in ((actor, t0), (reactor, t0 + latency)):
        body.ground()
        joints = body.fk()
        stance = _window(n, start, 0.5, release + 0.3, 0.5)
        forward = joints[:, LEG["right"][3]] + column(stance) * body.local(-0.02, 0.0, 0.16)
        _feet(body, {"right": forward, "left": joints[:, LEG["left"][3]]},
              _window(n, start - 0.05, 0.1, release + 0.85, 0.1))

    # the clasp: halfway between them at elbow height, shoved along the actor's left-right axis
    side = unit(actor.local(out=1.0))
    fighting = np.clip(np.arange(n) / FPS - settle, 0.0, pushes / frequency)
    swing = 0.14 * amplitude * np.sin(2 * np.pi * frequency * fighting)
    forced = winner * 0.22 * _window(n, fight, 0.45, release, 0.4)
    shove = swing + forced
    for body, sign in ((actor, 1.0), (reactor, -1.0)):
        engaged = _window(n, settle - 0.2, 0.3, release, 0.4)
        body.add("spine2", axis([0, 1, 0], 0.9 * sign * shove))  # the torso turns with the arm
        body.add("spine2", axis([1, 0, 0], 0.1 * engaged))
        body.add("spine1", axis([0, 0, 1], 0.25 * sign * shove))
        body.ground()
    middle = 0.5 * (actor.floor_xz + reactor.floor_xz)
    height = 0.5 * (actor.height + reactor.height) + 0.1
    clasp = np.stack([middle[:, 0], height, middle[:, 1]], axis=-1)
    clasp = clasp + column(shove) * side - column(np.abs(forced)) * 0.3 * UP  # a forced hand also goes down
    for body, start, sign in ((actor, t0, 1.0), (reactor, t0 + latency, -1.0)):
        palm = clasp - 0.02 * sign * side  # palms pressed together: each 2 cm to its own side of the clasp
        rest = body.point("right_middle1")
        end = release + 0.6
        path = _path(n, [start, meet, release, end], [rest, palm, palm, rest])
        weight = _window(n, start - 0.05, 0.1, end + 0.05, 0.1)
        body.set("right_wrist", axis([1, 0, 0], 0.6), weight)
        body.reach("right", path, weight)
        body.curl_fingers("right", 0.25 + 0.45 * _window(n, meet - 0.1, 0.15, release, 0.2))
    touch = Touch("right_middle1", (0.0, 0.0, 0.0), "right_middle1", (0.0, 0.0, 0.0), meet, release)
    performance = cast.performance(hand="right", reactor_hand="right", repetitions=pushes, approach=approach,
                                   reaction="responds")
    return Take(actor, reactor, performance, (touch,))
