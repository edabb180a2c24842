"""Readable reports of `check_dataset` and `dataset_info`: what `interx check` and `interx info` print.

Kept beside the library code they present (as `eval/report.py` is), so the
command line only parses arguments, calls the library and prints these.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from interx.data.check import KINDS, CheckReport
from interx.data.info import DatasetInfo


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def check_tables(report: CheckReport, *, max_rows: int = 10) -> Group:
    """The layout and sequence count, then a summary per kind of problem and up to `max_rows` rows of each."""
    parts: list = [Text.from_markup(f"[bold]{escape(str(report.root))}[/]: {report.layout}, "
                                    f"{report.sequences} sequences checked")]
    if report.ok:
        parts.append(Text.from_markup("[green]no problems found[/]"))
        return Group(*parts)
    groups = report.by_kind()
    summary = Table(title=f"{len(report.problems)} problems", title_justify="left")
    summary.add_column("kind")
    summary.add_column("count", justify="right")
    summary.add_column("what")
    for kind, problems in groups.items():
        summary.add_row(kind, str(len(problems)), KINDS.get(kind, ""))
    parts.append(summary)
    for kind, problems in groups.items():
        table = Table(title=f"{kind} ({len(problems)})", title_justify="left", show_lines=False)
        table.add_column("id", no_wrap=True)
        table.add_column("file", overflow="fold")
        table.add_column("problem", overflow="fold")
        for problem in problems[:max_rows]:
            table.add_row(problem.id or "-", escape(_relative(problem.file, report.root)), escape(problem.message))
        parts.append(table)
        if len(problems) > max_rows:
            parts.append(Text(f"  ... and {len(problems) - max_rows} more {kind} problems (use --max-rows)"))
    return Group(*parts)


def info_tables(stats: DatasetInfo) -> Group:
    """Overview, sequence lengths, a length histogram, text statistics and sequences per action."""
    header = Text.from_markup(f"[bold]{escape(str(stats.root))}[/]: {stats.layout} release, {stats.fps} fps")
    overview = Table(title="overview", title_justify="left", show_header=False)
    overview.add_column("")
    overview.add_column("", justify="right")
    overview.add_row("sequences", f"{stats.sequences:,}")
    for split, count in stats.split_counts.items():
        overview.add_row(f"  {split}", f"{count:,}")
    overview.add_row("frames", f"{stats.total_frames:,}")
    overview.add_row("hours", f"{stats.hours:.2f}")
    if stats.unreadable:
        overview.add_row("[red]unreadable sequences[/]", f"{stats.unreadable:,}")

    lengths = Table(title="sequence length", title_justify="left")
    for column in ("", "min", "median", "mean", "max"):
        lengths.add_column(column, justify="right")
    s = stats.lengths
    lengths.add_row("frames", f"{s.min:.0f}", f"{s.median:.1f}", f"{s.mean:.1f}", f"{s.max:.0f}")
    lengths.add_row("seconds", *(f"{v / stats.fps:.2f}" for v in (s.min, s.median, s.mean, s.max)))

    histogram = Table(title="length histogram", title_justify="left")
    histogram.add_column("seconds")
    histogram.add_column("sequences", justify="right")
    histogram.add_column("")
    peak = max((c for _, _, c in stats.histogram), default=0) or 1
    for low, high, count in stats.histogram:
        label = f"{low:g}-{high:g}" if high != float("inf") else f">= {low:g}"
        histogram.add_row(label, str(count), "#" * round(30 * count / peak))

    texts = Table(title="texts", title_justify="left", show_header=False)
    texts.add_column("")
    texts.add_column("", justify="right")
    texts.add_row("texts", f"{stats.num_texts:,}")
    t, w = stats.texts_per_sequence, stats.words_per_text
    texts.add_row("texts per sequence (min/mean/max)", f"{t.min:.0f} / {t.mean:.2f} / {t.max:.0f}")
    texts.add_row("words per text (min/mean/max)", f"{w.min:.0f} / {w.mean:.1f} / {w.max:.0f}")
    texts.add_row("vocabulary (distinct words)", f"{stats.vocabulary_size:,}")

    actions = Table(title="sequences per action", title_justify="left")
    actions.add_column("action", justify="right")
    actions.add_column("name")
    actions.add_column("sequences", justify="right")
    for action, count in stats.action_counts.items():
        actions.add_row(f"{action:03d}", escape(stats.action_names[action]), str(count))
    return Group(header, overview, lengths, histogram, texts, actions)
