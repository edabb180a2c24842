"""The fixed cast of the synthetic dataset: 59 groups of two subjects.

Each group has a familiarity (1-4) and each subject a body shape, a gender
and a Big-Five vector (NEO-FFI scale, 0-48 per trait: openness,
conscientiousness, extraversion, agreeableness, neuroticism). They are fixed
for a given dataset seed and change how the subjects move (`Style`) and
hold themselves (`Group.posture`), so that stylized generation, familiarity
recognition and personality regression have something to learn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NUM_GROUPS = 59
TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
TRAIT_MEANS = np.array([29.0, 32.0, 28.0, 31.0, 21.0])  # the cast's traits are drawn around these
TRAIT_SPREAD = 6.0  # ... with this standard deviation
POSTURE_PER_SD = 0.08  # rad of posture per standard deviation of a trait (about 4.6 degrees)
LEAN_PER_CLOSENESS = 0.1  # rad of forward lean from strangers (-1) to the most familiar (+1)


@dataclass(frozen=True)
class Subject:
    betas: np.ndarray  # (10,)
    gender: str
    big_five: np.ndarray  # (5,), 0-48


@dataclass(frozen=True)
class Style:
    """How one subject moves with one partner: the motion parameters the labels drive."""

    distance: float  # preferred face-to-face distance, metres
    amplitude: float  # scale of gestures (1 = average)
    tempo: float  # speed multiplier of gestures and walking (1 = average)
    latency: float  # reaction delay, seconds
    idle: float  # amount of idle sway (1 = average)


@dataclass(frozen=True)
class Group:
    number: int
    familiarity: int  # 1 (strangers) .. 4 (most familiar)
    subjects: tuple[Subject, Subject]

    def style(self, person: int) -> Style:
        o, c, e, a, n = (self.subjects[person].big_five - 24.0) / 8.0  # about -3..3
        closeness = (self.familiarity - 2.5) / 1.5  # -1..1
        return Style(
            distance=float(np.clip(1.0 - 0.15 * closeness - 0.05 * e + 0.05 * n, 0.65, 1.35)),
            amplitude=float(np.clip(1.0 + 0.10 * e + 0.04 * o - 0.03 * c, 0.75, 1.3)),
            tempo=float(np.clip(1.0 + 0.07 * e + 0.04 * n - 0.04 * c + 0.03 * closeness, 0.8, 1.25)),
            latency=float(np.clip(0.5 - 0.06 * a - 0.08 * closeness + 0.05 * n, 0.25, 0.9)),
            idle=float(np.clip(1.0 + 0.15 * n - 0.12 * c, 0.5, 1.6)),
        )

    def posture(self, person: int) -> dict[str, np.ndarray]:
        """Constant axis-angle offsets per joint: how this subject holds the body next to this partner.

        The style above changes motion only a few percent against the far larger
        differences between takes, so the labels were nearly invisible in single
        clips. A posture shows in every frame: familiar pairs lean toward each
        other (immediacy), and each trait has its own joint: extraversion the
        chest (upright, open), conscientiousness the shoulders (drawn back, not
        rounded), neuroticism the head (lowered), agreeableness the head's tilt,
        openness the arms (held away from the body).
        """
        o, c, e, a, n = (self.subjects[person].big_five - TRAIT_MEANS) / TRAIT_SPREAD
        k = POSTURE_PER_SD
        closeness = (self.familiarity - 2.5) / 1.5
        return {
            "spine1": np.array([LEAN_PER_CLOSENESS * closeness, 0.0, 0.0]),  # spine flexion is about +X
            "spine3": np.array([-0.6 * k * e, 0.0, 0.0]),  # less: a slumped chest meets a hand laid on it
            "left_collar": np.array([0.0, k * c, 0.0]),  # about -Y the left shoulder rounds forward
            "right_collar": np.array([0.0, -k * c, 0.0]),
            "neck": np.array([k * n, 0.0, k * a]),
            "left_shoulder": np.array([0.0, 0.0, k * o]),  # about +Z the left arm rises to the side
            "right_shoulder": np.array([0.0, 0.0, -k * o]),
        }


def make_groups(seed: int) -> list[Group]:
    """The 59 groups for a dataset seed (same seed, same cast)."""
    rng = np.random.default_rng([seed, 59])
    groups = []
    for number in range(1, NUM_GROUPS + 1):
        subjects = []
        for _ in range(2):
            gender = str(rng.choice(["male", "female"]))
            betas = rng.normal(0.0, 0.8, 10)
            betas[0] += 0.6 if gender == "male" else -0.6  # stature differs on average
            big_five = np.clip(rng.normal(TRAIT_MEANS, TRAIT_SPREAD), 0, 48).round(1)
            subjects.append(Subject(betas.astype(np.float32), gender, big_five))
        groups.append(Group(number, int(rng.integers(1, 5)), tuple(subjects)))
    return groups
