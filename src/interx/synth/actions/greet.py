"""Greetings and signals: Hug, Handshake, Wave."""

from __future__ import annotations

import numpy as np

from interx.synth.actions import Take, Touch, choreography
from interx.synth.actions.openings import OPENINGS
from interx.synth.curves import oscillation
from interx.synth.rig import UP, axis
from interx.synth.stage import Cast, approach_from_afar, blend_in, stage, walking_time


@choreography(1, contact=True)
def handshake(cast: Cast) -> Take:
    rng = cast.rng
    opening = OPENINGS[1]
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 0.8))
    reach = cast.seconds(0.6)
    pumps = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    latency = cast.reactor_style.latency
    meet = t0 + reach + latency + 0.3
    release = meet + pumps / frequency
    settle = cast.seconds(rng.uniform(0.8, 1.6))
    duration = release + 0.6 + settle
    distance = 0.72 * cast.actor_style.distance * 0.5 + 0.72 * cast.reactor_style.distance * 0.5
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0 - 0.2, extra)
    actor.ground()
    reactor.ground()
    # the right hands meet halfway, a little below the lower elbow height, and pump up and down
    middle = 0.5 * (actor.floor_xz + reactor.floor_xz)
    height = 0.5 * (actor.height + reactor.height) + 0.05
    point = np.stack([middle[:, 0], height, middle[:, 1]], axis=-1)
    point[:, 1] += 0.035 * cast.actor_style.amplitude * oscillation(actor.num_frames, meet, pumps, frequency)
    lateral = actor.side_vector("right")
    actor_weight = blend_in(actor, t0, reach + latency + 0.3, release + 0.6, 0.6)
    reactor_weight = blend_in(reactor, t0 + latency, reach + 0.3, release + 0.6, 0.6)
    # palms face each other: each palm stops 2 cm short of the shared point
    actor.set("right_wrist", axis([1, 0, 0], 0.6), actor_weight)
    reactor.set("right_wrist", axis([1, 0, 0], 0.6), reactor_weight)
    actor.reach("right", point + 0.02 * lateral, actor_weight)
    reactor.reach("right", point - 0.02 * lateral, reactor_weight)
    for body, weight in ((actor, actor_weight), (reactor, reactor_weight)):
        body.curl_fingers("right", 0.25 + 0.35 * weight)
        body.add("neck", axis([1, 0, 0], 0.15 * weight))
    touch = Touch("right_middle1", (0.0, 0.0, 0.0), "right_middle1", (0.0, 0.0, 0.0), meet, release)
    performance = cast.performance(hand="right", reactor_hand="right", repetitions=pumps, approach=approach,
                                   reaction="responds")
    return Take(actor, reactor, performance, (touch,))


@choreography(2, contact=False)
def wave(cast: Cast) -> Take:
    rng = cast.rng
    opening = OPENINGS[2]
    side = cast.hand
    approach, extra, t_walk = opening.walk_in(cast)
    t0 = t_walk + cast.seconds(rng.uniform(0.3, 1.0))
    raise_time = cast.seconds(0.5)
    waves = opening.count(cast)
    frequency = opening.frequency(cast) * min(cast.pace, 1.2)
    wave_end = t0 + raise_time + waves / frequency
    reaction = str(rng.choice(["responds", "still"], p=[0.75, 0.25]))
    latency = cast.reactor_style.latency + 0.3
    reply_waves = cast.count(1, 3)
    reply_end = t0 + latency + raise_time + reply_waves / frequency
    duration = max(wave_end, reply_end) + 0.5 + cast.seconds(rng.uniform(0.6, 1.5))
    distance = rng.uniform(1.6, 3.2) * cast.actor_style.distance
    actor, reactor = stage(cast, duration, distance)
    if approach:
        approach_from_afar(cast, actor, reactor, t0 - 0.2, extra)
    actor.ground()
    reactor.ground()
    reactor_side = "right" if rng.random() < 0.7 else "left"

    def wave_arm(body, arm: str, start: float, count: int, amplitude: float) -> np.ndarray:
        weight = blend_in(body, start, raise_time, start + raise_time + count / frequency + 0.1, 0.5)
        shoulder = body.point(f"{arm}_shoulder")
        out = body.side_vector(arm)
        swing = oscillation(body.num_frames, start + raise_time, count, frequency)
        hand = shoulder + 0.28 * UP + (0.22 + 0.1 * swing[:, None]) * out * amplitude + 0.12 * body.facing()
        body.set(f"{arm}_wrist", axis([0, 0, 1 if arm == "left" else -1], 0.2 * swing), weight)
        body.reach(arm, hand, weight, pole=-UP + out - 0.2 * body.facing())
        body.curl_fingers(arm, 0.25 * (1 - weight))
        return weight

    wave_arm(actor, side, t0, waves, cast.actor_style.amplitude)
    if reaction == "responds":
        wave_arm(reactor, reactor_side, t0 + latency, reply_waves, cast.reactor_style.amplitude)
    else:
        look = blend_in(reactor, t0 + latency, 0.4, duration - 0.3, 0.5)
        reactor.add("neck", axis([1, 0, 0], -0.1 * look))
    performance = cast.performance(hand=side, reactor_hand=reactor_side if reaction == "responds" else "none",
                                   repetitions=waves, approach=approach, reaction=reaction)
    return Take(actor, reactor, performance)


@choreography(0, contact=True)
def hug(cast: Cast) -> Take:
    rng = cast.rng
    approach = rng.random() < 0.6
    extra = rng.uniform(0.8, 1.8) if approach else 0.6
    reaction = str(rng.choice(["responds", "still"], p=[0.8, 0.2]))
    t_walk = walking_time(cast, extra)
    t0 = t_walk + cast.seconds(0.2)
    wrap = cast.seconds(0.8)
    hold = cast.seconds(rng.uniform(1.2, 3.5)) * (1.0 + 0.15 * (cast.group.familiarity - 2.5))
    latency = cast.reactor_style.latency
    release = t0 + wrap + latency + hold
    duration = release + 0.8 + cast.seconds(rng.uniform(0.6, 1.5))
    distance = rng.uniform(0.34, 0.40)  # chests close: the arms must be able to wrap, not just reach
    actor, reactor = stage(cast, duration, distance)
    approach_from_afar(cast, actor, reactor, t_walk, extra)  # people never start a hug from 40 cm
    actor.ground()
    reactor.ground()
    actor_weight = blend_in(actor, t0, wrap, release + 0.8, 0.8)
    reactor_weight = blend_in(reactor, t0 + latency, wrap, release + 0.8, 0.8)
    high = rng.random() < 0.6  # actor's arms over the reactor's arms, round the upper back (else under, the lower back)
    # both lean in (more to reach a waist) and turn their heads aside (each to their own left, so cheeks pass)
    for body, weight in ((actor, actor_weight), (reactor, reactor_weight if reaction == "responds" else actor_weight)):
        body.add("spine2", axis([1, 0, 0], (0.15 if high else 0.2) * weight))
        body.add("neck", axis([0, 1, 0], 0.5 * weight))
    upper, lower = ("spine3", 0.03, -0.12, 0.07), ("spine2", -0.02, -0.11, 0.09)  # palms near the spine
    joint, height, depth, width = upper if high else lower
    touches = []
    for side, sign in (("left", -1.0), ("right", 1.0)):
        # the actor's left hand lands on the reactor's right side of the back, and vice versa
        offset = (sign * width, height, depth)
        target = reactor.point(joint, offset)
        actor.reach(side, target, actor_weight, pole=(0.2 if high else -0.4) * UP + actor.side_vector(side))
        actor.curl_fingers(side, 0.25 - 0.15 * actor_weight)
        touches.append(Touch(f"{side}_middle1", (0.0, 0.0, 0.0), joint, offset, t0 + wrap + latency, release))
    if reaction == "responds":
        joint, height, depth, width = lower if high else upper  # the other way round: under or over
        for side, sign in (("left", -1.0), ("right", 1.0)):
            target = actor.point(joint, (sign * width, height, depth))
            reactor.reach(side, target, reactor_weight, pole=(-0.4 if high else 0.2) * UP + reactor.side_vector(side))
    performance = cast.performance(hand="both", reactor_hand="both" if reaction == "responds" else "none",
                                   repetitions=1, approach=approach, reaction=reaction,
                                   spot="upper back" if high else "lower back",
                                   reactor_spot="lower back" if high else "upper back")
    return Take(actor, reactor, performance, tuple(touches))
