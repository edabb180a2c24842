"""One choreography per Inter-X category, registered by action number.

A choreography takes a `Cast` and returns the actor's and the reactor's
`Body` and the `Performance` (see `interx.synth.stage`). It declares the
contacts it makes with `Touch` records, so tests can check that the named
body parts really meet; categories without contact keep the two bodies
apart (over 30 cm between any joints).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from interx.synth.performance import Performance
from interx.synth.rig import Body
from interx.synth.stage import Cast


@dataclass(frozen=True)
class Touch:
    """The actor's point meets the reactor's point at some frame in [start, end] seconds.

    Points are (joint name, offset in that joint's world frame, metres): the
    palm is ("right_middle1", (0, 0, 0)); a spot on the upper back is
    ("spine3", (0, 0, -0.12)).
    """

    actor_joint: str
    actor_offset: tuple[float, float, float]
    reactor_joint: str
    reactor_offset: tuple[float, float, float]
    start: float
    end: float


@dataclass(frozen=True)
class Take:
    actor: Body
    reactor: Body
    performance: Performance
    touches: tuple[Touch, ...] = ()


CHOREOGRAPHIES: dict[int, Callable[[Cast], Take]] = {}
CONTACT_ACTIONS: set[int] = set()


def choreography(action: int, contact: bool):
    """Register `fn` as the choreography of `action`; `contact` says whether the category touches."""

    def register(fn: Callable[[Cast], Take]) -> Callable[[Cast], Take]:
        if action in CHOREOGRAPHIES:
            raise ValueError(f"action {action} registered twice")
        CHOREOGRAPHIES[action] = fn
        if contact:
            CONTACT_ACTIONS.add(action)
        return fn

    return register


def touch_distance(take: Take, contact: Touch) -> np.ndarray:
    """Distance per frame between the two points of `contact`."""
    a = take.actor.point(contact.actor_joint, contact.actor_offset)
    b = take.reactor.point(contact.reactor_joint, contact.reactor_offset)
    return np.linalg.norm(a - b, axis=-1)


# importing the modules registers their choreographies
from interx.synth.actions import gesture, greet, move, strike, touch  # noqa: E402,F401
