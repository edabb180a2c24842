"""Gestures: Point finger at, High-five, Rock-paper-scissors, Chat, Thumb up, Imitate, Fly kiss.

Hands are posed in world space (`ik.pose_hand`): the palm point goes on a target
while the fingers and the palm face given directions, so a pointing index
really aims at the other person and two high-fiving palms really face each
other. Hand shapes come from per-finger curls (`_SHAPES`).
"""

from __future__ import annotations

import numpy as np

from interx.synth.actions import Take, Touch, choreography
from interx.synth.actions.openings import OPENINGS
from interx.synth.curves import bumps, keyframes
from interx.synth.ik import pose_hand
from interx.synth.rig import FPS, OTHER, UP, J, axis, side_sign, unit
from interx.synth.stage import Cast, approach_from_afar, blend_in, stage, walk_to

RELAXED = 0.25  # finger curl of the relaxed standing pose
_FINGERS = ("index", "middle", "ring", "pinky")
# curl per finger (0 flat, 1 fist) and of the thumb
_SHAPES = {
    "relaxed": dict(index=RELAXED, middle=RELAXED, ring=RELAXED, pinky=RELAXED, thumb=RELAXED),
    "flat": dict(index=0.0, middle=0.0, ring=0.0, pinky=0.0, thumb=0.05),
    "open": dict(index=0.1, middle=0.15, ring=0.2, pinky=0.25, thumb=0.15),
    "fist": dict(index=1.0, middle=1.0, ring=1.0, pinky=1.0, thumb=0.8),
    "point": dict(index=0.03, middle=1.0, ring=1.0, pinky=1.0, thumb=0.7),
    "scissors": dict(index=0.0, middle=0.0, ring=1.0, pinky=1.0, thumb=0.8),
    "thumb_up": dict(index=1.0, middle=1.0, ring=1.0, pinky=1.0, thumb=0.0),
}
_RPS = {"rock": "fist", "paper": "flat", "scissors": "scissors"}


# ---------------------------------------------------------------- helpers
def _toward(body, other) -> np.ndarray:
    """Unit horizontal direction `(T, 3)` from `body` to `other`."""
    d = other.floor_xz - body.floor_xz
    return unit(np.stack([d[:, 0], np.zeros(len(d)), d[:, 1]], axis=-1))


def _shape(body, side: str, keys) -> None:
    """Animate the fingers of `side` through hand shapes between the first and the last key.

    `keys` is [(time, shape name), ...]; frames outside them keep their
    fingers, so several gestures of one hand can each shape it in turn.
    """
    times = [t for t, _ in keys]
    fingers = [J[f"{side}_{f}{k}"] for f in (*_FINGERS, "thumb") for k in (1, 2, 3)]
    before = body.pose[:, fingers].copy()
    thumb = keyframes(body.num_frames, times, [_SHAPES[name]["thumb"] for _, name in keys])
    for finger in _FINGERS:
        curl = keyframes(body.num_frames, times, [_SHAPES[name][finger] for _, name in keys])
        body.curl_fingers(side, curl, thumb=thumb, fingers=(finger,))
    t = np.arange(body.num_frames) / FPS
    outside = (t < times[0]) | (t > times[-1])
    body.pose[np.ix_(outside, fingers)] = before[outside]


def _attend(cast: Cast, reactor, at: float) -> None:
    """Sometimes the reactor first looks elsewhere and turns to the actor `at` seconds, when cued."""
    if cast.rng.random() < 0.4:
        off = cast.rng.choice([-1.0, 1.0]) * cast.rng.uniform(0.25, 0.6)
        yaw = reactor.yaw[0]
        reactor.turn_to([at, at + 0.5 + 0.6 * abs(off)], [yaw + off, yaw])


def _separation(cast: Cast, low: float, high: float, minimum: float) -> float:
    """Pelvis-to-pelvis distance from the pair's preferred distance, never below `minimum`."""
    style = 0.5 * (cast.actor_style.distance + cast.reactor_style.distance)
    return max(minimum, float(cast.rng.uniform(low, high)) * style)


def _side_of(side: str) -> tuple[str, ...]:
    return ("left", "right") if side == "both" else (side,)


# ----------------------------------------------------------- Point finger at
@choreography(12, contact=False)
def point_finger(cast: Cast) -> Take:
    """The actor aims an extended index at the reactor's chest and jabs; the reactor looks, backs off or points back."""
    rng = cast.rng
    opening = OPENINGS[12]
    side = cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["still", "recoils", "responds"], p=[0.3, 0.4, 0.3]))
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 0.8))
    raise_time = cast.seconds(0.45)
    jabs = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    jab_start = t0 + raise_time
    point_end = jab_start + jabs / frequency + cast.seconds(rng.uniform(0.5, 1.1))
    lower = cast.seconds(0.6)
    react = jab_start + cast.reactor_style.latency
    react_end = react + cast.seconds(rng.uniform(1.2, 1.8))
    duration = max(point_end + lower, react_end + 0.6) + cast.seconds(rng.uniform(0.4, 1.0))
    distance = _separation(cast, 1.4, 2.4, 1.9 if reaction == "responds" else 1.35)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0, extra)
    _attend(cast, reactor, t0 + 0.3 * cast.reactor_style.latency)
    weight = blend_in(actor, t0, raise_time, point_end + lower, lower)
    actor.add("spine2", axis([1, 0, 0], 0.06 * weight))  # leans into the accusation
    reactor_side = "right" if rng.random() < 0.75 else "left"
    react_weight = blend_in(reactor, react, cast.seconds(0.5), react_end + 0.6, 0.6)
    if reaction == "recoils":
        back = rng.uniform(0.25, 0.45)
        away = -_toward(reactor, actor)[0, [0, 2]]
        walk_to(reactor, react, react + cast.seconds(0.7), reactor.floor_xz[0] + back * away, stride=0.35)
        reactor.add("spine2", axis([1, 0, 0], -0.08 * react_weight))
        reactor.add("neck", axis([1, 0, 0], -0.12 * react_weight))
    elif reaction == "still":
        reactor.add("neck", axis([1, 0, 0], -0.08 * react_weight))  # looks at the finger, chin up
    actor.ground()
    reactor.ground()

    def aim(body, arm: str, other, w: np.ndarray, jab: np.ndarray) -> None:
        shoulder = body.point(f"{arm}_shoulder")
        target = other.point("spine3", (0.0, 0.12, 0.1))
        direction = unit(target - shoulder)
        length = body.arm_length(arm) * (0.88 + 0.07 * jab)
        medial = body.local(1.0, 0.0, 0.0, OTHER[arm])
        pose_hand(body, arm, shoulder + direction * length[:, None], direction, 0.8 * medial - 0.5 * UP, w)

    jab = cast.actor_style.amplitude * bumps(actor.num_frames, jab_start, jabs, frequency)
    aim(actor, side, reactor, weight, jab)
    _shape(actor, side, [(t0, "relaxed"), (t0 + raise_time, "point"), (point_end, "point"),
                         (point_end + lower, "relaxed")])
    if reaction == "responds":
        aim(reactor, reactor_side, actor, react_weight, np.zeros(reactor.num_frames))
        _shape(reactor, reactor_side, [(react, "relaxed"), (react + 0.5, "point"), (react_end, "point"),
                                       (react_end + 0.6, "relaxed")])
    elif reaction == "recoils" and rng.random() < 0.5:
        # hands up, palms out: "whoa"
        for arm in ("left", "right"):
            toward = _toward(reactor, actor)
            palm = reactor.point(f"{arm}_shoulder") + reactor.local(0.02, -0.12, 0.22, arm)
            pose_hand(reactor, arm, palm, UP + 0.2 * toward, toward, react_weight)
            _shape(reactor, arm, [(react, "relaxed"), (react + 0.5, "open"), (react_end, "open"),
                                  (react_end + 0.6, "relaxed")])
    performance = cast.performance(hand=side, reactor_hand=reactor_side if reaction == "responds" else "none",
                                   repetitions=jabs, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance)


# ---------------------------------------------------------------- High-five
@choreography(16, contact=True)
def high_five(cast: Cast) -> Take:
    """Raised flat palms swing together above head height between the two, clap, and come down."""
    rng = cast.rng
    opening = OPENINGS[16]
    hand = "both" if rng.random() < 0.2 else cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    raise_time = cast.seconds(0.5)
    latency = cast.reactor_style.latency
    swing = cast.seconds(0.22)
    ready = t0 + latency + raise_time + cast.seconds(rng.uniform(0.05, 0.3))
    meet = ready + swing
    hold = 0.06
    lower = cast.seconds(0.8)
    after = meet + hold
    duration = after + lower + cast.seconds(rng.uniform(0.5, 1.2))
    distance = rng.uniform(0.62, 0.78) * (0.85 + 0.15 * cast.actor_style.distance)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0 + 0.3 * raise_time, extra)
    weights = (blend_in(actor, t0, raise_time, after + lower, lower),
               blend_in(reactor, t0 + latency, raise_time, after + lower, lower))
    for body, w in zip((actor, reactor), weights):
        body.add("spine2", axis([1, 0, 0], 0.05 * w))
        body.add("neck", axis([1, 0, 0], -0.15 * w))  # looks up at the hands
    actor.ground()
    reactor.ground()
    # the actor's right meets the reactor's right (diagonal); with both hands each meets its mirror twin
    pairs = [("left", "right"), ("right", "left")] if hand == "both" else [(hand, hand)]
    meet_frame = min(int(meet * FPS), actor.num_frames - 1)
    head = min(actor.point("head")[meet_frame, 1], reactor.point("head")[meet_frame, 1])
    wanted = head + rng.uniform(0.12, 0.25) * cast.actor_style.amplitude
    to_reactor = _toward(actor, reactor)
    contacts = []
    for a_side, r_side in pairs:
        sa, sr = actor.point(f"{a_side}_shoulder"), reactor.point(f"{r_side}_shoulder")
        middle = 0.5 * (sa + sr)
        height = wanted
        for body, s, arm in ((actor, sa, a_side), (reactor, sr, r_side)):
            horizontal = np.linalg.norm((middle - s)[meet_frame, [0, 2]])
            reach = 0.92 * body.arm_length(arm)
            height = min(height, s[meet_frame, 1] + np.sqrt(max(reach**2 - horizontal**2, 0.0)))
        contacts.append(np.stack([middle[:, 0], np.full(len(middle), height), middle[:, 2]], axis=-1))
    times = [t0, meet - swing, meet, after, after + 0.25]
    for body, w, sign, start in ((actor, weights[0], 1.0, t0), (reactor, weights[1], -1.0, t0 + latency)):
        windup = keyframes(body.num_frames, [start, *times[1:]], [0.25, 0.25, 0.0, 0.0, 0.12])
        normal = sign * to_reactor
        for (a_side, r_side), contact in zip(pairs, contacts):
            arm = a_side if body is actor else r_side
            palm = contact - normal * (0.02 + 0.6 * windup[:, None])
            out = body.local(1.0, 0.0, 0.0, arm)
            # the wrist is cocked back during the wind-up and snaps forward into the clap
            pose_hand(body, arm, palm, UP + (0.25 - 1.5 * windup[:, None]) * normal, normal, w, pole=-UP + out)
            _shape(body, arm, [(start, "relaxed"), (start + raise_time, "flat"), (after + 0.2, "flat"),
                               (after + lower, "relaxed")])
    touches = tuple(Touch(f"{a}_middle1", (0.0, 0.0, 0.0), f"{r}_middle1", (0.0, 0.0, 0.0), meet - 0.03, after + 0.03)
                    for a, r in pairs)
    performance = cast.performance(hand=hand, reactor_hand="both" if hand == "both" else hand, repetitions=1,
                                   approach=approach, reaction="responds")
    return Take(actor, reactor, performance, touches)


# ------------------------------------------------------- Rock-paper-scissors
@choreography(20, contact=False)
def rock_paper_scissors(cast: Cast) -> Take:
    """Fists shaken in sync in front of the chest, then each shows rock, paper or scissors; one round per count."""
    rng = cast.rng
    opening = OPENINGS[20]
    side = cast.hand
    reactor_side = "right" if rng.random() < 0.8 else "left"
    approach, extra, t_walk = opening.walk_in(cast)
    rounds = opening.count(cast)
    shakes = cast.count(2, 3)
    frequency = opening.frequency(cast) * min(cast.pace, 1.15)
    show = cast.seconds(rng.uniform(0.7, 1.1))
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 0.7))
    raise_time = cast.seconds(0.5)
    latency = cast.reactor_style.latency
    start = t0 + latency + raise_time + 0.1
    round_time = shakes / frequency + show
    lower = cast.seconds(0.7)
    settle = cast.seconds(rng.uniform(0.4, 1.0))
    rounds = max(1, min(rounds, int((11.5 - start - lower - settle) / round_time)))  # the take stays under 12 s
    end = start + rounds * round_time
    duration = end + lower + settle
    distance = _separation(cast, 1.05, 1.3, 1.15)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0, extra)
    weights = (blend_in(actor, t0, raise_time, end + lower, lower),
               blend_in(reactor, t0 + latency, raise_time, end + lower, lower))
    for body, w in zip((actor, reactor), weights):
        body.add("neck", axis([1, 0, 0], 0.25 * w))  # watches the hands
        body.add("spine2", axis([1, 0, 0], 0.04 * w))
    actor.ground()
    reactor.ground()
    n = actor.num_frames
    shake = np.zeros(n)
    for k in range(rounds):
        shake += bumps(n, start + k * round_time, shakes, frequency)
    for body, arm, w, begin, amplitude in ((actor, side, weights[0], t0, cast.actor_style.amplitude),
                                           (reactor, reactor_side, weights[1], t0 + latency,
                                            cast.reactor_style.amplitude)):
        shoulder = body.point(f"{arm}_shoulder")
        palm = shoulder + body.local(-0.04, -0.3 + 0.11 * amplitude * shake, 0.27, arm)
        fingers = body.facing() - 0.15 * UP
        pose_hand(body, arm, palm, fingers, body.local(1.0, 0.0, 0.0, OTHER[arm]), w)
        keys = [(begin, "relaxed"), (begin + raise_time, "fist")]
        for k in range(rounds):
            reveal = start + k * round_time + shakes / frequency
            thrown = _RPS[str(rng.choice(list(_RPS)))]
            keys += [(reveal - 0.15, "fist"), (reveal, thrown), (reveal + show - 0.25, thrown)]
            keys += [(reveal + show, "fist")] if k < rounds - 1 else [(end + lower, "relaxed")]
        _shape(body, arm, keys)
    performance = cast.performance(hand=side, reactor_hand=reactor_side, repetitions=rounds, approach=approach,
                                   reaction="responds")
    return Take(actor, reactor, performance)


# --------------------------------------------------------------------- Chat
@choreography(29, contact=False)
def chat(cast: Cast) -> Take:
    """Alternating speaking turns: the speaker gestures with open hands, the listener nods."""
    rng = cast.rng
    opening = OPENINGS[29]
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.2, 0.6))
    settle = 0.5 + cast.seconds(rng.uniform(0.3, 0.8))
    turns = []
    t = t0
    while len(turns) < 5:
        length = min(3.0, cast.seconds(rng.uniform(1.4, 2.4)))
        if len(turns) >= 2 and t + length + settle > 11.5:
            break
        turns.append((t, t + length))
        t += length + rng.uniform(0.1, 0.4)
    duration = turns[-1][1] + settle
    distance = _separation(cast, 0.95, 1.25, 1.05)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0, extra)
    hands = (cast.hand if rng.random() < 0.65 else "both", str(rng.choice(["left", "right", "both"])))
    bodies = (actor, reactor)
    styles = (cast.actor_style, cast.reactor_style)
    n = actor.num_frames
    for k, (start, stop) in enumerate(turns):
        speaker, listener = bodies[k % 2], bodies[1 - k % 2]
        w = blend_in(speaker, start, 0.35, stop, 0.4)
        speaker.add("spine2", axis([1, 0, 0], 0.03 * w))
        speaker.add("neck", axis([0, 0, 1], 0.06 * w * np.sin(2 * np.pi * 0.7 * np.arange(n) / FPS)))
        nods = max(1, int((stop - start) * 1.1))
        nod_start = start + styles[1 - k % 2].latency
        listener.nod(nod_start, min(nods, 3), rng.uniform(1.4, 2.0), rng.uniform(0.1, 0.2))
    actor.ground()
    reactor.ground()
    for k, (start, stop) in enumerate(turns):
        who = k % 2
        speaker, hand, amplitude = bodies[who], hands[who], styles[who].amplitude
        w = blend_in(speaker, start, 0.35, stop, 0.4)
        for arm in _side_of(hand):
            strokes = cast.count(2, 4)
            times = np.linspace(start + 0.35, stop - 0.2, strokes)
            spots = np.stack([rng.uniform(0.05, 0.22, strokes) * amplitude, rng.uniform(-0.42, -0.22, strokes),
                              rng.uniform(0.2, 0.32, strokes) * amplitude], axis=-1)
            spot = keyframes(n, times, spots)
            beat = 0.025 * amplitude * np.sin(2 * np.pi * rng.uniform(1.8, 2.6) * np.arange(n) / FPS)
            shoulder = speaker.point(f"{arm}_shoulder")
            palm = shoulder + speaker.local(spot[:, 0] - 0.08, spot[:, 1] + beat, spot[:, 2], arm)
            medial = speaker.local(1.0, 0.0, 0.0, OTHER[arm])
            fingers = speaker.facing() + 0.4 * speaker.local(1.0, 0.0, 0.0, arm)
            pose_hand(speaker, arm, palm, fingers, 0.7 * UP + medial, w)
            _shape(speaker, arm, [(start, "relaxed"), (start + 0.35, "open"), (stop, "open"), (stop + 0.4, "relaxed")])
    performance = cast.performance(hand=hands[0], reactor_hand=hands[1], repetitions=len(turns), approach=approach,
                                   reaction="responds")
    return Take(actor, reactor, performance)


# ----------------------------------------------------------------- Thumb up
@choreography(31, contact=False)
def thumb_up(cast: Cast) -> Take:
    """A fist with the thumb up held out toward the reactor, who nods, returns it or just looks."""
    rng = cast.rng
    opening = OPENINGS[31]
    hand = "both" if rng.random() < 0.15 else cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["nod", "thumb", "still"], p=[0.4, 0.35, 0.25]))
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 0.8))
    raise_time = cast.seconds(0.5)
    pumps = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    pump_start = t0 + raise_time
    hold_end = pump_start + pumps / frequency + cast.seconds(rng.uniform(0.5, 1.0))
    lower = cast.seconds(0.6)
    react = pump_start + cast.reactor_style.latency
    react_end = react + cast.seconds(rng.uniform(1.0, 1.5))
    duration = max(hold_end + lower, react_end + 0.6) + cast.seconds(rng.uniform(0.4, 1.0))
    distance = _separation(cast, 1.3, 2.5, 1.6 if reaction == "thumb" else 1.2)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0, extra)
    _attend(cast, reactor, t0 + 0.2)
    weight = blend_in(actor, t0, raise_time, hold_end + lower, lower)
    react_weight = blend_in(reactor, react, cast.seconds(0.5), react_end + 0.6, 0.6)
    actor.add("neck", axis([0, 0, 1], rng.uniform(-0.1, 0.1) * weight))  # a cheerful head tilt
    if reaction == "nod":
        reactor.nod(react, cast.count(1, 2), rng.uniform(1.3, 1.8), rng.uniform(0.15, 0.25))
    elif reaction == "still":
        reactor.add("neck", axis([1, 0, 0], -0.06 * react_weight))
    actor.ground()
    reactor.ground()
    reactor_side = "right" if rng.random() < 0.75 else "left"

    def thumb(body, arms, other, w, pump, begin, end) -> None:
        drop = -rng.uniform(0.0, 0.15)  # from shoulder height down to the chest
        for arm in arms:
            shoulder = body.point(f"{arm}_shoulder")
            direction = unit(other.point("spine3") - shoulder + 0.25 * UP)
            length = body.arm_length(arm) * (0.65 + 0.07 * pump)
            palm = shoulder + direction * length[:, None] + body.local(-0.08, drop, 0.0, arm)
            medial = body.local(1.0, 0.0, 0.0, OTHER[arm])
            pose_hand(body, arm, palm, direction + 0.45 * UP, medial, w)  # fingers tilted up: the thumb stands upright
            _shape(body, arm, [(begin, "relaxed"), (begin + 0.4, "thumb_up"), (end, "thumb_up"),
                               (end + 0.5, "relaxed")])

    pump = cast.actor_style.amplitude * bumps(actor.num_frames, pump_start, pumps, frequency)
    thumb(actor, _side_of(hand), reactor, weight, pump, t0, hold_end)
    if reaction == "thumb":
        thumb(reactor, (reactor_side,), actor, react_weight, np.zeros(reactor.num_frames), react, react_end)
    performance = cast.performance(hand=hand, reactor_hand=reactor_side if reaction == "thumb" else "none",
                                   repetitions=pumps, approach=approach,
                                   reaction="still" if reaction == "still" else "responds")
    return Take(actor, reactor, performance)


# ------------------------------------------------------------------ Imitate
# Poses an imitator can copy. Arm entries: (which arm: "lead"/"other", anchor joint, palm offset from the
# anchor as (out, up, forward) toward that arm's side, fingers and palm normal as (out, up, forward), elbow pole).
_POSES = {
    "reach_up": dict(arms=[("lead", "shoulder", (0.06, 0.6, 0.06), (0.0, 1.0, 0.0), (-0.5, 0.0, 1.0), (1, -0.3, 0))]),
    "arm_out": dict(arms=[("lead", "shoulder", (0.6, 0.04, 0.02), (1.0, 0.1, 0.0), (0.0, -1.0, 1.0), (0, -1, -0.3))]),
    "hand_on_head": dict(arms=[("lead", "head", (0.0, 0.17, 0.0), (-1.0, 0.0, -0.3), (0.0, -1.0, 0.0), (1, 0.3, 0))]),
    "hand_on_chest": dict(arms=[("lead", "chest", (-0.07, 0.04, 0.15), (-1.0, 0.3, 0.0), (0.0, 0.0, -1.0),
                                 (1, -1, 0))]),
    "arms_up": dict(arms=[("lead", "shoulder", (0.2, 0.55, 0.05), (0.35, 1.0, 0.0), (-0.5, 0.0, 1.0), (1, -0.3, 0)),
                          ("other", "shoulder", (0.2, 0.55, 0.05), (0.35, 1.0, 0.0), (-0.5, 0.0, 1.0), (1, -0.3, 0))]),
    "hands_on_hips": dict(arms=[("lead", "hip", (0.09, 0.1, 0.02), (0.0, -1.0, 1.0), (-1.0, 0.0, -0.5), (1, 0, -0.6)),
                                ("other", "hip", (0.09, 0.1, 0.02), (0.0, -1.0, 1.0), (-1.0, 0.0, -0.5),
                                 (1, 0, -0.6))]),
    "side_bend": dict(bend=0.45, arms=[("lead", "head", (-0.2, 0.25, 0.0), (-1.0, 0.4, 0.0), (0.0, -1.0, 0.5),
                                       (1, 0.3, 0))]),
    "knee_lift": dict(knee=True, arms=[]),
}


def _pose_body(body, lead: str, poses: list[str], keys: list[tuple[float, float, float]]) -> None:
    """Trunk and legs of an imitation sequence (before grounding): side bends and knee lifts."""
    for name, (start, stop, rise) in zip(poses, keys):
        pose = _POSES[name]
        w = blend_in(body, start, rise, stop + rise, rise)
        if "bend" in pose:
            for joint in ("spine1", "spine2", "spine3"):  # bend away from the lead arm, which arches overhead
                body.add(joint, axis([0, 0, 1], side_sign(lead) * pose["bend"] / 3 * w))
        if pose.get("knee"):
            body.set(f"{lead}_hip", axis([-1, 0, 0], 1.3), w)
            body.set(f"{lead}_knee", axis([1, 0, 0], 1.6), w)


def _pose_arms(body, lead: str, poses: list[str], keys: list[tuple[float, float, float]]) -> None:
    """Arms of an imitation sequence; an arm that stays in use blends straight from one pose to the next."""
    spans: dict[str, list] = {"left": [], "right": []}
    for i, (name, (start, stop, rise)) in enumerate(zip(poses, keys)):
        for which, anchor, offset, fingers, normal, pole in _POSES[name]["arms"]:
            arm = lead if which == "lead" else OTHER[lead]
            spans[arm].append((i, start, stop, rise, anchor, offset, fingers, normal, pole))
    for arm, items in spans.items():
        used = {item[0] for item in items}
        shape = []
        for i, start, stop, rise, anchor, offset, fingers, normal, pole in items:
            keep = i + 1 in used  # the next pose takes over while this one is still held
            # a pose the next one takes over stays at full weight until the next is fully in
            w = blend_in(body, start, rise, stop + rise + 0.1, 0.1) if keep else blend_in(body, start, rise,
                                                                                         stop + rise, rise)
            joint = {"shoulder": f"{arm}_shoulder", "head": "head", "hip": f"{arm}_hip", "chest": "spine3"}[anchor]
            scale = body.arm_length(arm) / 0.63 if anchor == "shoulder" else 1.0  # reach as far as this arm does
            palm = body.point(joint) + body.local(*(scale * np.asarray(offset)), arm)
            pose_hand(body, arm, palm, body.local(*fingers, arm), body.local(*normal, arm), w,
                  pole=body.local(*pole, arm))
            shape += [] if i - 1 in used else [(start, "relaxed")]
            shape += [(start + rise, "flat"), (stop, "flat")] + ([] if keep else [(stop + rise, "relaxed")])
        if shape:
            _shape(body, arm, shape)


@choreography(33, contact=False)
def imitate(cast: Cast) -> Take:
    """The actor strikes 2-3 distinctive poses; the reactor copies them as a mirror image (the actor's right
    arm becomes the reactor's left, as people facing each other imitate), either pose by pose a beat behind
    (follow) or the whole sequence once the actor is done (echo)."""
    rng = cast.rng
    opening = OPENINGS[33]
    lead = cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    count = opening.count(cast)
    poses = [str(p) for p in rng.choice(list(_POSES), size=count, replace=False)]
    rise = cast.seconds(0.75)  # big arm movements take their time
    holds = [cast.seconds(rng.uniform(0.6, 1.0)) for _ in poses]
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 0.7))
    echo = rng.random() < 0.4
    copy_rise = rise * rng.uniform(1.0, 1.25)  # the imitator is a little slower
    delay = cast.reactor_style.latency + rng.uniform(0.4, 0.8)
    settle = cast.seconds(rng.uniform(0.4, 1.0))
    while True:  # drop poses (and then the echo) until the take fits in 12 s
        keys, t = [], t0
        for hold in holds[:count]:
            keys.append((t, t + rise + hold, rise))
            t += rise + hold
        sequence = t + rise - t0
        lag = sequence + cast.reactor_style.latency if echo else delay
        duration = keys[-1][1] + lag + copy_rise + settle
        if duration < 11.5 or (count == 2 and not echo):
            break
        echo, count = (echo, count - 1) if count > 2 else (False, count)
    poses = poses[:count]
    copy_keys = [(s + lag, e + lag, copy_rise) for s, e, _ in keys]
    distance = _separation(cast, 1.6, 2.6, 1.6)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0 - 0.1, extra)
    mirror = OTHER[lead]
    _pose_body(actor, lead, poses, keys)
    _pose_body(reactor, mirror, poses, copy_keys)
    actor.ground()
    reactor.ground()
    _pose_arms(actor, lead, poses, keys)
    _pose_arms(reactor, mirror, poses, copy_keys)
    one_sided = all(len(_POSES[p]["arms"]) < 2 for p in poses)  # else both arms take part
    performance = cast.performance(hand=lead if one_sided else "both", reactor_hand=mirror if one_sided else "both",
                                   repetitions=count, approach=approach, reaction="responds")
    return Take(actor, reactor, performance)


# ----------------------------------------------------------------- Fly kiss
@choreography(39, contact=False)
def fly_kiss(cast: Cast) -> Take:
    """Fingertips to the lips, then the open hand swings out toward the reactor, palm up; the reactor catches
    the kiss and presses it to the chest, nods, or turns away."""
    rng = cast.rng
    opening = OPENINGS[39]
    side = cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    reaction = str(rng.choice(["catch", "nod", "turn"], p=[0.4, 0.35, 0.25]))
    kisses = 1 if rng.random() < 0.8 else 2
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 0.8))
    to_lips = cast.seconds(0.5)
    kiss = cast.seconds(rng.uniform(0.25, 0.4))
    throw = cast.seconds(0.45)
    out_hold = cast.seconds(rng.uniform(0.3, 0.6))
    back = cast.seconds(0.4)
    lower = cast.seconds(0.6)
    times, where, t = [t0], ["lips"], t0 + to_lips
    for _ in range(kisses):
        times += [t, t + kiss, t + kiss + throw, t + kiss + throw + out_hold]
        where += ["lips", "lips", "out", "out"]
        t = times[-1] + back
    thrown = times[3]
    end = times[-1]
    react = thrown + cast.reactor_style.latency
    react_end = react + cast.seconds(rng.uniform(1.3, 1.9))
    duration = max(end + lower, react_end + 0.7) + cast.seconds(rng.uniform(0.4, 1.0))
    distance = _separation(cast, 1.5, 3.0, 1.75 if reaction == "catch" else 1.3)
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0, extra)
    weight = blend_in(actor, t0, to_lips, end + lower, lower)
    lips_weight = keyframes(actor.num_frames, times, [0.0 if w == "out" else 1.0 for w in where])
    actor.add("neck", axis([1, 0, 0], 0.12 * lips_weight * weight))  # the head dips to the kiss
    react_weight = blend_in(reactor, react, cast.seconds(0.45), react_end, 0.7)
    if reaction == "nod":
        reactor.nod(react, cast.count(1, 2), rng.uniform(1.3, 1.8), rng.uniform(0.15, 0.22))
        reactor.add("neck", axis([0, 0, 1], rng.choice([-1, 1]) * 0.12 * react_weight))
    elif reaction == "turn":  # turns body and head aside, chin down, and stays turned
        away = rng.choice([-1.0, 1.0])
        turned = blend_in(reactor, react, cast.seconds(0.6), reactor.num_frames / FPS + 1.0, 0.1)
        reactor.yaw = reactor.yaw + away * rng.uniform(0.35, 0.6) * turned
        reactor.add("spine3", axis([0, 1, 0], away * 0.2 * turned))
        reactor.add("neck", axis([0, 1, 0], away * 0.45 * turned))
        reactor.add("neck", axis([1, 0, 0], 0.12 * turned))
    actor.ground()
    reactor.ground()
    # lips: in front of the face, below the eyes (head joint frame)
    lips = actor.point("head", (0.0, -0.03, 0.1))
    forward = actor.facing()
    up_back = unit(UP - 0.3 * forward)
    fingers_at_lips = up_back
    palm_at_lips = lips + 0.03 * forward - 0.075 * fingers_at_lips
    shoulder = actor.point(f"{side}_shoulder")
    direction = unit(reactor.point("head") - shoulder)
    palm_out = shoulder + actor.arm_length(side) * 0.78 * direction + 0.05 * UP
    at_lips = lips_weight[:, None]
    palm = palm_at_lips * at_lips + palm_out * (1 - at_lips)
    fingers = fingers_at_lips * at_lips + unit(direction + 0.3 * UP) * (1 - at_lips)
    normal = -forward * at_lips + unit(UP - 0.3 * direction) * (1 - at_lips)
    out = actor.local(1.0, 0.0, 0.0, side)
    pose_hand(actor, side, palm, fingers, normal, weight, pole=-UP + 0.8 * out)
    _shape(actor, side, [(t0, "relaxed"), (t0 + to_lips, "open"), (end, "flat"), (end + lower, "relaxed")])
    reactor_side = "right" if rng.random() < 0.75 else "left"
    if reaction == "catch":
        grab = react + cast.seconds(0.45)
        keep = keyframes(reactor.num_frames, [grab, grab + cast.seconds(0.5)], [0.0, 1.0])[:, None]
        r_shoulder = reactor.point(f"{reactor_side}_shoulder")
        toward = _toward(reactor, actor)
        caught = r_shoulder + 0.5 * reactor.arm_length(reactor_side) * toward + 0.1 * UP
        chest = reactor.point("spine3", (0.0, 0.08, 0.16))
        palm = caught * (1 - keep) + chest * keep
        medial = reactor.local(1.0, 0.0, 0.0, OTHER[reactor_side])
        fingers = (toward + UP) * (1 - keep) + (medial + 0.3 * UP) * keep
        turn = np.pi * keep  # the palm turns from facing the actor, through down, to facing the chest
        normal = toward * np.cos(turn) - UP * np.sin(turn)
        pose_hand(reactor, reactor_side, palm, fingers, normal, react_weight)
        _shape(reactor, reactor_side, [(react, "relaxed"), (grab - 0.15, "open"), (grab + 0.1, "fist"),
                                       (react_end, "fist"), (react_end + 0.5, "relaxed")])
    performance = cast.performance(hand=side, reactor_hand=reactor_side if reaction == "catch" else "none",
                                   repetitions=kisses, approach=approach,
                                   reaction="recoils" if reaction == "turn" else "responds")
    return Take(actor, reactor, performance)
