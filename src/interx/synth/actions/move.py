"""Whole-body movement: Posing, Sit on leg, Walk towards, Chase, Dance, Bend, Carry on back, Help up, Look back.

These categories move the whole body (walk, run, step, kneel, sit, carry),
so besides the framework's tools this module has a few of its own: a gait
that follows any floor path with a walking-to-running style (`_gait`),
stepping from stance to stance with planted feet (`_footwork`), going down
on one knee (`_kneel`), keeping the feet where they stand while the legs
fold (`_keep_feet`), levelling the feet on the
floor (`_level_feet`), and squeezing long timelines into the take
(`_fit`).
"""

from __future__ import annotations

import numpy as np

from interx.body import rotations as rot
from interx.synth.actions import Take, Touch, choreography
from interx.synth.actions.openings import OPENINGS
from interx.synth.curves import envelope, keyframes, oscillation, smooth, smootherstep
from interx.synth.rig import CLEARANCE, FPS, OTHER, UP, Body, J, axis, facing_yaw, unit, yaw_matrix
from interx.synth.stage import Cast, blend_in, stage

ANKLE_HEIGHT = float(CLEARANCE[J["left_ankle"]])  # ankle above the floor when the sole is on it


# ----------------------------------------------------------------- helpers
def _flat(xz: np.ndarray, height=0.0) -> np.ndarray:
    """Floor coordinates `(..., 2)` to world points `(..., 3)` at `height`."""
    xz = np.asarray(xz, dtype=np.float64)
    return np.stack([xz[..., 0], np.broadcast_to(height, xz.shape[:-1]), xz[..., 1]], axis=-1)


def _xz(direction_yaw) -> np.ndarray:
    """Horizontal unit vector `(..., 2)` a body with this yaw faces."""
    return np.stack([np.sin(direction_yaw), np.cos(direction_yaw)], axis=-1)


def _progress(num_frames: int, start: float, end: float, ramp: float) -> np.ndarray:
    """0-1 progress between `start` and `end` s with a trapezoid speed: ramps up and down over `ramp` s.

    Walkers keep a steady pace in the middle instead of the bell-shaped speed
    of a single eased segment.
    """
    speed = envelope(num_frames, start, ramp, end, ramp) + 1e-9
    covered = np.cumsum(speed)
    return (covered - covered[0]) / (covered[-1] - covered[0])


def _compose(*rotations) -> np.ndarray:
    """Axis-angle of rotations applied in sequence (the first is the outermost)."""
    matrix = rot.axis_angle_to_matrix(np.asarray(rotations[0], dtype=np.float64))
    for r in rotations[1:]:
        matrix = matrix @ rot.axis_angle_to_matrix(np.asarray(r, dtype=np.float64))
    return rot.matrix_to_axis_angle(matrix)


def _gait(body: Body, path: np.ndarray, stride: float, lead: str, run=0.0) -> None:
    """Step the legs along floor `path` `(T, 2)`: one step per `stride` m, the `lead` foot first.

    Like the rig's walk, but for any path (steady pace, curves, backward
    steps) and with `run` (scalar or `(T,)`, 0 walk .. 1 run): a run folds
    the swing knee higher, leans the trunk forward and pumps bent arms.
    Facing is left to the caller.
    """
    body.floor_xz = np.asarray(path, dtype=np.float64)
    delta = np.diff(body.floor_xz, axis=0, prepend=body.floor_xz[:1])
    step = np.linalg.norm(delta, axis=-1)
    forward = np.sign(np.sum(delta * _xz(body.yaw), axis=-1) + 1e-9)  # backward steps run the cycle backward
    moving = smooth(smootherstep(np.clip(step * FPS / 0.3, 0.0, 1.0)), 0.5)
    phase = np.pi * np.cumsum(step * forward) / stride
    run = np.broadcast_to(np.asarray(run, dtype=np.float64), (body.num_frames,)) * moving
    amp = moving
    for side in (lead, OTHER[lead]):
        s = np.sin(phase + (0.0 if side == lead else np.pi))
        c = np.cos(phase + (0.0 if side == lead else np.pi))
        hip = (0.35 + 0.1 * run) * s + 0.15 * run
        knee = (0.9 + 0.6 * run) * np.maximum(0.0, c) ** 1.5 + 0.08 + 0.2 * run
        ankle = -0.15 * s * (1 - run) + 0.8 * (hip - knee) * run  # a running foot lands and leaves flat
        body.set(f"{side}_hip", axis([-1, 0, 0], hip * amp), weight=moving)
        body.set(f"{side}_knee", axis([1, 0, 0], knee * amp), weight=moving)
        body.set(f"{side}_ankle", axis([1, 0, 0], ankle * amp), weight=moving)
        sign = 1.0 if side == "left" else -1.0
        body.add(f"{side}_shoulder", axis([0, sign, 0], -(0.2 + 0.35 * run) * s * amp))
        body.set(f"{side}_elbow", axis([0, -sign, 0], 0.25 + 1.2 * run), weight=run)
    body.add("spine1", axis([1, 0, 0], 0.12 * run))
    body.add("spine2", axis([1, 0, 0], 0.08 * run))
    body.add("neck", axis([1, 0, 0], -0.12 * run))


def _walk_line(body: Body, start: float, end: float, goal, lead: str, stride: float = 0.68) -> None:
    """Walk straight from where the body is at `start` to floor point `goal`, arriving at `end`, steady pace."""
    i = min(int(start * FPS), body.num_frames - 1)
    origin = body.floor_xz[i].copy()
    ramp = min(0.5, 0.4 * (end - start))
    u = _progress(body.num_frames, start, end, ramp)[:, None]
    path = np.where(np.arange(body.num_frames)[:, None] < i, body.floor_xz, origin + u * (np.asarray(goal) - origin))
    _gait(body, path, stride, lead)


def _walk_time(cast: Cast, distance: float) -> float:
    """Seconds to walk `distance` m at a steady 1.0-1.3 m/s (the take's pace), speeding up and slowing down included."""
    return distance / (1.1 * min(cast.pace, 1.2)) + 0.5


def _walk_in(body: Body, start: float, arrive: float, spot, away, extra: float, lead: str) -> None:
    """The body starts `extra` m from floor point `spot` along unit `away` and walks straight in, facing its way."""
    body.floor_xz[:] = np.asarray(spot) + extra * np.asarray(away)
    body.yaw[:] = facing_yaw(-np.asarray(away, dtype=np.float64))
    _walk_line(body, start, arrive, spot, lead)


def _fit(phases: dict, timeline, limit: float = 11.5) -> dict:
    """The `timeline` (phase durations -> event times, with "end") of `phases` squeezed evenly
    (down to 60 %) so that the take lasts at most `limit` s; slow, hesitant casts can run long."""
    scale = 1.0
    while True:
        plan = timeline({name: scale * value for name, value in phases.items()})
        if plan["end"] <= limit or scale < 0.6:
            return plan
        scale *= 0.95


def _keep_feet(body: Body, start: float, end: float) -> None:
    """Shift the floor path so the feet stay where they were at `start` while the legs fold or unfold.

    Folding legs (kneeling, squatting, standing up) move the feet relative to
    the pelvis; planted feet mean the pelvis moves instead. After `end` the
    shift is held.
    """
    joints = body.fk()
    feet = joints[:, [J["left_ankle"], J["right_ankle"]]][..., [0, 2]].mean(axis=1)
    i, k = int(start * FPS), min(int(end * FPS), body.num_frames - 1)
    drift = feet - feet[i]
    drift[:i] = 0.0
    drift[k:] = drift[k]
    body.floor_xz = body.floor_xz - drift


def _above_floor(body: Body) -> None:
    """Raise a body held up by `lift` wherever some part of it would dip below the floor."""
    joints = body.fk()
    below = np.maximum(0.0, -(joints[..., 1] - CLEARANCE).min(axis=-1))
    body.lift = body.lift + below


def _level_feet(body: Body, weight, sides=("left", "right")) -> None:
    """Turn the ankles so the feet lie flat on the floor (toes along the facing), blended by `weight`."""
    _, world = body.fk(return_rotations=True)
    flat = yaw_matrix(body.yaw)
    for side in sides:
        shin = world[:, J[f"{side}_knee"]]
        body.set(f"{side}_ankle", rot.matrix_to_axis_angle(np.swapaxes(shin, -1, -2) @ flat), weight)


def _footwork(body: Body, times, pelvis, yaws, dip: float = 0.012, lift: float = 0.05) -> None:
    """Step from stance to stance with the feet planted in between.

    At key time `times[k]` the pelvis stands over floor point `pelvis[k]`
    facing `yaws[k]`, feet beside it. Between keys the foot on the side of
    travel steps first and the other follows, each lifted `lift` m; the knees
    give `dip` m through each step. Legs come from foot IK, so the feet do
    not slide. Ends with `ground()`.
    """
    times = np.asarray(times, dtype=np.float64)
    pelvis = np.asarray(pelvis, dtype=np.float64)
    yaws = np.unwrap(np.asarray(yaws, dtype=np.float64))
    n = body.num_frames
    body.floor_xz = keyframes(n, times, pelvis)
    body.yaw = keyframes(n, times, yaws)
    rest = body.rest
    stance = {s: (rest[J[f"{s}_ankle"]] - rest[0])[[0, 2]] for s in ("left", "right")}

    def foot_at(side: str, k: int) -> np.ndarray:
        return pelvis[k] + (yaw_matrix(yaws[k])[[0, 2]][:, [0, 2]] @ stance[side])

    t = np.arange(n) / FPS
    feet = {s: [[times[0]], [foot_at(s, 0)]] for s in ("left", "right")}
    raise_ = {s: np.zeros(n) for s in ("left", "right")}
    bounce = np.zeros(n)
    for k in range(1, len(times)):
        t0, t1 = times[k - 1], times[k]
        moves = {s: foot_at(s, k) - foot_at(s, k - 1) for s in ("left", "right")}
        side_dir = {s: yaw_matrix(yaws[k - 1])[[0, 2]][:, 0] * (1 if s == "left" else -1) for s in ("left", "right")}
        lead = max(("left", "right"), key=lambda s: float(moves[s] @ side_dir[s]))
        for side, (a, b) in ((lead, (0.0, 0.6)), (OTHER[lead], (0.4, 1.0))):
            ta, tb = t0 + a * (t1 - t0), t0 + b * (t1 - t0)
            feet[side][0] += [ta, tb]
            feet[side][1] += [foot_at(side, k - 1), foot_at(side, k)]
            inside = (t > ta) & (t < tb)
            raise_[side][inside] += lift * np.sin(np.pi * (t[inside] - ta) / (tb - ta)) * min(
                1.0, 4.0 * float(np.linalg.norm(moves[side])))
        inside = (t > t0) & (t < t1)
        if max(float(np.linalg.norm(m)) for m in moves.values()) > 0.01:
            bounce[inside] += dip * np.sin(np.pi * (t[inside] - t0) / (t1 - t0))
    body.ground()
    body.height = body.height - 0.005 - bounce
    for side in ("left", "right"):
        target = _flat(keyframes(n, feet[side][0], np.asarray(feet[side][1])), ANKLE_HEIGHT + raise_[side])
        body.place_foot(side, target, 1.0)
    _level_feet(body, 1.0)
    body.ground()


def _point_at(body: Body, joint: str, offsets: np.ndarray) -> np.ndarray:
    """World position `(T, 3)` of a point that moves in `joint`'s frame (`offsets` `(T, 3)`)."""
    joints, world = body.fk(return_rotations=True)
    return joints[:, J[joint]] + (world[:, J[joint]] @ offsets[..., None])[..., 0]


def _bow_curve(num_frames: int, start: float, depth: float, down: float, hold: float, up: float,
               count: int) -> np.ndarray:
    """Angle curve of `count` bows of `depth` rad: down, hold, up, one after another."""
    times, values = [0.0, start], [0.0, 0.0]
    t = start
    for _ in range(count):
        times += [t + down, t + down + hold, t + down + hold + up]
        values += [depth, depth, 0.0]
        t += down + hold + up + 0.05
    return keyframes(num_frames, times, values)


def _bend_forward(body: Body, angle: np.ndarray) -> None:
    """Bow by `angle` `(T,)` rad in all: about half at the hips (legs stay upright), the rest in the spine."""
    hips = 0.55 * angle
    body.add("pelvis", axis([1, 0, 0], hips))
    body.add("left_hip", axis([-1, 0, 0], hips))
    body.add("right_hip", axis([-1, 0, 0], hips))
    for joint, share in (("spine1", 0.15), ("spine2", 0.15), ("spine3", 0.15)):
        body.add(joint, axis([1, 0, 0], share * angle))
    body.add("neck", axis([1, 0, 0], 0.1 * angle))


def _raise_hand(body: Body, side: str, start: float, rise: float, waves: int, frequency: float,
                amplitude: float) -> None:
    """Raise a hand beside the head and wave it `waves` times (a call or a greeting)."""
    end = start + rise + waves / frequency + 0.1
    weight = blend_in(body, start, rise, end, 0.5)
    out = body.side_vector(side)
    swing = oscillation(body.num_frames, start + rise, waves, frequency)
    hand = body.point(f"{side}_shoulder") + 0.25 * UP + (0.18 + 0.08 * swing[:, None]) * out * amplitude \
        + 0.12 * body.facing()
    body.set(f"{side}_wrist", axis([0, 0, 1 if side == "left" else -1], 0.2 * swing), weight)
    body.reach(side, hand, weight, pole=-UP + out - 0.2 * body.facing())
    body.curl_fingers(side, 0.25 * (1 - weight))


# ------------------------------------------------------------ categories
@choreography(24, contact=False)
def bend(cast: Cast) -> Take:
    """The actor bows; the reactor bows back or nods. Hands slide down the thighs, or one rests on the chest."""
    rng = cast.rng
    opening = OPENINGS[24]
    approach, extra, _ = opening.walk_in(cast)  # walks are timed by `_walk_time` here
    depth = float(np.clip(rng.uniform(0.45, 0.95) * cast.actor_style.amplitude, 0.4, 1.1))
    bows = 1 if rng.random() < 0.7 else 2
    chest = rng.random() < 0.35  # a hand on the chest instead of both hands down the thighs
    reaction = "bow" if rng.random() < 0.65 else "nod"
    if reaction == "bow":
        reply = float(np.clip(rng.uniform(0.6, 1.0) * depth * cast.reactor_style.amplitude, 0.35, 1.0))
        r_down, r_hold, r_up, r_count = 0.5 + 0.4 * reply, rng.uniform(0.2, 0.7), 0.6 + 0.3 * reply, 1
    else:
        reply = rng.uniform(0.3, 0.5)
        r_down, r_hold, r_up, r_count = 0.3, 0.1, 0.35, cast.count(1, 2)
    phases = {"walk": _walk_time(cast, extra) if approach else 0.0, "wait": cast.seconds(rng.uniform(0.3, 0.8)),
              "down": cast.seconds(0.5 + 0.4 * depth), "hold": cast.seconds(rng.uniform(0.3, 0.9)),
              "up": cast.seconds(0.6 + 0.3 * depth), "settle": cast.seconds(rng.uniform(0.6, 1.4))}

    def timeline(p: dict) -> dict:
        p["t0"] = p["walk"] + p["wait"]
        p["start"] = p["t0"] + cast.reactor_style.latency + 0.15 + 0.3 * p["down"]
        actor_end = p["t0"] + bows * (p["down"] + p["hold"] + p["up"] + 0.05)
        reactor_end = p["start"] + r_count * (r_down + r_hold + r_up + 0.05)
        p["end"] = max(actor_end, reactor_end) + p["settle"]
        return p

    plan = _fit(phases, timeline)
    arrive, t0, start, down, hold, up = (plan[k] for k in ("walk", "t0", "start", "down", "hold", "up"))
    actor_end = t0 + bows * (down + hold + up + 0.05)
    duration = plan["end"]
    # a bow brings the head about 0.8 sin(angle) m forward: keep the heads apart
    lean = 0.8 * np.sin(depth) + (0.8 * np.sin(reply) if reaction == "bow" else 0.1)
    distance = max(rng.uniform(1.3, 2.0) * cast.actor_style.distance, lean + 0.6)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        _walk_in(actor, 0.0, arrive, actor.floor_xz[0].copy(), _xz(reactor.yaw[0]), extra, cast.hand)
    actor_angle = _bow_curve(actor.num_frames, t0, depth, down, hold, up, bows)
    _bend_forward(actor, actor_angle)
    reactor_angle = _bow_curve(reactor.num_frames, start, reply, r_down, r_hold, r_up, r_count)
    if reaction == "bow":
        _bend_forward(reactor, reactor_angle)
    else:
        reactor.add("neck", axis([1, 0, 0], reactor_angle))
        reactor.add("head", axis([1, 0, 0], 0.4 * reactor_angle))
    actor.ground()
    reactor.ground()
    hand = cast.hand if chest else "both"
    weight = np.clip(actor_angle / depth, 0.0, 1.0)
    if chest:
        on_chest = blend_in(actor, t0 - 0.1, 0.4, actor_end, 0.5)
        actor.reach(hand, actor.point("spine3", (0.06 if hand == "right" else -0.06, 0.0, 0.14)), on_chest,
                    pole=-UP + 0.8 * actor.side_vector(hand))
        actor.curl_fingers(hand, 0.25 - 0.15 * on_chest)
    sliding = [(actor, s, weight) for s in ("left", "right") if not (chest and s == hand)]
    if reaction == "bow":
        sliding += [(reactor, s, np.clip(reactor_angle / reply, 0.0, 1.0)) for s in ("left", "right")]
    for body, side, w in sliding:
        along = -0.2 - 0.12 * w  # hands slide down the front of the thighs
        target = _point_at(body, f"{side}_hip", np.stack([np.zeros_like(w), along, np.full_like(w, 0.09)], -1))
        body.reach(side, target, w, pole=-0.2 * UP + body.side_vector(side) - 0.5 * body.facing())
    performance = cast.performance(hand=hand, reactor_hand="none", repetitions=bows, approach=approach,
                                   reaction="responds")
    return Take(actor, reactor, performance)


@choreography(13, contact=False)
def walk_towards(cast: Cast) -> Take:
    """The actor walks up to the reactor and stops at a personal distance, stepping off with `cast.hand`'s foot.

    The reactor, first facing elsewhere or already facing the actor, turns to
    face them or, already facing them, nods as they arrive (responds), steps
    back as they come close (recoils) or stays as they are (still).
    """
    rng = cast.rng
    start_distance = rng.uniform(2.4, 4.2)
    stop = float(np.clip(rng.uniform(0.75, 1.15) * cast.actor_style.distance, 0.75, 1.35))
    speed = rng.uniform(1.0, 1.35) * min(cast.pace, 1.25)
    t0 = cast.seconds(rng.uniform(0.3, 0.8))
    arrive = t0 + (start_distance - stop) / speed + 0.5
    reaction = str(rng.choice(["responds", "recoils", "still"], p=[0.5, 0.25, 0.25]))
    away = rng.uniform(0.6, 2.4) * rng.choice([-1.0, 1.0]) if rng.random() < 0.6 else 0.0
    latency = cast.reactor_style.latency
    notice = t0 + latency + rng.uniform(0.3, 0.9)
    step_back = rng.uniform(0.3, 0.5)
    back_start = arrive - 0.4 + 0.5 * latency
    duration = max(arrive, back_start + 1.0) + cast.seconds(rng.uniform(0.8, 1.6))
    actor, reactor = stage(cast, duration, start_distance)
    toward = reactor.yaw[0]
    reactor.yaw[:] = toward + away
    if away and reaction != "still":
        turn = cast.seconds(0.4 + 0.25 * abs(away))
        reactor.turn_to([notice, notice + turn], [toward + away, toward])
    elif reaction == "responds":
        nod = arrive - 0.3 + 0.5 * latency
        reactor.add("neck", axis([1, 0, 0], keyframes(reactor.num_frames, [nod, nod + 0.3, nod + 0.7], [0, 0.3, 0])))
    goal = reactor.floor_xz[0] + (actor.floor_xz[0] - reactor.floor_xz[0]) * stop / start_distance
    _walk_line(actor, t0, arrive, goal, cast.hand, stride=0.62 + 0.08 * cast.actor_style.amplitude)
    if reaction == "recoils":
        behind = reactor.floor_xz[0] - _xz(reactor.yaw[-1]) * step_back
        _walk_line(reactor, back_start, back_start + 0.9, behind, str(rng.choice(["left", "right"])), stride=0.4)
        flinch = blend_in(reactor, back_start, 0.4, duration, 0.8)
        reactor.add("spine2", axis([1, 0, 0], -0.08 * flinch))
        reactor.add("neck", axis([1, 0, 0], -0.08 * flinch))
    actor.ground()
    reactor.ground()
    performance = cast.performance(reactor_hand="none", repetitions=1, approach=True, reaction=reaction)
    return Take(actor, reactor, performance)


@choreography(37, contact=False)
def look_back(cast: Cast) -> Take:
    """The actor comes up behind the reactor (or stands there) and raises a hand to call; the reactor,
    facing away, twists head and torso to look back over the shoulder on the actor's side, then turns
    back to the front or turns around to face the actor."""
    rng = cast.rng
    opening = OPENINGS[37]
    distance = float(np.clip(rng.uniform(1.1, 1.8) * cast.actor_style.distance, 1.0, 2.2))
    approach, extra, _ = opening.walk_in(cast)  # walks are timed by `_walk_time` here
    waves = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    turn_around = rng.random() < 0.3
    latency = cast.reactor_style.latency
    phases = {"t0": cast.seconds(rng.uniform(0.3, 0.8)), "walk": _walk_time(cast, extra) if approach else 0.0,
              "wait": cast.seconds(rng.uniform(0.1, 0.4)), "rise": cast.seconds(0.6), "twist": cast.seconds(0.6),
              "hold": cast.seconds(rng.uniform(0.8, 1.8)), "back": cast.seconds(1.3 if turn_around else 0.9),
              "settle": cast.seconds(rng.uniform(0.6, 1.2))}

    def timeline(p: dict) -> dict:
        p["arrive"] = p["t0"] + p["walk"]
        p["call"] = p["arrive"] + p["wait"]
        p["look"] = p["call"] + latency + 0.2
        p["turned"] = p["look"] + p["twist"] + p["hold"]
        p["end"] = max(p["call"] + p["rise"] + waves / frequency + 0.6, p["turned"] + p["back"]) + p["settle"]
        return p

    plan = _fit(phases, timeline)
    t0, arrive, call, rise, look, twist, end, back = (
        plan[k] for k in ("t0", "arrive", "call", "rise", "look", "twist", "turned", "back"))
    duration = plan["end"]
    side = str(rng.choice(["left", "right"]))  # the reactor looks over this shoulder; the actor is on that side
    offset = rng.uniform(0.15, 0.6) * (1.0 if side == "left" else -1.0)
    actor, reactor = stage(cast, duration, distance)
    ahead = reactor.yaw[0] + np.pi  # the reactor faces away from the actor
    reactor.yaw[:] = ahead
    spot = reactor.floor_xz[0] + distance * _xz(ahead + np.pi - offset)
    actor.floor_xz[:] = spot
    actor.yaw[:] = facing_yaw(reactor.floor_xz[0] - spot)
    if approach:
        _walk_in(actor, t0, arrive, spot, -_xz(actor.yaw[0]), extra, str(rng.choice(["left", "right"])))
    sign = 1.0 if side == "left" else -1.0
    amount = keyframes(reactor.num_frames, [look, look + twist, end, end + back], [0.0, 1.0, 1.0, 0.0])
    if turn_around:  # the body follows the look round and stays facing the actor
        reactor.turn_to([end - 0.3, end + back], [ahead, ahead + sign * np.pi])
    angle = sign * rng.uniform(1.6, 2.1) * amount
    reactor.yaw = reactor.yaw + 0.12 * angle  # the hips follow the look a little
    for joint, share in (("spine1", 0.1), ("spine2", 0.12), ("spine3", 0.13), ("neck", 0.45), ("head", 0.08)):
        reactor.add(joint, axis([0, 1, 0], share * angle))
    actor.ground()
    reactor.ground()
    _raise_hand(actor, cast.hand, call, rise, waves, frequency, cast.actor_style.amplitude)
    performance = cast.performance(reactor_hand="none", repetitions=waves, approach=approach, reaction="responds")
    return Take(actor, reactor, performance)


def _chase_course(start: np.ndarray, heading: float, straight: float, curvature: float, s: np.ndarray):
    """Floor points `(T, 2)` and running directions (yaw) at arc lengths `s` along a course that runs
    `straight` m from `start` along `heading`, then bends with constant `curvature` (1/m, + to the left)."""
    bend = np.maximum(s - straight, 0.0)
    line = start + np.minimum(s, straight)[:, None] * _xz(heading)
    yaw = heading + curvature * bend
    arc = np.stack([np.cos(heading) - np.cos(yaw), np.sin(yaw) - np.sin(heading)], axis=-1) / curvature
    return line + arc, yaw


@choreography(17, contact=False)
def chase(cast: Cast) -> Take:
    """The actor runs at the reactor, who turns and runs away on a curving course; the actor follows
    on the same course, never closer than about 1.3 m, until both slow down. `hand` is the foot the
    actor pushes off with. Running: strides about 1.1 m, knees fold high, arms pump."""
    rng = cast.rng
    gap = rng.uniform(2.4, 3.2)
    t0 = cast.seconds(rng.uniform(0.2, 0.6))
    t_react = t0 + 0.5 * cast.reactor_style.latency + 0.2
    speed_r = rng.uniform(2.4, 3.0) * min(cast.pace, 1.1)
    speed_a = speed_r * rng.uniform(0.95, 1.08)
    run_time = cast.seconds(rng.uniform(2.2, 3.8))
    stop_r = t_react + 0.3 + 0.6 + run_time + 0.9
    stop_a = stop_r + rng.uniform(-0.4, 0.1)
    face_back = rng.random() < 0.5  # the reactor turns round to face the chaser once stopped
    turn = cast.seconds(0.7)
    duration = max(stop_a, stop_r) + (turn if face_back else 0.0) + cast.seconds(rng.uniform(0.6, 1.2))
    actor, reactor = stage(cast, duration, gap)
    n = actor.num_frames
    # the chaser builds up speed over a few strides; the runaway sprints off
    unit_a = np.cumsum(envelope(n, t0, 1.4, stop_a, 0.9)) / FPS
    unit_r = np.cumsum(envelope(n, t_react + 0.3, 0.6, stop_r, 0.9)) / FPS
    closest = 1.5
    room = (gap + speed_r * unit_r - closest) / np.maximum(unit_a, 1e-9)
    speed_a = min(speed_a, float(room[unit_a > 0.05].min()))  # never closer than `closest` along the course
    s_r, s_a = gap + speed_r * unit_r, speed_a * unit_a
    heading = actor.yaw[0]
    curvature = rng.choice([-1.0, 1.0]) / rng.uniform(2.5, 5.0)
    start = actor.floor_xz[0].copy()
    spin = rng.choice([-1.0, 1.0]) * np.pi * keyframes(n, [t_react, t_react + turn], [1.0, 0.0])
    reactor_lead = str(rng.choice(["left", "right"]))
    for body, s, lead, extra in ((actor, s_a, cast.hand, 0.0), (reactor, s_r, reactor_lead, spin)):
        path, yaw = _chase_course(start, heading, gap, curvature, s)
        body.yaw = yaw + extra
        velocity = np.gradient(s) * FPS
        # lean into the bend (centripetal) and run once fast enough
        lean = smooth(0.6 * np.arctan(velocity**2 * curvature * (s > gap) / 9.81), 0.5)
        body.add("pelvis", axis([0, 0, -1], lean))
        _gait(body, path, 0.8 + 0.15 * velocity.max(), lead, run=np.clip(velocity / 2.4, 0.0, 1.0))
    if face_back:
        to_chaser = facing_yaw(actor.floor_xz[-1] - reactor.floor_xz[-1])
        delta = np.angle(np.exp(1j * (to_chaser - reactor.yaw[-1])))
        reactor.yaw = reactor.yaw + delta * keyframes(n, [stop_r, stop_r + turn], [0.0, 1.0])
    glance = keyframes(n, [t_react + 1.2, t_react + 1.6, t_react + 2.1, t_react + 2.5], [0, 1, 1, 0])
    reactor.add("neck", axis([0, 1, 0], -np.sign(curvature) * 0.9 * glance))
    reactor.add("spine3", axis([0, 1, 0], -np.sign(curvature) * 0.3 * glance))
    actor.ground()
    reactor.ground()
    performance = cast.performance(reactor_hand="none", repetitions=1, approach=False, reaction="recoils")
    return Take(actor, reactor, performance)


def _through(num_frames: int, times, points) -> np.ndarray:
    """World target `(T, 3)` easing from point to point (`points`: K arrays `(T, 3)`, moving or fixed) at `times`."""
    weights = keyframes(num_frames, times, np.eye(len(points)))
    return np.einsum("tk,ktc->tc", weights, np.stack([np.broadcast_to(p, (num_frames, 3)) for p in points]))


def _hand_sign(body: Body, side: str, start: float, end: float, sign: str) -> None:
    """Hold a photo pose with one hand: a V sign beside the face, a thumb up before the chest, or a hand on the hip."""
    weight = blend_in(body, start, 0.6, end, 0.6)
    out = body.side_vector(side)
    if sign == "hip":
        x = 0.17 if side == "left" else -0.17
        body.reach(side, body.point("pelvis", (x, 0.06, -0.02)), weight, pole=out - 0.4 * body.facing())
        return
    shoulder = body.point(f"{side}_shoulder")
    if sign == "v":
        target = shoulder + 0.22 * UP + 0.2 * body.facing() + 0.05 * out
        body.curl_fingers(side, weight, thumb=0.9 * weight, fingers=("pinky", "ring"))
        body.curl_fingers(side, 0.25 * (1 - weight), fingers=("index", "middle"))
    else:  # thumb up
        target = shoulder - 0.2 * UP + 0.3 * body.facing() + 0.02 * out
        body.curl_fingers(side, 0.25 + 0.75 * weight, thumb=0.25 * (1 - weight))
    body.reach(side, target, weight, pole=-UP + out)


@choreography(6, contact=True)
def posing(cast: Cast) -> Take:
    """Posing for a photo side by side, both facing the camera.

    The actor walks up beside the reactor (or already stands there), turns to
    the camera, leans in and puts the `cast.hand` arm round the reactor's
    shoulders: the palm comes over the back of the neck to rest on the
    reactor's far shoulder. The reactor answers with an arm round the actor's
    waist (palm on the far side of the waist) or a V sign / thumb up, or just
    stands still; the actor's free hand may make a sign too.
    """
    rng = cast.rng
    opening = OPENINGS[6]
    side = cast.hand
    near = OTHER[side]  # the reactor's side that faces the actor
    approach, extra, _ = opening.walk_in(cast)  # walks are timed by `_walk_time` here
    gap = float(np.clip(rng.uniform(0.44, 0.5) * cast.actor_style.distance ** 0.3, 0.44, 0.52))
    reply = str(rng.choice(["waist", "sign", "still"], p=[0.5, 0.3, 0.2]))
    phases = {"t0": cast.seconds(rng.uniform(0.3, 0.7)), "walk": _walk_time(cast, extra) if approach else 0.0,
              "turn": cast.seconds(0.7), "wrap": cast.seconds(0.9), "hold": cast.seconds(rng.uniform(1.2, 2.5)),
              "settle": cast.seconds(rng.uniform(0.5, 1.2))}

    def timeline(p: dict) -> dict:
        p["arrive"] = p["t0"] + p["walk"]
        p["wrap_start"] = p["arrive"] + (p["turn"] if approach else 0.0)  # turned to the camera first
        p["reply_start"] = p["wrap_start"] + cast.reactor_style.latency + 0.3
        p["release"] = max(p["wrap_start"] + p["wrap"], p["reply_start"] + 0.9) + p["hold"]
        p["end"] = p["release"] + p["wrap"] + p["settle"]
        return p

    plan = _fit(phases, timeline)
    t0, arrive, turn, wrap, wrap_start, reply_start, release = (
        plan[k] for k in ("t0", "arrive", "turn", "wrap", "wrap_start", "reply_start", "release"))
    actor, reactor = stage(cast, plan["end"], 1.0)
    camera = rng.uniform(-np.pi, np.pi)  # both end up facing the camera
    reactor.yaw[:] = camera
    across = _xz(camera + (np.pi / 2 if side == "right" else -np.pi / 2))  # from the reactor to the actor's spot
    spot = reactor.floor_xz[0] + gap * across
    actor.yaw[:] = camera
    actor.floor_xz[:] = spot
    if approach:
        come_from = np.radians(rng.uniform(-80.0, 10.0))
        away = np.cos(come_from) * across + np.sin(come_from) * _xz(camera)
        _walk_in(actor, t0, arrive, spot, away, extra, str(rng.choice(["left", "right"])))
        actor.turn_to([arrive - 0.3, arrive + turn], [facing_yaw(-away), facing_yaw(-away) + np.angle(
            np.exp(1j * (camera - facing_yaw(-away))))])
    # lean toward each other
    hug = blend_in(actor, wrap_start, wrap, release + 0.9, 0.9)
    toward = 1.0 if side == "right" else -1.0  # lateral bend toward the right is about +Z
    actor.add("spine2", axis([0, 0, toward], 0.07 * hug))
    actor.add("neck", axis([0, 0, toward], 0.1 * hug))
    reply_weight = blend_in(reactor, reply_start, 0.8, release + 0.6, 0.9)
    if reply == "waist":
        reactor.add("spine2", axis([0, 0, -toward], 0.08 * reply_weight))
    actor.ground()
    reactor.ground()
    # the hand goes back, up behind the reactor's shoulders, over the back of the neck onto the far shoulder
    far_x, near_x = (0.15, -0.15) if side == "left" else (-0.15, 0.15)
    shoulder = (far_x, 0.17, -0.03)
    n = actor.num_frames
    rest = actor.point(f"{side}_middle1")
    back = actor.point("pelvis", (-0.7 * near_x, 0.05, -0.25))
    up = reactor.point("spine3", (0.2 * near_x, 0.1, -0.2))
    neck = reactor.point("spine3", (0.3 * far_x, 0.21, -0.13))
    on = reactor.point("spine3", shoulder)
    keys = wrap_start + wrap * np.array([0.15, 0.4, 0.65, 0.85, 1.0])
    out = release + wrap * np.array([0.0, 0.2, 0.4, 0.65, 0.9])
    path = _through(n, np.concatenate([keys, out]), [rest, back, up, neck, on, on, neck, up, back, rest])
    arm = blend_in(actor, keys[0] - 0.15, 0.15, out[-1] + 0.15, 0.15)
    actor.reach(side, path, arm, pole=UP - 1.2 * actor.facing() + 0.5 * actor.side_vector(near))
    actor.curl_fingers(side, 0.25 - 0.1 * arm)
    touches = [Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "spine3", shoulder, keys[-1], release)]
    reactor_hand = "none"
    if reply == "waist":
        reactor_hand = near
        waist = (0.14 if near == "left" else -0.14, 0.02, -0.08)  # the actor's far side (away from the reactor)
        rest = reactor.point(f"{near}_middle1")
        back = reactor.point("pelvis", (near_x, 0.0, -0.22))
        behind = actor.point("spine1", (-0.6 * waist[0], 0.0, -0.2))
        around = actor.point("spine1", (0.7 * waist[0], 0.0, -0.17))
        on = actor.point("spine1", waist)
        keys = reply_start + np.array([0.15, 0.4, 0.6, 0.75, 0.9])
        out = release + np.array([-0.1, 0.05, 0.2, 0.4, 0.65])
        path = _through(n, np.concatenate([keys, out]),
                        [rest, back, behind, around, on, on, around, behind, back, rest])
        reactor.reach(near, path, blend_in(reactor, keys[0] - 0.15, 0.15, out[-1] + 0.15, 0.15),
                      pole=0.2 * UP - reactor.facing() + 0.3 * reactor.side_vector(OTHER[near]))
        touches.append(Touch("spine1", waist, f"{near}_middle1", (0.0, 0.0, 0.0), keys[-1], out[0]))
    elif reply == "sign":
        reactor_hand = side
        _hand_sign(reactor, side, reply_start, release + 0.4, str(rng.choice(["v", "thumb"])))
    if rng.random() < 0.5:
        _hand_sign(actor, near, wrap_start + 0.3, release + 0.5, str(rng.choice(["v", "thumb", "hip"])))
    performance = cast.performance(hand=side, reactor_hand=reactor_hand, repetitions=1, approach=approach,
                                   reaction="still" if reply == "still" else "responds")
    return Take(actor, reactor, performance, tuple(touches))


@choreography(21, contact=True)
def dance(cast: Cast) -> Take:
    """A partner dance: the actor offers a hold, the reactor takes it, and both step together.

    Holds: both hands joined in front (actor's right in the reactor's left and
    vice versa), a closed ballroom hold (the actor's `cast.hand` palm on the
    side of the reactor's back, the reactor's palm on the actor's shoulder,
    the other two hands joined out to the side), or one hand joined (the
    actor's `cast.hand`). Steps: sway side to side, turn round together, or
    both; `repetitions` counts the steps, on a beat that follows the pace.
    Feet are planted between steps (foot IK), so nothing slides.
    """
    rng = cast.rng
    hold = str(rng.choice(["hands", "closed", "one"], p=[0.4, 0.4, 0.2]))
    pattern = str(rng.choice(["sway", "turn", "both"]))
    tempo = rng.uniform(1.2, 1.8) * min(cast.pace, 1.2)  # steps per second
    steps = min(cast.count(4, 8), int(4.5 * tempo))
    size = rng.uniform(0.22, 0.34) * cast.actor_style.amplitude
    turn_step = np.radians(rng.uniform(20.0, 35.0)) * rng.choice([-1.0, 1.0])
    distance = {"hands": rng.uniform(0.55, 0.62), "closed": rng.uniform(0.40, 0.44),
                "one": rng.uniform(0.62, 0.75)}[hold]
    t0 = cast.seconds(rng.uniform(0.3, 0.7))
    reach = cast.seconds(0.7)
    take_hold = t0 + cast.reactor_style.latency + 0.2
    grip = max(t0 + reach, take_hold + 0.6)
    first = grip + 0.3
    # beats: stance k at times[k]; swaying pairs take one more step back to the middle
    beats = steps + 1 + (pattern != "turn")
    times = first + np.arange(beats) / tempo
    release = times[-1] + cast.seconds(rng.uniform(0.3, 0.6))
    duration = release + 0.7 + cast.seconds(rng.uniform(0.5, 1.0))
    actor, reactor = stage(cast, duration, distance)
    # the pair's centre and axis (actor -> reactor) at each beat
    middle = 0.5 * (actor.floor_xz[0] + reactor.floor_xz[0])
    heading = actor.yaw[0]
    lateral = _xz(heading + np.pi / 2)
    sway = size * 0.5 * (-1.0) ** np.arange(beats) * rng.choice([-1.0, 1.0])
    sway[0] = sway[steps + 1:] = 0.0
    centres = middle + (sway[:, None] * lateral if pattern != "turn" else np.zeros((beats, 2)))
    angles = heading + (turn_step * np.minimum(np.arange(beats), steps) if pattern != "sway" else np.zeros(beats))
    for body, sign in ((actor, -1.0), (reactor, 1.0)):
        pelvis = centres + sign * 0.5 * distance * _xz(angles)
        yaws = angles if sign < 0 else angles + np.pi
        body.add("spine2", axis([0, 0, 1], 0.04 * oscillation(body.num_frames, first, (beats - 1) / 2, tempo / 2)))
        _footwork(body, np.concatenate([[0.0], times]), np.vstack([pelvis[:1], pelvis]), np.append(yaws[0], yaws),
                  dip=0.015)
    touches = []
    actor_weight = blend_in(actor, t0, reach, release + 0.6, 0.6)
    reactor_weight = blend_in(reactor, take_hold, grip - take_hold, release + 0.6, 0.6)
    axis_ = reactor.floor_xz - actor.floor_xz
    axis_ = _flat(axis_ / np.linalg.norm(axis_, axis=-1, keepdims=True))
    centre = _flat(0.5 * (actor.floor_xz + reactor.floor_xz), 0.5 * (actor.height + reactor.height))

    def join(actor_side: str, reactor_side: str, point: np.ndarray) -> None:
        """The two hands meet at `point`, palms 4 cm apart across the pair's axis."""
        actor.reach(actor_side, point - 0.02 * axis_, actor_weight,
                    pole=-UP + 0.8 * actor.side_vector(actor_side))
        reactor.reach(reactor_side, point + 0.02 * axis_, reactor_weight,
                      pole=-UP + 0.8 * reactor.side_vector(reactor_side))
        touches.append(Touch(f"{actor_side}_middle1", (0.0, 0.0, 0.0), f"{reactor_side}_middle1", (0.0, 0.0, 0.0),
                             grip, release))

    if hold == "hands":
        for side in ("left", "right"):
            join(side, OTHER[side], centre + 0.1 * UP + 0.22 * actor.side_vector(side))
        hand, reactor_hand = "both", "both"
    elif hold == "one":
        hand, reactor_hand = cast.hand, OTHER[cast.hand]
        join(hand, reactor_hand, centre + 0.12 * UP + 0.18 * actor.side_vector(hand))
    else:
        lead = cast.hand
        back = (0.13 if lead == "right" else -0.13, 0.0, -0.08)  # the reactor's side of the back nearest that hand
        actor.reach(lead, reactor.point("spine2", back), actor_weight,
                    pole=-0.3 * UP + actor.side_vector(lead))
        touches.append(Touch(f"{lead}_middle1", (0.0, 0.0, 0.0), "spine2", back, grip, release))
        shoulder = (0.14 if lead == "left" else -0.14, 0.16, -0.01)  # on top of the actor's shoulder on that side
        reactor.reach(OTHER[lead], actor.point("spine3", shoulder), reactor_weight,
                      pole=-UP + reactor.side_vector(OTHER[lead]))
        touches.append(Touch("spine3", shoulder, f"{OTHER[lead]}_middle1", (0.0, 0.0, 0.0), grip, release))
        out = centre + 0.32 * UP + 0.32 * actor.side_vector(OTHER[lead])
        join(OTHER[lead], lead, out)
        hand, reactor_hand = "both", "both"
    performance = cast.performance(hand=hand, reactor_hand=reactor_hand, repetitions=len(times) - 1, approach=False,
                                   reaction="responds")
    return Take(actor, reactor, performance, tuple(touches))


@choreography(35, contact=True)
def help_up(cast: Cast) -> Take:
    """The reactor sits on the floor, knees up, hands on the knees; the actor comes to stand before
    their feet, bends and offers the `cast.hand` hand (or both); the reactor takes it (right in right,
    or both hands across), and as the actor leans back and steps back the reactor rises over their
    planted feet to standing.

    The sitting reactor is grounded by `ground()` like a standing one: the
    seat (hip joints) is then the lowest point; the feet stay planted
    through the rise by leg IK while the pelvis travels over them.
    """
    rng = cast.rng
    opening = OPENINGS[35]
    hand = "both" if rng.random() < 0.25 else cast.hand
    pairs = (("left", "right"), ("right", "left")) if hand == "both" else ((hand, hand),)  # (actor, reactor) hands
    approach, extra, _ = opening.walk_in(cast)  # walks are timed by `_walk_time` here
    phases = {"t0": cast.seconds(rng.uniform(0.3, 0.7)), "walk": _walk_time(cast, extra) if approach else 0.0,
              "bend": cast.seconds(0.7), "wait": cast.seconds(rng.uniform(0.2, 0.5)),
              "rise": cast.seconds(rng.uniform(1.3, 1.8)), "hold": cast.seconds(rng.uniform(0.3, 0.7)),
              "settle": cast.seconds(rng.uniform(0.5, 1.0))}

    def timeline(p: dict) -> dict:
        p["offer"] = p["t0"] + p["walk"]
        p["take_hold"] = p["offer"] + cast.reactor_style.latency + 0.3
        p["grip"] = max(p["offer"] + p["bend"], p["take_hold"] + 0.6)
        p["pull"] = p["grip"] + p["wait"]
        p["up"] = p["pull"] + p["rise"]
        p["release"] = p["up"] + p["hold"]
        p["end"] = p["release"] + 0.6 + p["settle"]
        return p

    plan = _fit(phases, timeline)
    t0, offer, bend_time, take_hold, grip, pull, rise, up, release = (
        plan[k] for k in ("t0", "offer", "bend", "take_hold", "grip", "pull", "rise", "up", "release"))
    duration = plan["end"]
    feet_ahead = rng.uniform(0.64, 0.7)  # the sitting reactor's feet before their pelvis
    actor, reactor = stage(cast, duration, feet_ahead + rng.uniform(0.4, 0.48))
    n = actor.num_frames
    forward = _xz(reactor.yaw[0])
    seat = reactor.floor_xz[0].copy()
    feet = seat + feet_ahead * forward
    if approach:
        _walk_in(actor, t0, offer - 0.1, actor.floor_xz[0].copy(), forward, extra, str(rng.choice(["left", "right"])))
    # the actor bends to offer the hand, then leans back and steps back as they pull
    _bend_forward(actor, keyframes(n, [offer, offer + bend_time, pull, pull + 0.5 * rise, up + 0.3],
                                   [0.0, 0.55, 0.55, -0.1, 0.0]))
    _walk_line(actor, pull + 0.1, up, actor.floor_xz[-1] + rng.uniform(0.2, 0.3) * forward,
               str(rng.choice(["left", "right"])), stride=0.35)
    actor.ground()
    # the reactor: sitting leaning back, tipping forward over the feet, standing
    reactor.ground()
    standing = reactor.height.copy()
    keys = [pull, pull + 0.45 * rise, up]
    reactor.add("pelvis", axis([1, 0, 0], keyframes(n, keys, [-0.6, 0.35, 0.0])))
    bend = keyframes(n, keys, [0.5, 0.3, 0.0])
    for joint, share in (("spine1", 0.4), ("spine2", 0.3), ("spine3", 0.3)):
        reactor.add(joint, axis([1, 0, 0], share * bend))
    reactor.add("neck", axis([1, 0, 0], keyframes(n, keys, [-0.35, -0.1, 0.0])))
    reactor.floor_xz = keyframes(n, keys, [seat, seat + 0.75 * feet_ahead * forward, feet])
    # sitting height: the hip joints rest on the floor (their clearance, 5 cm)
    hips = reactor.fk()[:, [J["left_hip"], J["right_hip"]], 1].min(axis=-1) - reactor.height
    sitting = 0.05 - hips[0]
    reactor.height = keyframes(n, keys, [sitting, 0.5 * (sitting + standing[0]) + 0.1, standing[-1]])
    turn = yaw_matrix(reactor.yaw[0])[[0, 2]][:, [0, 2]]
    for side in ("left", "right"):
        ankle = (reactor.rest[J[f"{side}_ankle"]] - reactor.rest[0])[[0, 2]] * np.array([1.15, 1.0])
        reactor.place_foot(side, np.broadcast_to(_flat(feet + turn @ ankle, ANKLE_HEIGHT), (n, 3)), 1.0)
    _level_feet(reactor, 1.0)
    # hands rest on the knees while sitting (a pose on the body itself, so grounding leaves it exact)
    on_knees = keyframes(n, [pull, pull + 0.5 * rise], [1.0, 0.0])
    for side in ("left", "right"):
        reactor.reach(side, reactor.point(f"{side}_knee", (0.0, 0.04, 0.07)), on_knees,
                      pole=-UP + reactor.side_vector(side))
    reactor.ground()
    touches = []
    actor_weight = blend_in(actor, offer, bend_time, release + 0.6, 0.6)
    reactor_weight = blend_in(reactor, take_hold, grip - take_hold, release + 0.6, 0.6)
    for actor_side, reactor_side in pairs:
        a, r = actor.point(f"{actor_side}_shoulder"), reactor.point(f"{reactor_side}_shoulder")
        between = unit(a - r)
        meet = 0.5 * (a + r) - 0.08 * UP
        actor.reach(actor_side, meet + 0.02 * between, actor_weight, pole=-UP + actor.side_vector(actor_side))
        reactor.reach(reactor_side, meet - 0.02 * between, reactor_weight,
                      pole=-UP + reactor.side_vector(reactor_side))
        for body, side, weight in ((actor, actor_side, actor_weight), (reactor, reactor_side, reactor_weight)):
            body.curl_fingers(side, 0.25 + 0.45 * weight)
        touches.append(Touch(f"{actor_side}_middle1", (0.0, 0.0, 0.0), f"{reactor_side}_middle1", (0.0, 0.0, 0.0),
                             grip, release))
    performance = cast.performance(hand=hand, reactor_hand="both" if hand == "both" else hand, repetitions=1,
                                   approach=approach, reaction="responds")
    return Take(actor, reactor, performance, tuple(touches))


def _kneel(body: Body, raised: str, weight: np.ndarray, step: float, splay: float = 0.4) -> None:
    """Go down on one knee and back up, `weight` (T,) 0 standing .. 1 kneeling; ends with `ground()`.

    The `raised` foot steps `step` m forward (and a little out, the knee
    turned out by `splay` rad) and stays planted (leg IK); the other knee
    goes down behind, shin flat on the floor, toes pointing back.
    The pelvis height follows the folding leg (the lowest point of the body
    without the raised leg on the floor), so the knee really lands.
    """
    down = OTHER[raised]
    body.ground()
    standing_ankle = body.point(f"{raised}_ankle")[0]
    outward = splay if raised == "left" else -splay  # turning out = toward the raised side
    forward = _flat(_xz(body.yaw[0] + outward))
    body.set(f"{down}_hip", axis([-1, 0, 0], 0.12), weight)
    body.set(f"{down}_knee", axis([1, 0, 0], 1.78), weight)
    body.set(f"{down}_ankle", axis([1, 0, 0], 0.75), weight)
    body.add("spine2", axis([1, 0, 0], 0.08 * weight))
    joints = body.fk()
    free = np.ones(joints.shape[1], dtype=bool)
    free[[J[f"{raised}_knee"], J[f"{raised}_ankle"], J[f"{raised}_foot"]]] = False
    relative = joints[:, free, 1] - (body.height + body.lift)[:, None] - CLEARANCE[free]
    body.height = -relative.min(axis=-1)
    lift = 0.06 * np.sin(np.pi * np.clip(weight / 0.5, 0.0, 1.0))
    ahead = np.clip(weight / 0.5, 0.0, 1.0) * step
    target = standing_ankle + ahead[:, None] * forward + lift[:, None] * UP
    body.place_foot(raised, target, 1.0, pole=forward + 0.2 * UP)
    _level_feet(body, 1.0, sides=(raised,))
    body.ground()


SEAT = (0.0, -0.15, -0.02)  # under the buttocks, in the pelvis frame


@choreography(9, contact=True)
def sit_on_leg(cast: Cast) -> Take:
    """The actor comes beside the reactor (or already stands there) and turns their back to them; the
    reactor goes down on one knee, the `cast.hand` side knee up; the actor sits down on that thigh,
    puts the `cast.hand` arm round the reactor's shoulders (palm on the far shoulder) and the
    reactor holds their back; then the actor stands up and the reactor rises.

    The sitting actor is held up by the thigh, not the floor: while seated
    their pelvis height comes from `lift` (the seat point put on the top of
    the reactor's thigh) and their feet are placed on the floor by leg IK;
    standing and walking they are grounded as usual. The kneeling reactor is
    grounded by `ground()` (knee and planted foot on the floor).
    """
    rng = cast.rng
    opening = OPENINGS[9]
    side = cast.hand  # the reactor's raised knee, and the actor's arm round their shoulders
    approach, extra, _ = opening.walk_in(cast)  # walks are timed by `_walk_time` here
    latency = cast.reactor_style.latency
    phases = {"t0": cast.seconds(rng.uniform(0.3, 0.6)), "walk": _walk_time(cast, extra) if approach else 0.0,
              "turn": cast.seconds(0.8), "kneel": cast.seconds(rng.uniform(1.0, 1.4)),
              "sit": cast.seconds(rng.uniform(0.9, 1.2)), "hold": cast.seconds(rng.uniform(1.5, 3.0)),
              "settle": cast.seconds(rng.uniform(0.5, 1.0))}

    def timeline(p: dict) -> dict:
        p["arrive"] = p["t0"] + p["walk"]
        p["kneel_start"] = p["t0"] + latency + 0.3
        p["sit_start"] = max(p["kneel_start"] + p["kneel"], p["arrive"] + p["turn"]) + 0.1
        p["stand_up"] = p["sit_start"] + p["sit"] + p["hold"]
        p["rise_start"] = p["stand_up"] + 0.7 * p["sit"] + 0.5 * latency
        p["end"] = p["rise_start"] + p["kneel"] + p["settle"]
        return p

    plan = _fit(phases, timeline)
    t0, arrive, turn, kneel, sit = plan["t0"], plan["arrive"], plan["turn"], plan["kneel"], plan["sit"]
    kneel_start, sit_start, stand_up, rise_start = (plan["kneel_start"], plan["sit_start"], plan["stand_up"],
                                                    plan["rise_start"])
    actor, reactor = stage(cast, plan["end"], 1.2)
    n = actor.num_frames
    ahead = reactor.yaw[0]
    out = _xz(ahead + (np.pi / 2 if side == "left" else -np.pi / 2))  # the raised knee's side
    # the reactor kneels; the seat is on top of the raised thigh, 80 % of the way to the knee
    kneeling = keyframes(n, [kneel_start, kneel_start + kneel, rise_start, rise_start + kneel], [0.0, 1.0, 1.0, 0.0])
    reactor.add("spine2", axis([1, 0, 0], -0.15 * kneeling))  # leans back a little to make room
    _kneel(reactor, side, kneeling, rng.uniform(0.3, 0.4), splay=0.5)
    thigh = 0.8 * (reactor.rest[J[f"{side}_knee"]] - reactor.rest[J[f"{side}_hip"]]) + np.array([0.0, 0.0, 0.085])
    top = reactor.point(f"{side}_hip", thigh)
    full = int((kneel_start + kneel) * FPS)
    spot = top[full, [0, 2]] + 0.3 * out  # the actor stands here, back to the thigh, then sits back onto it
    sitting_yaw = facing_yaw(out)
    if approach:
        away = unit(spot - reactor.floor_xz[0]) * 0.4 + _xz(ahead)
        away = away / np.linalg.norm(away)
        _walk_in(actor, t0, arrive, spot, away, extra, str(rng.choice(["left", "right"])))
        start_yaw = facing_yaw(-away)
    else:
        actor.floor_xz[:] = spot
        start_yaw = facing_yaw(reactor.floor_xz[0] - spot)
    actor.yaw[:] = start_yaw
    swing = np.angle(np.exp(1j * (sitting_yaw - start_yaw)))
    actor.turn_to([arrive, arrive + turn], [start_yaw, start_yaw + swing])
    seated = keyframes(n, [sit_start, sit_start + sit, stand_up, stand_up + sit], [0.0, 1.0, 1.0, 0.0])
    actor.add("spine2", axis([1, 0, 0], 0.12 * seated))  # leaning a little forward, away from the reactor
    for s in ("left", "right"):  # a sitting pose, so that grounding puts the feet on the floor below the seat
        actor.set(f"{s}_hip", axis([-1, 0, 0], 1.4), seated)
        actor.set(f"{s}_knee", axis([1, 0, 0], 1.9), seated)
    actor.ground()
    feet = {s: actor.point(f"{s}_ankle")[int(sit_start * FPS)] for s in ("left", "right")}
    joints = actor.fk()
    below = actor.point("pelvis", SEAT) - joints[:, 0]
    wanted = top - below  # the pelvis that puts the seat on the thigh
    pelvis = np.concatenate([actor.floor_xz, (actor.height + actor.lift)[:, None]], axis=-1)[:, [0, 2, 1]]
    pelvis = pelvis * (1 - seated[:, None]) + wanted * seated[:, None]
    actor.floor_xz = pelvis[:, [0, 2]]
    actor.lift = pelvis[:, 1] - actor.height
    planted = blend_in(actor, sit_start - 0.2, 0.2, stand_up + sit + 0.2, 0.2)
    for s in ("left", "right"):
        actor.place_foot(s, np.broadcast_to(feet[s], (n, 3)), planted)
    _level_feet(actor, planted)
    # arms: the actor's round the reactor's shoulders, the reactor's hand on the actor's back
    far_x = 0.15 if side == "right" else -0.15  # the reactor's far shoulder (away from the raised knee)
    shoulder = (far_x, 0.17, -0.03)
    keys = sit_start + sit * np.array([0.5, 0.8, 1.05, 1.3])
    out_keys = stand_up + sit * np.array([-0.5, -0.3, -0.1, 0.1])
    rest = actor.point(f"{side}_middle1")
    near = reactor.point("spine3", (-0.5 * far_x, 0.12, -0.18))
    neck = reactor.point("spine3", (0.3 * far_x, 0.21, -0.13))
    on = reactor.point("spine3", shoulder)
    path = _through(n, np.concatenate([keys, out_keys]), [rest, near, neck, on, on, neck, near, rest])
    actor.reach(side, path, blend_in(actor, keys[0] - 0.15, 0.15, out_keys[-1] + 0.15, 0.15),
                pole=UP - _flat(_xz(ahead)) + 0.5 * _flat(out))
    touches = [
        Touch("pelvis", SEAT, f"{side}_hip", tuple(thigh), sit_start + sit, stand_up),
        Touch(f"{side}_middle1", (0.0, 0.0, 0.0), "spine3", shoulder, keys[-1], out_keys[0]),
    ]
    holds = rng.random() < 0.75
    if holds:
        back = (0.0, 0.02, -0.13)
        support = blend_in(reactor, sit_start + 0.6 * sit + 0.3 * cast.reactor_style.latency, 0.5, stand_up, 0.4)
        reactor.reach(OTHER[side], actor.point("spine2", back), support,
                      pole=-UP + _flat(_xz(ahead)) - 0.5 * _flat(out))
        touches.append(Touch("spine2", back, f"{OTHER[side]}_middle1", (0.0, 0.0, 0.0),
                             sit_start + 1.1 * sit + 0.3 * cast.reactor_style.latency + 0.5, stand_up))
    performance = cast.performance(hand=side, reactor_hand=OTHER[side] if holds else "none", repetitions=1,
                                   approach=approach, reaction="responds")
    return Take(actor, reactor, performance, tuple(touches))


RIDE = (0.0, -0.06, -0.27)  # the rider's pelvis, behind the carrier's lower back (carrier's spine1 frame)


@choreography(25, contact=True)
def carry_on_back(cast: Cast) -> Take:
    """Piggyback. The actor is the carrier: they initiate by turning their back to the reactor and
    crouching; the reactor steps up, climbs on (arms over the shoulders, hands on the carrier's
    chest, legs round the waist), the carrier holds the rider's thighs with both hands, stands
    and carries them a few steps, crouches again and the rider slides off.

    The carried reactor is above the floor through `lift`: their pelvis is
    put behind the carrier's lower back (`RIDE`) and `lift` holds how far
    that is above the height their own (folded) legs would give; standing
    and walking they are grounded as usual. The carrier is grounded by
    `ground()` throughout, feet kept in place while crouching.
    """
    rng = cast.rng
    opening = OPENINGS[25]
    approach, extra, _ = opening.walk_in(cast)  # walks are timed by `_walk_time` here
    latency = cast.reactor_style.latency
    steps = opening.count(cast)
    stride = rng.uniform(0.45, 0.55)
    phases = {"t0": cast.seconds(rng.uniform(0.2, 0.5)), "walk": _walk_time(cast, extra) if approach else 0.0,
              "turn": cast.seconds(0.8), "crouch": cast.seconds(0.8), "climb": cast.seconds(0.8),
              "stand": cast.seconds(0.9), "carry": _walk_time(cast, steps * stride) + 0.3,  # a laden walk is slower
              "off": cast.seconds(0.7), "settle": cast.seconds(rng.uniform(0.3, 0.7))}

    def timeline(p: dict) -> dict:
        p["turn_start"] = p["t0"] + p["walk"]
        p["down"] = p["turn_start"] + 0.5 * p["turn"]  # the carrier crouches while finishing the turn
        p["step_in"] = max(p["turn_start"] + latency + 0.4, p["down"])
        p["climb_start"] = max(p["step_in"] + 0.9, p["down"] + p["crouch"])
        p["stand_start"] = p["climb_start"] + p["climb"] + 0.1
        p["walk_start"] = p["stand_start"] + p["stand"]
        p["walk_end"] = p["walk_start"] + p["carry"]
        p["lower_start"] = p["walk_end"] + 0.1
        p["off_start"] = p["lower_start"] + p["crouch"]
        p["rise_start"] = p["off_start"] + p["off"]
        p["end"] = p["rise_start"] + p["stand"] + p["settle"]
        return p

    plan = _fit(phases, timeline)
    t0, turn, crouch, climb, stand, off = (plan[k] for k in ("t0", "turn", "crouch", "climb", "stand", "off"))
    turn_start, down, step_in, climb_start, stand_start = (
        plan[k] for k in ("turn_start", "down", "step_in", "climb_start", "stand_start"))
    walk_start, walk_end, lower_start, off_start, rise_start = (
        plan[k] for k in ("walk_start", "walk_end", "lower_start", "off_start", "rise_start"))
    actor, reactor = stage(cast, plan["end"], rng.uniform(1.0, 1.2))
    n = actor.num_frames
    if approach:
        _walk_in(actor, t0, turn_start, actor.floor_xz[0].copy(), _xz(reactor.yaw[0]), extra,
                 str(rng.choice(["left", "right"])))
    toward = actor.yaw[0]
    ahead = toward + np.pi * rng.choice([-1.0, 1.0])
    actor.turn_to([turn_start, turn_start + turn], [toward, ahead])
    forward = _xz(ahead)
    # carrier: walk a few steps, then crouch / carry-stoop posture on top
    _walk_line(actor, walk_start, walk_end, actor.floor_xz[-1] + steps * stride * forward, "right", stride=stride)
    posture = keyframes(n, [down, down + crouch, stand_start, stand_start + stand, lower_start, lower_start + crouch,
                            rise_start, rise_start + stand], [0, 1, 1, 0.35, 0.35, 1, 1, 0])
    actor.add("pelvis", axis([1, 0, 0], 0.55 * posture))
    for s in ("left", "right"):
        actor.add(f"{s}_hip", axis([-1, 0, 0], 0.55 * posture))
        actor.add(f"{s}_hip", axis([-1, 0, 0], 0.45 * posture))
        actor.add(f"{s}_knee", axis([1, 0, 0], 1.0 * posture))
    actor.add("spine2", axis([1, 0, 0], 0.15 * posture))
    actor.add("neck", axis([1, 0, 0], -0.3 * posture))
    _level_feet(actor, np.clip(posture / 0.35, 0.0, 1.0) * (1 - blend_in(actor, walk_start, 0.3, walk_end, 0.3)))
    _keep_feet(actor, down, stand_start + stand)
    _keep_feet(actor, lower_start, rise_start + stand)
    actor.ground()
    # rider: steps in behind the carrier, then rides
    behind = actor.floor_xz[int((down + crouch) * FPS)] - 0.5 * forward
    _walk_line(reactor, step_in, step_in + 0.9, behind, str(rng.choice(["left", "right"])), stride=0.4)
    on = keyframes(n, [climb_start, climb_start + climb, off_start, off_start + off], [0.0, 1.0, 1.0, 0.0])
    reactor.yaw = reactor.yaw + on * np.angle(np.exp(1j * (actor.yaw - reactor.yaw)))
    reactor.add("pelvis", axis([1, 0, 0], 0.35 * on))
    cheek = rng.choice([-1.0, 1.0])  # the rider's head goes beside the carrier's, turned to one side
    reactor.add("neck", axis([0, cheek, 0], 0.5 * on))
    reactor.add("neck", axis([0, 0, -cheek], 0.25 * on))
    for s, sign in (("left", 1.0), ("right", -1.0)):
        reactor.set(f"{s}_hip", _compose(axis([0, sign, 0], 0.5), axis([-1, 0, 0], 1.45)), on)
        reactor.set(f"{s}_knee", axis([1, 0, 0], 1.6), on)
    reactor.ground()
    seat = actor.point("spine1", RIDE)
    follow = actor.floor_xz - 0.5 * _xz(actor.yaw)  # where the rider stands once off again
    base = np.where((np.arange(n) / FPS < off_start)[:, None], reactor.floor_xz, follow)
    current = np.concatenate([base, (reactor.height + reactor.lift)[:, None]], axis=-1)[:, [0, 2, 1]]
    pelvis = current * (1 - on[:, None]) + seat * on[:, None]
    reactor.floor_xz = pelvis[:, [0, 2]]
    reactor.lift = pelvis[:, 1] - reactor.height
    # hands: the rider's over the shoulders onto the chest, the carrier's under the rider's thighs
    touches = []
    hug = blend_in(reactor, climb_start - 0.6, 0.3, off_start + off + 0.3, 0.3)
    # hands push on the carrier's shoulders to climb, then come over them onto the chest
    keys = [climb_start - 0.5, climb_start, climb_start + climb, climb_start + climb + 0.3,
            off_start - 0.1, off_start + 0.2, off_start + 0.6 * off, off_start + off + 0.3]
    thigh_points = {}
    for s, x in (("left", 0.07), ("right", -0.07)):
        rest = reactor.point(f"{s}_middle1")
        push = actor.point("spine3", (2.2 * x, 0.2, -0.07))
        over = actor.point("spine3", (2.0 * x, 0.24, 0.06))
        chest = (x, 0.05, 0.16)
        on_chest = actor.point("spine3", chest)
        path = _through(n, keys, [rest, push, over, on_chest, on_chest, over, push, rest])
        reactor.reach(s, path, hug, pole=-UP + 1.2 * reactor.side_vector(s))
        touches.append(Touch("spine3", chest, f"{s}_middle1", (0.0, 0.0, 0.0), keys[3], keys[4]))
        under = tuple(0.75 * (reactor.rest[J[f"{s}_knee"]] - reactor.rest[J[f"{s}_hip"]]) + np.array([0, 0, -0.07]))
        thigh_points[s] = under
    _above_floor(reactor)
    holding = blend_in(actor, climb_start + 0.5 * climb, 0.4, off_start + 0.3 * off, 0.4)
    for s in ("left", "right"):
        actor.reach(s, reactor.point(f"{s}_hip", thigh_points[s]), holding,
                    pole=-0.3 * UP - _flat(forward) + 0.8 * actor.side_vector(s))
        actor.curl_fingers(s, 0.25 + 0.3 * holding)
        touches.append(Touch(f"{s}_middle1", (0.0, 0.0, 0.0), f"{s}_hip", thigh_points[s],
                             climb_start + climb + 0.2, lower_start))
    performance = cast.performance(hand="both", reactor_hand="both", repetitions=steps, approach=approach,
                                   reaction="responds")
    return Take(actor, reactor, performance, tuple(touches))
