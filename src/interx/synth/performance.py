"""What a generated interaction actually did: the facts its texts describe.

Choreographies fill one `Performance` per sequence from the same random
draws that shape the motion, so the three texts can only say what the bodies
do (which hand, who starts, how fast, how many times, how the other reacts).
"The first person" in a text is always the actor, the one who starts.
"""

from __future__ import annotations

from dataclasses import dataclass

HANDS = ("left", "right", "both")
SPEEDS = ("slow", "normal", "fast")
# How the reactor answers: in kind (waves back, returns the hug, shakes the
# offered hand, pushes back), by pulling away (steps back, staggers, turns
# away, dodges), or by staying still and letting it happen.
REACTIONS = ("responds", "recoils", "still")


@dataclass(frozen=True)
class Performance:
    action: int           # 0-39, line of action_setting.txt
    actor: int            # 0: P1 is the actor, 1: P2 is the actor (interaction_order.pkl)
    hand: str             # the actor's hand (or foot, for kicks and steps): one of HANDS
    reactor_hand: str     # the reactor's hand when it uses one: one of HANDS, or "none"
    speed: str            # one of SPEEDS
    repetitions: int      # count of the main gesture: waves, pumps, pats, hits, steps of a dance
    approach: bool        # the actor first walks toward the reactor
    reaction: str         # one of REACTIONS
    spot: str = "back"    # where the actor's hands land when it varies ("upper back", "waist"); text slot {spot}
    reactor_spot: str = "back"  # the same for the reactor's hands; text slot {r_spot}
    limb: str = "arm"     # what the actor strikes with where it varies (Block): "arm" (a fist) or "leg" (a foot)

    def __post_init__(self) -> None:
        if not 0 <= self.action < 40:
            raise ValueError(f"action must be 0-39, got {self.action}")
        if self.actor not in (0, 1):
            raise ValueError(f"actor must be 0 or 1, got {self.actor}")
        if self.hand not in HANDS:
            raise ValueError(f"hand must be one of {HANDS}, got {self.hand!r}")
        if self.reactor_hand not in (*HANDS, "none"):
            raise ValueError(f"reactor_hand must be one of {HANDS} or 'none', got {self.reactor_hand!r}")
        if self.speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}, got {self.speed!r}")
        if self.repetitions < 1:
            raise ValueError(f"repetitions must be >= 1, got {self.repetitions}")
        if self.limb not in ("arm", "leg"):
            raise ValueError(f"limb must be 'arm' or 'leg', got {self.limb!r}")
        if self.reaction not in REACTIONS:
            raise ValueError(f"reaction must be one of {REACTIONS}, got {self.reaction!r}")
