"""HHI label grammar, pseudo-label weights and the motion bridge."""

import numpy as np
import pytest

from interx.hhi.bridge import CATEGORY_LABELS, category_label, first_sentence, label_prompt
from interx.hhi.labels import LabelError, normalize_label, problems
from interx.hhi.weights import pseudo_label_weights


@pytest.mark.parametrize("label", ["_ hugging _", "_ shaking hands with _", "_ teaching _ to ride a bicycle",
                                   "_ cutting _'s hair", "_ putting his arm around _", "_ high-fiving _"])
def test_valid_labels_pass_unchanged(label):
    assert problems(label) == []
    assert normalize_label(label) == label


@pytest.mark.parametrize("raw, normal", [
    ("_ and _ shaking hands", "_ shaking hands with _"),
    ("_ is hugging _", "_ hugging _"),
    ("_ are dancing with _", "_ dancing with _"),
    ("  _  Hugging   _ ", "_ hugging _"),
])
def test_common_variants_are_rewritten(raw, normal):
    assert normalize_label(raw) == normal


def test_places_without_a_person_are_dropped_on_request():
    assert normalize_label("_ hugging _ in the park", drop_place=True) == "_ hugging _"
    assert normalize_label("_ hugging _ in the park") == "_ hugging _ in the park"
    assert normalize_label("_ sitting next to _ at the table", drop_place=True) == "_ sitting next to _"


@pytest.mark.parametrize("label, reason", [
    ("_ hugging", "exactly two person slots"),
    ("_ hugging _ and _", "exactly two person slots"),
    ("_ hug _", "needs a gerund"),
    ("hugging _ _", "must begin with the first person's slot"),
    ("_ hugging _ and a man", "names a person outside the slots: 'man'"),
    ("_ hugging her", "names a person"),
    ("_ hugging _x", "a slot must stand alone"),
])
def test_invalid_labels_are_rejected_with_the_reason(label, reason):
    with pytest.raises(LabelError, match=reason):
        normalize_label(label)


def test_pseudo_label_weights_follow_the_published_recipe():
    labels = ["_ hugging _"] * 16 + ["_ kissing _"]
    captions = [f"c{i}" for i in range(17)]
    w = pseudo_label_weights(labels, captions)
    raw = np.array([16 ** -0.25] * 16 + [1.0])
    np.testing.assert_allclose(w, raw / raw.mean())
    assert w.mean() == pytest.approx(1.0)
    assert w[-1] / w[0] == pytest.approx(2.0)  # 16 times rarer: 16^0.25 = 2 times heavier
    shared = pseudo_label_weights(["_ hugging _", "_ kissing _", "_ hugging _"], ["a", "a", "b"])
    base = np.array([2 ** -0.25, 1.0, 2 ** -0.25])
    np.testing.assert_allclose(shared, base / base.mean() / [2, 2, 1])


def test_every_category_has_a_valid_label():
    assert len(CATEGORY_LABELS) == 40
    assert [category_label(i) for i in range(3)] == ["_ hugging _", "_ shaking hands with _", "_ waving to _"]
    for name, label in CATEGORY_LABELS.items():
        assert problems(label) == [], name
    assert first_sentence("One hugs the other. They hold still.") == "One hugs the other."


def test_labels_become_prompts_for_the_generator():
    assert label_prompt("_ hugging _") == "one person hugging the other person."
    assert label_prompt("_ cutting _'s hair") == "one person cutting the other person's hair."
    with pytest.raises(LabelError):
        label_prompt("hugging")
