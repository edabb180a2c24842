"""What each choreography draws first, one row per category.

Whether the actor walks in and from how far, how often the main gesture
repeats and at what tempo: the numbers that set a take's opening, kept in
one table so a choreography holds only what makes it different. Each
choreography still draws them in its own order (the same seed must give
the same take).
"""

from __future__ import annotations

from dataclasses import dataclass

from interx.synth.stage import Cast, draw_approach


@dataclass(frozen=True)
class Opening:
    """A category's opening draws; `walk_in`, `count` and `frequency` each draw one of them."""

    chance: float  # that the actor walks in from afar
    distance: tuple[float, float]  # how far back it then starts, m
    repetitions: tuple[int, int] = (1, 1)  # count of the main gesture, both ends included
    tempo: tuple[float, float] = (1.0, 1.0)  # frequency of the main gesture, Hz, before the take's pace

    def walk_in(self, cast: Cast) -> tuple[bool, float, float]:
        """Whether the actor walks in, from how far (m), and the walk's duration (s)."""
        return draw_approach(cast, self.chance, *self.distance)

    def count(self, cast: Cast) -> int:
        return cast.count(*self.repetitions)

    def frequency(self, cast: Cast) -> float:
        return float(cast.rng.uniform(*self.tempo))


# action -> opening. Not here: Walk towards, Chase and Dance (no walk-in), Hug and Whisper in ear
# (they start a step closer without one): they draw in place.
OPENINGS: dict[int, Opening] = {
    1: Opening(0.5, (1.0, 2.0), repetitions=(2, 4), tempo=(2.0, 3.0)),  # handshake
    2: Opening(0.2, (0.8, 1.5), repetitions=(2, 4), tempo=(1.6, 2.4)),  # wave
    3: Opening(0.4, (0.8, 1.6)),  # grab
    4: Opening(0.35, (0.8, 1.6), repetitions=(1, 3)),  # hit
    5: Opening(0.3, (0.8, 1.6), repetitions=(1, 2)),  # kick
    6: Opening(0.5, (1.2, 2.2)),  # posing
    7: Opening(0.4, (0.8, 1.6)),  # push
    8: Opening(0.35, (0.8, 1.6)),  # pull
    9: Opening(0.6, (1.0, 1.8)),  # sit_on_leg
    10: Opening(0.4, (0.8, 1.6)),  # slap
    11: Opening(0.5, (1.0, 2.0), repetitions=(2, 4), tempo=(1.8, 2.8)),  # pat_on_back
    12: Opening(0.25, (0.8, 1.6), repetitions=(1, 3), tempo=(1.8, 2.6)),  # point_finger
    14: Opening(0.5, (0.8, 1.6)),  # knock_over
    15: Opening(0.5, (0.8, 1.6)),  # step_on_foot
    16: Opening(0.5, (0.8, 1.8)),  # high_five
    19: Opening(0.5, (0.8, 1.8)),  # support_with_hand
    20: Opening(0.2, (0.6, 1.2), repetitions=(1, 3), tempo=(1.7, 2.3)),  # rock_paper_scissors
    22: Opening(0.5, (0.8, 1.6)),  # link_arms
    23: Opening(0.5, (0.8, 1.6), repetitions=(2, 3), tempo=(1.2, 1.8)),  # shoulder_to_shoulder
    24: Opening(0.3, (1.0, 2.0)),  # bend
    25: Opening(0.3, (0.8, 1.3), repetitions=(2, 4)),  # carry_on_back
    26: Opening(0.5, (0.8, 1.6), repetitions=(3, 8), tempo=(1.0, 1.5)),  # massaging_shoulder
    27: Opening(0.5, (0.8, 1.5), repetitions=(3, 6), tempo=(1.0, 1.5)),  # massaging_leg
    28: Opening(0.3, (0.8, 1.6), repetitions=(2, 4), tempo=(0.75, 1.1)),  # hand_wrestling
    29: Opening(0.2, (0.6, 1.4)),  # chat
    30: Opening(0.4, (0.8, 1.8), repetitions=(1, 3), tempo=(2.0, 3.0)),  # pat_on_cheek
    31: Opening(0.2, (0.6, 1.4), repetitions=(1, 2), tempo=(1.5, 2.2)),  # thumb_up
    32: Opening(0.4, (0.8, 1.8), repetitions=(2, 4), tempo=(1.5, 2.5)),  # touch_head
    33: Opening(0.15, (0.6, 1.2), repetitions=(2, 3)),  # imitate
    34: Opening(0.5, (0.8, 1.6)),  # kiss_on_cheek
    35: Opening(0.6, (1.0, 2.0)),  # help_up
    36: Opening(0.4, (0.8, 1.8)),  # cover_mouth
    37: Opening(0.6, (1.0, 2.0), repetitions=(1, 3), tempo=(1.8, 2.4)),  # look_back
    38: Opening(0.3, (0.8, 1.6), repetitions=(1, 2)),  # block
    39: Opening(0.15, (0.6, 1.2)),  # fly_kiss
}
