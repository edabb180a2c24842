"""Setting up one interaction: who acts, how they move, where they stand.

A choreography (one per category, in `interx.synth.actions`) receives a
`Cast`, decides its timeline, calls `stage` to place the two bodies, poses
them, and returns them with the `Performance` its texts will describe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from interx.synth.curves import envelope, sway
from interx.synth.performance import SPEEDS, Performance
from interx.synth.rig import FPS, Body, axis, facing_yaw
from interx.synth.subjects import Group, Style

SPEED_FACTOR = {"slow": 0.75, "normal": 1.0, "fast": 1.3}


@dataclass
class Cast:
    """Everything drawn before the motion: the subjects, their styles, the actor, the speed."""

    rng: np.random.Generator
    action: int
    actor: int  # 0: P1 acts, 1: P2 acts
    group: Group
    speed: str
    hand: str  # the actor's preferred side for this take

    @property
    def actor_style(self) -> Style:
        return self.group.style(self.actor)

    @property
    def reactor_style(self) -> Style:
        return self.group.style(1 - self.actor)

    @property
    def pace(self) -> float:
        """Time scale of the actor's gestures: > 1 means faster."""
        return SPEED_FACTOR[self.speed] * self.actor_style.tempo

    def count(self, low: int, high: int) -> int:
        """A whole number of repetitions from `low` to `high`, both included."""
        return int(self.rng.integers(low, high + 1))

    def seconds(self, duration: float) -> float:
        """A nominal duration at this take's pace, with a little natural variation."""
        return duration / self.pace * float(self.rng.uniform(0.9, 1.1))

    def performance(self, **facts) -> Performance:
        facts.setdefault("hand", self.hand)
        facts.setdefault("speed", self.speed)
        return Performance(action=self.action, actor=self.actor, **facts)


def draw_cast(rng: np.random.Generator, action: int, group: Group) -> Cast:
    return Cast(
        rng=rng,
        action=action,
        actor=int(rng.integers(0, 2)),
        group=group,
        speed=str(rng.choice(SPEEDS, p=[0.25, 0.5, 0.25])),
        hand="right" if rng.random() < 0.75 else "left",
    )


def stage(cast: Cast, duration: float, distance: float) -> tuple[Body, Body]:
    """Two bodies `distance` m apart (pelvis to pelvis), facing each other, somewhere on the floor.

    Returns (actor, reactor). Both get their posture and idle sway; the take lasts `duration` s.
    """
    rng = cast.rng
    num_frames = int(round(duration * FPS))
    direction_yaw = rng.uniform(-np.pi, np.pi)
    direction = np.array([np.sin(direction_yaw), np.cos(direction_yaw)])
    middle = rng.uniform(-0.8, 0.8, 2)
    subjects = cast.group.subjects
    actor = Body(num_frames, subjects[cast.actor].betas, middle - 0.5 * distance * direction, direction_yaw)
    reactor = Body(num_frames, subjects[1 - cast.actor].betas, middle + 0.5 * distance * direction,
                   facing_yaw(-direction))
    for person, body, style in ((cast.actor, actor, cast.actor_style), (1 - cast.actor, reactor, cast.reactor_style)):
        for joint, offset in cast.group.posture(person).items():  # before the choreography: its reaches see it
            body.add(joint, offset)
        idle(body, rng, style.idle)
    return actor, reactor


def idle(body: Body, rng: np.random.Generator, amount: float) -> None:
    """Breathing and weight shift, so nobody stands frozen."""
    n = body.num_frames
    body.add("spine1", axis([1, 0, 0], sway(n, rng, 0.02 * amount)))
    body.add("spine3", axis([0, 1, 0], sway(n, rng, 0.03 * amount)))
    body.add("neck", axis([0, 1, 0], sway(n, rng, 0.05 * amount, period=5.0)))
    body.add("pelvis", axis([0, 0, 1], sway(n, rng, 0.015 * amount, period=6.0)))
    for side in ("left", "right"):
        body.add(f"{side}_shoulder", axis([1, 0, 0], sway(n, rng, 0.03 * amount)))


def face(body: Body, other: Body) -> np.ndarray:
    """Yaw per frame that turns `body` toward `other`."""
    delta = other.floor_xz - body.floor_xz
    return facing_yaw(delta)


def walk_to(body: Body, start: float, end: float, target_xz: np.ndarray, stride: float = 0.65) -> None:
    """Walk in a straight line from where the body is at `start` to `target_xz`, arriving at `end`."""
    i = min(int(start * FPS), body.num_frames - 1)
    origin = body.floor_xz[i].copy()
    before = body.floor_xz[:i].copy()
    body.walk_path([start, end], [origin, target_xz], stride=stride)
    body.floor_xz[:i] = before


def blend_in(body: Body, start: float, rise: float, end: float, fall: float) -> np.ndarray:
    """A 0-1 weight curve for a gesture held between `start` and `end` (seconds)."""
    return envelope(body.num_frames, start, rise, end, fall)


Choreography = Callable[[Cast], tuple[Body, Body, Performance]]


def approach_from_afar(cast: Cast, actor: Body, reactor: Body, arrive: float, extra: float) -> None:
    """The actor starts `extra` m farther back and walks in, arriving at `arrive` s."""
    goal = actor.floor_xz[0].copy()
    away = goal - reactor.floor_xz[0]
    away /= np.linalg.norm(away)
    actor.floor_xz[:] = goal + extra * away
    walk_to(actor, 0.0, arrive, goal, stride=0.65 * cast.actor_style.amplitude ** 0.3)


def walking_time(cast: Cast, extra: float) -> float:
    """Seconds to walk `extra` m at a natural 1.0-1.3 m/s scaled by the take's pace."""
    return extra / (1.15 * min(cast.pace, 1.25)) + 0.3


def draw_approach(cast: Cast, chance: float, low: float, high: float) -> tuple[bool, float, float]:
    """Whether the actor walks in (with probability `chance`), from how far (`low`-`high` m), and the
    walk's duration (s); a take without a walk-in draws no distance."""
    approach = bool(cast.rng.random() < chance)
    extra = float(cast.rng.uniform(low, high)) if approach else 0.0
    return approach, extra, walking_time(cast, extra) if approach else 0.0
