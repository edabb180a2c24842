"""The Waldo and Wenda score table: one row per source and the overall mean of the source means."""

from __future__ import annotations

from rich.table import Table


def hhi_table(scores: dict) -> Table:
    metrics = list(scores["overall"])
    table = Table(title=f"Waldo and Wenda ({scores['items']} items)")
    table.add_column("source")
    for metric in metrics:
        table.add_column(metric, justify="right")
    for source, values in scores["by_source"].items():
        table.add_row(f"{source} ({scores['sources'][source]})", *(f"{values[m]:.3f}" for m in metrics))
    table.add_row("overall", *(f"{scores['overall'][m]:.3f}" for m in metrics), style="bold")
    return table
