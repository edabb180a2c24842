"""Caption -> label rules on hand-written captions."""

import pytest

from interx.hhi.bridge import text_label
from interx.hhi.parse import caption_labels, load_parser


@pytest.fixture(scope="module")
def nlp():
    return load_parser()


@pytest.mark.parametrize("caption, label", [
    ("Two men shaking hands in a park.", "_ shaking hands with _"),
    ("A man hugs a woman at the airport.", "_ hugging _"),
    ("_ is shown a historical photograph album by _ .", "_ showing _ a historical photograph album"),
    ("A woman is cutting a man's hair.", "_ cutting _'s hair"),
    ("A coach teaches a boy to ride a bicycle.", "_ teaching _"),
    ("President _ welcomes Cardinal _ during a courtesy call.", "_ welcoming _"),
])
def test_the_interaction_of_a_caption_comes_first(nlp, caption, label):
    assert caption_labels(nlp, caption)[0] == label


@pytest.mark.parametrize("caption", ["A dog runs in the park.", "A red car parked on the street.",
                                     "A man is standing alone."])
def test_no_label_without_two_people_interacting(nlp, caption):
    assert caption_labels(nlp, caption) == []


def test_motion_texts_give_their_main_interaction(nlp):
    assert text_label(nlp, "One person hugs the other. They hold for two seconds.") == "_ hugging _"
    assert text_label(nlp, "The first person waves at the second person.") == "_ waving at _"
    assert text_label(nlp, "Nothing happens here.") is None
