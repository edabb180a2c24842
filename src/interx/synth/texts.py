"""Three annotator-style descriptions of one generated interaction.

Inter-X pairs every sequence with three free-form texts written by different
annotators: part-level ("raises the right hand"), directional ("toward the
second person"), always calling the one who starts "the first person".
`describe` writes such texts from a `Performance`, so a synthetic text names
only what the bodies did: the actor's hand (or leg/foot for Kick and Step on
foot), the reactor's hand when it uses one, the speed ("slowly"/"quickly",
nothing for normal), the count of the main gesture where counting makes sense,
the walk toward the other person when there is one, and the reaction.

Each category has its own pools of clause patterns (`interx.synth.text_pools`):
actions (what the first person does) and, per reaction, what the second
person does. The three texts
use three different sentence frames, action patterns and reaction patterns,
like three annotators describing the same clip.

Pattern slots: {adv} speed adverb; {hand}, {arm}, {leg}, {foot}, {fist},
{finger}, {it} the actor's side ("the right hand", "both hands", "it"/"them");
{times} the repetition count; {r_hand}, {r_arm}, {r_fist}, {r_finger} the
reactor's side; {spot} and {r_spot} where the actor's and the reactor's hands
land, and {blow} the actor's fist or foot, for categories where that varies.
Square brackets in reaction patterns hold the part that names the reactor's
hand; it is dropped when the reactor uses no hand.
"""

from __future__ import annotations

import re

import numpy as np

from interx.data.annotations import official_action_names
from interx.synth.performance import Performance
from interx.synth.text_pools import APPROACHES, FRAMES, POOLS

_ACTION_NAMES = official_action_names()

# Categories whose texts never name the actor's hand: the whole body acts
# (walking, running, bowing, turning to look, talking). Choreographies still
# set `hand`; these texts ignore it.
HANDLESS_ACTIONS = frozenset(
    _ACTION_NAMES.index(name) for name in ("Walk towards", "Chase", "Bend", "Chat")
)
# Categories where the main gesture is counted in the texts ("waves twice").
COUNTED_ACTIONS = frozenset(
    _ACTION_NAMES.index(name)
    for name in (
        "Handshake", "Wave", "Hit", "Kick", "Push", "Pull", "Slap", "Pat on back", "Point finger at",
        "Step on foot", "High-five", "Rock-paper-scissors", "Dance", "Massaging shoulder", "Massaging leg",
        "Pat on cheek", "Touch head", "Kiss on cheek", "Fly kiss", "Bend",
    )
)
# Categories whose action already is the walk (or run) toward the second
# person: `approach` adds nothing to their texts.
APPROACH_ACTIONS = frozenset(_ACTION_NAMES.index(name) for name in ("Walk towards", "Chase"))

_ADVERBS = {"slow": "slowly", "normal": "", "fast": "quickly"}
_COUNTS = {1: "once", 2: "twice", 3: "three times", 4: "four times"}
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def count_word(n: int) -> str:
    """How a text says a repetition count: once, twice, three times, four times, several times."""
    if n < 1:
        raise ValueError(f"count must be >= 1, got {n}")
    return _COUNTS.get(n, "several times")


def _parts(side: str) -> dict[str, str]:
    """Body-part phrases for one side: the right hand / both hands, and so on."""
    if side == "both":
        return {"hand": "both hands", "arm": "both arms", "leg": "both legs", "foot": "both feet",
                "fist": "both fists", "finger": "both index fingers", "it": "them"}
    return {"hand": f"the {side} hand", "arm": f"the {side} arm", "leg": f"the {side} leg",
            "foot": f"the {side} foot", "fist": f"the {side} fist", "finger": f"the {side} index finger", "it": "it"}


def _three(pool: tuple[str, ...], rng: np.random.Generator) -> list[str]:
    """Three different entries of a pool (every pool has at least three), in random order."""
    return [pool[i] for i in rng.permutation(len(pool))[:3]]


def describe(performance: Performance, rng: np.random.Generator) -> list[str]:
    """Three different one-line texts for `performance`, drawn only from `rng`."""
    pool = POOLS[_ACTION_NAMES[performance.action]]
    slots = {"adv": _ADVERBS[performance.speed], "times": count_word(performance.repetitions),
             "spot": performance.spot, "r_spot": performance.reactor_spot, **_parts(performance.hand)}
    slots["blow"] = slots["fist" if performance.limb == "arm" else "foot"]
    if performance.reactor_hand != "none":
        slots.update({f"r_{key}": value for key, value in _parts(performance.reactor_hand).items()})
    keep_reactor_part = r"\1" if performance.reactor_hand != "none" else ""

    # three different frames: the texts differ even where a pool repeats wording
    frames = _three(FRAMES, rng)
    actions = _three(pool.actions, rng)
    reactions = _three(getattr(pool, performance.reaction), rng)
    walks = performance.approach and performance.action not in APPROACH_ACTIONS
    approaches = _three(APPROACHES, rng) if walks else [""] * 3

    texts = []
    for frame, action, reaction, approach in zip(frames, actions, reactions, approaches):
        reaction = _BRACKETS.sub(keep_reactor_part, reaction)
        text = frame.format(action=f"{approach} {action}", reaction=reaction).format(**slots)
        texts.append(" ".join(text.split()).replace(" ,", ",").replace(" .", "."))
    return texts
