"""Progress bars on stderr for the library's `progress(done, total)` callbacks.

Library functions only report numbers; these context managers turn them into
one transient rich bar (or one bar per stage), so stdout keeps only results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def _bar(label: str, *extra: TextColumn, console: Console | None) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), *extra, TimeRemainingColumn(),
                    console=console or Console(stderr=True), transient=True)


@contextmanager
def progress_bar(label: str, *, console: Console | None = None) -> Iterator[Callable[[int, int], None]]:
    """Yield `progress(done, total)`, drawn as one bar named `label`."""
    with _bar(label, console=console) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def loss_bar(label: str, *, console: Console | None = None) -> Iterator[Callable[[int, int, float], None]]:
    """Yield `progress(done, total, loss)` for training loops: the bar also shows the last loss."""
    with _bar(label, TextColumn("loss {task.fields[loss]}"), console=console) as bar:
        task = bar.add_task(label, total=None, loss="-")
        yield lambda done, total, loss: bar.update(task, completed=done, total=total, loss=f"{loss:.3f}")


@contextmanager
def stage_bars(*, console: Console | None = None) -> Iterator[Callable[[str, int, int], None]]:
    """Yield `progress(stage, done, total)`: one bar per stage, named by the stage, for multi-step jobs."""
    with _bar("[progress.description]{task.description}", console=console) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
