"""The Waldo and Wenda evaluation on a small handmade case, and its input checks."""

import json

import numpy as np
import pytest

from interx.errors import FormatError
from interx.hhi.evaluate import BenchmarkItem, evaluate_predictions, read_benchmark, read_predictions


class FakeVectors:
    """Word vectors where hugging and embracing are close, everything else orthogonal."""

    class source:
        name = "fake"

    table = {"hugging": np.array([1.0, 0.0, 0.0]), "embracing": np.array([0.8, 0.6, 0.0]),
             "kissing": np.array([0.0, 0.0, 1.0])}

    def similarity(self, pairs):
        out = []
        for a, b in pairs:
            va, vb = self.table.get(a), self.table.get(b)
            out.append(0.0 if va is None or vb is None else float(va @ vb))
        return np.array(out)


ITEMS = [BenchmarkItem("ww", "001", "_ hugging _", "_ hugs _."),
         BenchmarkItem("ww", "002", "_ kissing _", "_ kisses _."),
         BenchmarkItem("coco", "003", "_ hugging _", "Two people hug.")]
FILL = ["_ walking with _"] * 6


def test_scores_take_the_best_of_the_first_k_and_average_the_source_means():
    predictions = {"001": ["_ embracing _", "_ hugging _"] + FILL, "002": ["_ hugging _"] * 6 + ["_ kissing _"] * 2,
                   "003": ["_ hugged by _", "_ hugs _"] + FILL}
    scores = evaluate_predictions(ITEMS, predictions, vectors=FakeVectors())
    ww, coco = scores["by_source"]["ww"], scores["by_source"]["coco"]
    # ww: item 1 matches at rank 2, item 2 at rank 7
    assert ww["verb_match@1"] == 0.0 and ww["verb_match@5"] == 0.5 and ww["verb_match@8"] == 1.0
    assert ww["verb_similarity@1"] == pytest.approx((0.8 + 0.0) / 2)
    # coco: "hugged" is not a gerund of the label form but its lemma is still "hug"
    assert coco["verb_match@1"] == 1.0
    assert scores["overall"]["verb_match@1"] == pytest.approx((0.0 + 1.0) / 2)  # mean of source means, not items
    assert scores["sources"] == {"coco": 1, "ww": 2}


def test_contradiction_takes_the_lowest_of_k():
    def nli(premises, hypotheses):
        return np.array([[0.9, 0.05] if "hugging" in h else [0.1, 0.8] for h in hypotheses])

    predictions = {"001": ["_ kissing _", "_ hugging _"] + FILL, "002": ["_ kissing _"] * 8,
                   "003": ["_ hugging _"] * 8}
    scores = evaluate_predictions(ITEMS, predictions, vectors=FakeVectors(), entailment=nli)
    ww = scores["by_source"]["ww"]
    assert ww["entailment@1"] == pytest.approx((0.1 + 0.1) / 2)
    assert ww["entailment@5"] == pytest.approx((0.9 + 0.1) / 2)
    assert ww["contradiction@1"] == pytest.approx(0.8)
    assert ww["contradiction@5"] == pytest.approx((0.05 + 0.8) / 2)


def test_ids_are_strings_and_short_lists_are_refused(tmp_path):
    csv_path = tmp_path / "b.csv"
    csv_path.write_text('source,id,label,caption,url\nww,007,_ hugging _,"_ hugs _",\n')
    items = read_benchmark(csv_path)
    assert items[0].id == "007"
    good = tmp_path / "p.json"
    good.write_text(json.dumps({"007": ["_ hugging _"] * 8}))
    assert read_predictions(good, items)["007"][0] == "_ hugging _"
    short = tmp_path / "s.json"
    short.write_text(json.dumps({"007": ["_ hugging _"] * 3}))
    with pytest.raises(FormatError, match="at least 8"):
        read_predictions(short, items)
    (tmp_path / "m.json").write_text(json.dumps({"7": ["_ hugging _"] * 8}))
    with pytest.raises(FormatError, match="'007'"):
        read_predictions(tmp_path / "m.json", items)
