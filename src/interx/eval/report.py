"""Evaluation reports: a JSON file that says exactly what was computed, and a readable table.

The JSON records the task, the protocol sizes, the embedding scale, every
metric's definition name and version, the evaluator and inputs used, each
replication's values and their mean with the 95% interval. The table shows the
ground-truth row beside the prediction's (or baseline's), `mean ± interval`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict

from rich.table import Table

from interx import __version__
from interx.data.atomic import atomic_write_text
from interx.eval import metrics as M
from interx.eval.protocol import ProtocolResult

REPORT_VERSION = 1
METRIC_DEFINITIONS = {  # reported metric -> definition in interx.eval.metrics
    "r_precision_top1": "r_precision", "r_precision_top2": "r_precision", "r_precision_top3": "r_precision",
    "matching_score": "matching_score", "fid": "fid", "diversity": "diversity", "multimodality": "multimodality",
    "accuracy": "accuracy", "class_multimodality": "class_multimodality",
}
LABELS = {"r_precision_top1": "top-1", "r_precision_top2": "top-2", "r_precision_top3": "top-3",
          "matching_score": "MM Dist", "fid": "FID", "diversity": "Diversity", "multimodality": "MultiModality",
          "accuracy": "Accuracy", "class_multimodality": "MultiModality (class)"}


def build_report(result: ProtocolResult, inputs: dict[str, str | None], evaluator: dict) -> dict:
    """The report as a JSON-ready dict."""
    used = {name for row in result.values.values() for name in row}
    definitions = {}
    for name in sorted(used):
        definition = M.DEFINITIONS[METRIC_DEFINITIONS.get(name, name)]
        definitions[name] = {"definition": definition.name, "version": definition.version,
                             "formula": definition.formula}
    interval = M.DEFINITIONS["interval"]
    return {
        "report_version": REPORT_VERSION,
        "interx_version": __version__,
        "task": result.task,
        "inputs": inputs,
        "evaluator": evaluator,
        "protocol": asdict(result.config),
        "embedding_scale": result.config.embedding_scale,
        "definitions": definitions,
        "interval": {"definition": interval.name, "version": interval.version, "formula": interval.formula},
        "counts": result.counts,
        "notes": result.notes,
        "rows": {row: {name: {"mean": mean, "interval": half, "values": result.values[row][name]}
                       for name, (mean, half) in metrics.items()}
                 for row, metrics in result.summary().items()},
    }


def write_report(path: str | os.PathLike, report: dict) -> None:
    atomic_write_text(path, json.dumps(report, indent=2) + "\n")


PLAUSIBILITY_LABELS = {"penetration_depth": "penetration (m)", "penetration_frequency": "penetration freq.",
                       "contact_ratio": "contact ratio", "foot_skating": "foot skate (m/s)",
                       "floor_penetration": "below floor (m)", "floating": "floating (m)", "jitter": "jerk (m/s³)",
                       "relative_distance_error": "distance err (m)", "relative_facing_error": "facing err (°)"}


def plausibility_table(report: dict) -> Table | None:
    """The plausibility section as rows by metric columns, when the report has one."""
    section = report.get("plausibility")
    if not section:
        return None
    names = [n for n in PLAUSIBILITY_LABELS if any(n in row for row in section["rows"].values())]
    table = Table(title="plausibility (joints of both persons)", title_justify="left")
    table.add_column("")
    for name in names:
        table.add_column(PLAUSIBILITY_LABELS[name], justify="right")
    for row, values in section["rows"].items():
        table.add_row(row, *("-" if values.get(n) is None else f"{values[n]:.3g}" for n in names))
    return table


def report_table(report: dict) -> Table:
    """Rows (ground truth, prediction) by metric columns, `mean ± interval`."""
    names = [n for n in LABELS if any(n in row for row in report["rows"].values())]
    table = Table(title=f"{report['task']}: {report['protocol']['replications']} replications, "
                        f"embedding scale {report['embedding_scale']:g}", title_justify="left")
    table.add_column("")
    for name in names:
        table.add_column(LABELS[name], justify="right")
    for row, metrics in report["rows"].items():
        cells = []
        for name in names:
            value = metrics.get(name)
            cells.append("-" if value is None else f"{value['mean']:.3f} ± {value['interval']:.3f}")
        table.add_row(row, *cells)
    return table
