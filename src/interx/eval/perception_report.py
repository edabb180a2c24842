"""Tables of the perception models: test scores beside the baselines, and predictions per clip."""

from __future__ import annotations

from rich.table import Table

NAMES = {"verb_accuracy@1": "verb acc. @1", "verb_accuracy@8": "verb acc. @8", "top1": "top-1", "top5": "top-5",
         "accuracy": "accuracy", "r2_mean": "R² mean", "bleu1": "BLEU@1",
         "bleu4": "BLEU@4", "rouge_l": "ROUGE-L", "cider_d": "CIDEr-D", "minilm_similarity": "MiniLM sim."}


def _name(metric: str) -> str:
    return NAMES.get(metric, metric.replace("r2_", "R² "))


def _scores_table(title: str, rows: dict[str, dict[str, float]], digits: int) -> Table:
    metrics = list(next(iter(rows.values())))
    table = Table(title=title)
    table.add_column("model")
    for metric in metrics:
        table.add_column(_name(metric), justify="right")
    for model, scores in rows.items():
        table.add_row(model, *(f"{scores[m]:.{digits}f}" for m in metrics))
    return table


def recognition_table(report: dict) -> Table:
    """The test split's scores of the recognizer, the majority class and the nearest neighbour."""
    return _scores_table(f"{report['task']} on the test split ({report['clips']['test']} clips, "
                         f"{report['minutes']} min of training)", report["test"], 3)


def captioning_table(report: dict) -> Table:
    """BLEU, ROUGE-L (0-100), CIDEr-D and MiniLM similarity of the captioner and the baseline."""
    return _scores_table(f"captions of the test split ({report['clips']['test']} clips, {report['minutes']} min of "
                         "training)", report["test"], 3)


def captioning_scores_table(scores: dict[str, dict[str, float]], clips: int, split: str) -> Table:
    return _scores_table(f"captions of the {split} split ({clips} clips)", scores, 3)


def prediction_tables(task: str, results: dict[str, dict], limit: int | None = None) -> list[Table]:
    """One table per clip (the first `limit` clips), as `interx.models.perception.describe` gives them."""
    tables = []
    for seq_id, result in list(results.items())[:limit]:
        table = Table(title=seq_id)
        if "top" in result:
            table.add_column("label")
            table.add_column("probability", justify="right")
            for entry in result["top"]:
                table.add_row(entry["label"], f"{entry['probability']:.3f}")
        elif "actor" in result:
            table.add_column("person")
            table.add_column("P(actor)", justify="right")
            for person, p in result["probability"].items():
                table.add_row(person, f"{p:.3f}")
        else:
            traits = list(result["P1"])
            table.add_column("person")
            for trait in traits:
                table.add_column(trait, justify="right")
            for person in ("P1", "P2"):
                table.add_row(person, *(f"{result[person][t]:.1f}" for t in traits))
        tables.append(table)
    return tables


def image_labeler_table(report: dict) -> Table:
    """Verb accuracy of the image labeler and the majority labels on the held-out images."""
    return _scores_table(f"labels of {report['images']['test']} held-out images ({report['minutes']} min of training)",
                         report["test"], 3)
