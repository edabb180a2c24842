"""The `interx` command line: parses arguments and calls the library."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from interx.errors import InterXError

app = typer.Typer(
    help="interx: read, prepare, evaluate and look at two-person interaction motion (Inter-X).",
    no_args_is_help=True,
    add_completion=False,
)

ROOT_HELP = ("Dataset folder: a raw release (motions/ or motions.zip, texts/, skeletons/, annots/, splits/) "
             "or a processed one (motions/{train,val,test}.h5, texts_processed/, glove/).")


@app.callback()
def main() -> None:
    """Toolkit for the Inter-X two-person motion dataset."""


def _progress(console: Console, label: str) -> Progress:
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=True)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path


def _fail(console: Console, error: Exception) -> None:
    console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def check(
    root: Path = typer.Argument(..., help=ROOT_HELP, show_default=False, metavar="ROOT"),
    max_rows: int = typer.Option(10, "--max-rows", "-n", min=1, help="Rows shown per kind of problem."),
) -> None:
    """Validate every file of a dataset and list every problem found.

    Keeps going past bad sequences. Exit status: 0 when the dataset is clean,
    1 when any problem was found, 2 when ROOT is not a dataset.
    """
    from interx.data.check import KINDS, check_dataset

    out, err = Console(), Console(stderr=True)
    try:
        with _progress(err, "checking") as bar:
            task = bar.add_task("check", total=None)
            report = check_dataset(root, progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InterXError as exc:
        _fail(err, exc)
    out.print(f"[bold]{escape(str(root))}[/]: {report.layout}, {report.sequences} sequences checked", highlight=False)
    if report.ok:
        out.print("[green]no problems found[/]")
        return
    groups = report.by_kind()
    summary = Table(title=f"{len(report.problems)} problems", title_justify="left")
    summary.add_column("kind")
    summary.add_column("count", justify="right")
    summary.add_column("what")
    for kind, problems in groups.items():
        summary.add_row(kind, str(len(problems)), KINDS.get(kind, ""))
    out.print(summary)
    for kind, problems in groups.items():
        table = Table(title=f"{kind} ({len(problems)})", title_justify="left", show_lines=False)
        table.add_column("id", no_wrap=True)
        table.add_column("file", overflow="fold")
        table.add_column("problem", overflow="fold")
        for problem in problems[:max_rows]:
            table.add_row(problem.id or "-", escape(_relative(problem.file, root)), escape(problem.message))
        out.print(table)
        if len(problems) > max_rows:
            out.print(f"  ... and {len(problems) - max_rows} more {kind} problems (use --max-rows)")
    raise typer.Exit(1)


@app.command()
def info(root: Path = typer.Argument(..., help=ROOT_HELP, show_default=False, metavar="ROOT")) -> None:
    """Counts per split and action, frames and hours, lengths and text statistics."""
    from interx.data.info import dataset_info

    out, err = Console(), Console(stderr=True)
    try:
        with _progress(err, "reading") as bar:
            task = bar.add_task("info", total=None)
            stats = dataset_info(root, progress=lambda done, total: bar.update(task, completed=done, total=total))
    except InterXError as exc:
        _fail(err, exc)

    out.print(f"[bold]{escape(str(root))}[/]: {stats.layout} release, {stats.fps} fps", highlight=False)
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
    out.print(overview)

    lengths = Table(title="sequence length", title_justify="left")
    for column in ("", "min", "median", "mean", "max"):
        lengths.add_column(column, justify="right")
    s = stats.lengths
    lengths.add_row("frames", f"{s.min:.0f}", f"{s.median:.1f}", f"{s.mean:.1f}", f"{s.max:.0f}")
    lengths.add_row("seconds", *(f"{v / stats.fps:.2f}" for v in (s.min, s.median, s.mean, s.max)))
    out.print(lengths)

    histogram = Table(title="length histogram", title_justify="left")
    histogram.add_column("seconds")
    histogram.add_column("sequences", justify="right")
    histogram.add_column("")
    peak = max((c for _, _, c in stats.histogram), default=0) or 1
    for low, high, count in stats.histogram:
        label = f"{low:g}-{high:g}" if high != float("inf") else f">= {low:g}"
        histogram.add_row(label, str(count), "#" * round(30 * count / peak))
    out.print(histogram)

    texts = Table(title="texts", title_justify="left", show_header=False)
    texts.add_column("")
    texts.add_column("", justify="right")
    texts.add_row("texts", f"{stats.num_texts:,}")
    t, w = stats.texts_per_sequence, stats.words_per_text
    texts.add_row("texts per sequence (min/mean/max)", f"{t.min:.0f} / {t.mean:.2f} / {t.max:.0f}")
    texts.add_row("words per text (min/mean/max)", f"{w.min:.0f} / {w.mean:.1f} / {w.max:.0f}")
    texts.add_row("vocabulary (distinct words)", f"{stats.vocabulary_size:,}")
    out.print(texts)

    actions = Table(title="sequences per action", title_justify="left")
    actions.add_column("action", justify="right")
    actions.add_column("name")
    actions.add_column("sequences", justify="right")
    for action, count in stats.action_counts.items():
        actions.add_row(f"{action:03d}", escape(stats.action_names[action]), str(count))
    out.print(actions)


@app.command()
def example(
    out_dir: Path = typer.Argument(..., help="Folder to write the example release into.", show_default=False,
                                  metavar="OUT"),
    per_action: int = typer.Option(2, "--per-action", min=1, help="Sequences per action (40 actions)."),
    seed: int = typer.Option(0, help="Random seed."),
    as_zip: bool = typer.Option(False, "--zip", help="Write motions.zip, skeletons.zip, texts.zip instead of folders."),
) -> None:
    """Write a small VALID raw release in the official layout (an example, not real data)."""
    from interx.data.example import write_example_release

    write_example_release(out_dir, per_action=per_action, seed=seed, zip=as_zip)
    Console().print(f"wrote an example raw release with {40 * per_action} sequences to {escape(str(out_dir))}",
                    highlight=False)


@app.command()
def synth(
    out_dir: Path = typer.Argument(..., help="Folder to write the synthetic release into.", show_default=False,
                                  metavar="OUT"),
    size: str = typer.Option("small", help="tiny (2 per action), small (10), medium (50) or full (every official id)."),
    seed: int = typer.Option(0, help="Dataset seed: same seed, same bytes."),
    as_zip: bool = typer.Option(False, "--zip", help="Write motions.zip, skeletons.zip, texts.zip as the release does."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Generate a procedural two-person interaction dataset in the exact Inter-X release layout."""
    from interx.synth.generate import SIZES, write_synthetic_release

    err = Console(stderr=True)
    if size not in SIZES:
        _fail(err, InterXError(f"--size must be one of {', '.join(SIZES)}, got {size!r}"))
    with _progress(err, "generating") as bar:
        task = bar.add_task("synth", total=None)
        report = write_synthetic_release(
            out_dir, size, seed, zip=as_zip, workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    Console().print(f"wrote {len(report.written)} synthetic sequences to {escape(str(out_dir))}", highlight=False)
    if report.failed:
        for seq_id, error in report.failed.items():
            err.print(f"[red]failed[/] {seq_id}: {escape(error)}", highlight=False)
        err.print(f"[bold red]{len(report.failed)} sequences failed[/]; the others were written")
        raise typer.Exit(1)



SOURCE_HELP = ("A raw release (folder or zips), a processed release folder, a processed or generated .h5 "
               "([T,56,6] or [S,T,56,6] per id), or a marker skeleton .npy (T,64,3).")


@app.command()
def render(
    source: Path = typer.Argument(..., help=SOURCE_HELP, show_default=False, metavar="SOURCE"),
    out: Path = typer.Option(..., "--out", "-o", help="Output: .mp4, .gif, or .png (a contact sheet).",
                             show_default=False),
    seq_id: str = typer.Option(None, "--id", help="Sequence id (needed when SOURCE holds several).",
                               show_default=False),
    fps: float = typer.Option(30.0, min=1.0, help="Frames per second of the output (raw 120 fps data is resampled)."),
    view: str = typer.Option("front", help="front (both side by side), side (along the line joining them), top, "
                                         "or orbit (one turn over the clip)."),
    size: str = typer.Option(None, help="Frame size WxH; for a .png, the size of one still. "
                                        "Default: 640x480 for videos, 320x240 per still.", show_default=False),
    compare: Path = typer.Option(None, help="A second SOURCE drawn beside the first on the same time axis "
                                            "and camera (e.g. generated beside ground truth).", show_default=False),
    compare_id: str = typer.Option(None, help="Id in --compare. Default: the same as --id.", show_default=False),
    mesh: bool = typer.Option(False, "--mesh", help="Draw body meshes (mannequin-x; exact SMPL-X with --smplx-model)."),
    smplx_model: Path = typer.Option(None, help="Folder with SMPLX_NEUTRAL.npz for exact SMPL-X joints and meshes.",
                                     show_default=False),
    markers: bool = typer.Option(False, "--markers", help="Draw the optical marker skeleton (raw releases)."),
    sample: int = typer.Option(0, min=0, help="Sample to draw when a generated h5 holds several per id "
                                             "([S,T,56,6])."),
    grid: str = typer.Option("3x4", help="Contact sheet rows x columns (for .png)."),
    per_action: bool = typer.Option(False, "--per-action", help="A .png with one row per action: the first "
                                                                "sequence of each, --stills frames each."),
    stills: int = typer.Option(6, min=1, help="Frames per row with --per-action."),
) -> None:
    """Render a two-person sequence to a video (.mp4, .gif) or a contact sheet (.png), headless."""
    from interx.viz.render import RenderOptions, parse_size, per_action_sheet
    from interx.viz.render import render as render_clips
    from interx.viz.sources import compare_id as pick_compare_id
    from interx.viz.sources import default_id, open_source

    err = Console(stderr=True)
    try:
        width, height = parse_size(size or ("320x240" if out.suffix.lower() == ".png" else "640x480"))
        rows, cols = parse_size(grid)
        with open_source(source, smplx_model=smplx_model) as src:
            if per_action:
                if out.suffix.lower() != ".png":
                    raise InterXError(f"{out}: --per-action writes a .png")
                with _progress(err, "rendering actions") as bar:
                    task = bar.add_task("render", total=None)
                    _, ids = per_action_sheet(src, out, stills=stills, width=width, height=height, view=view, fps=fps,
                                              progress=lambda d, t: bar.update(task, completed=d, total=t))
                Console().print(f"wrote {escape(str(out))}: {len(ids)} actions, {stills} frames each", highlight=False)
                return
            chosen = default_id(src, seq_id)
            clips = [src.clip(chosen, fps, markers=markers, sample=sample)]
            if compare is not None:
                with open_source(compare, smplx_model=smplx_model) as other:
                    clips.append(other.clip(pick_compare_id(other, chosen, compare_id), fps, markers=markers,
                                            sample=sample))
            options = RenderOptions(view=view, width=width, height=height, mesh=mesh, smplx_model=smplx_model,
                                    rows=rows, cols=cols)
            with _progress(err, "rendering") as bar:
                task = bar.add_task("render", total=None)
                render_clips(clips, out, options, progress=lambda d, t: bar.update(task, completed=d, total=t))
    except InterXError as exc:
        _fail(err, exc)
    frames = max(c.num_frames for c in clips)
    Console().print(f"wrote {escape(str(out))} ({frames} frames at {fps:g} fps)", highlight=False)


@app.command()
def view(
    root: Path = typer.Argument(..., help=SOURCE_HELP, show_default=False, metavar="ROOT"),
    port: int = typer.Option(8000, min=0, max=65535, help="Port (0 picks a free one)."),
    host: str = typer.Option("127.0.0.1", help="Address to bind; the default serves this machine only."),
    compare: Path = typer.Option(None, help="A second SOURCE shown beside ROOT in compare mode.",
                                 show_default=False),
    markers: bool = typer.Option(False, "--markers", help="Show the optical marker skeletons (raw releases)."),
    smplx_model: Path = typer.Option(None, help="Folder with SMPLX_NEUTRAL.npz for exact SMPL-X joints.",
                                     show_default=False),
    export: Path = typer.Option(None, help="Write one self-contained HTML page (opens offline) instead of serving.",
                                show_default=False),
    ids: list[str] = typer.Option(None, "--id", help="With --export: sequences to include (repeat the option). "
                                                     "Default: the first --limit ones.", show_default=False),
    limit: int = typer.Option(20, min=1, help="With --export and no --id: how many sequences to include."),
) -> None:
    """Browse sequences in a browser: search, 3-D playback, texts and labels, compare mode."""
    from interx.data.atomic import atomic_write_text
    from interx.viz.server import ViewerData, export_page, make_server
    from interx.viz.sources import open_source

    err = Console(stderr=True)
    sources = []
    try:
        sources.append(open_source(root, smplx_model=smplx_model))
        if compare is not None:
            sources.append(open_source(compare, smplx_model=smplx_model))
        data = ViewerData(sources, markers=markers)
        if export is not None:
            chosen = [sources[0].check_id(i) for i in ids] if ids else sources[0].ids[:limit]
            with _progress(err, "exporting") as bar:
                task = bar.add_task("export", total=None)
                page = export_page(data, chosen, progress=lambda d, t: bar.update(task, completed=d, total=t))
            atomic_write_text(export, page)
            Console().print(f"wrote {escape(str(export))} ({len(chosen)} sequences, opens offline)", highlight=False)
            return
        server = make_server(data, host, port)
    except (InterXError, OSError) as exc:
        _fail(err, exc)
    bound_host, bound_port = server.server_address[:2]
    Console().print(f"interx viewer on http://{bound_host}:{bound_port}/  (Ctrl+C to stop)", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        for source in sources:
            source.close()


@app.command()
def demo(
    out_dir: Path = typer.Option(Path("demo-output"), "--out", help="Folder for everything the demo writes."),
    size: str = typer.Option("small", help="Synthetic dataset size: tiny, small, medium or full."),
    workers: int = typer.Option(2, min=1, help="Worker processes."),
) -> None:
    """The main job on built-in data: generate the synthetic release (zipped, official layout), summarize and
    check it, prepare it (processed release and features), and render a sheet of every category and one video."""
    release = out_dir / f"synthetic-{size}"
    processed = out_dir / f"processed-{size}"
    synth(release, size=size, seed=0, as_zip=True, workers=workers)
    info(release)
    check(release, max_rows=10)
    prepare(release, processed, workers=workers, reaction=False, fps=30, splits="train,val,test", glove=None,
            smplx_model=None, texts=True, features=True)
    render_options = dict(fps=30.0, view="front", size=None, compare=None, compare_id=None, mesh=False,
                          smplx_model=None, markers=False, sample=0, grid="3x4", stills=6)
    render(release, out=out_dir / "categories.png", seq_id=None, per_action=True, **render_options)
    from interx.data.processed import H5Motions

    for split in ("test", "val", "train"):  # the first sequence of the first split that has one
        with H5Motions(processed / "motions" / f"{split}.h5") as motions:
            ids = motions.ids()
        if ids:
            break
    render(processed / "motions" / f"{split}.h5", out=out_dir / "sequence.mp4", seq_id=ids[0], per_action=False,
           **render_options)
    Console().print(f"demo outputs in {out_dir}: the raw release, the processed release, categories.png and "
                    f"sequence.mp4 ({ids[0]}); browse them with: interx view {release}")


@app.command()
def prepare(
    raw: Path = typer.Argument(..., help="Raw release folder (motions/ or motions.zip, texts, annots/, splits/).",
                               show_default=False, metavar="RAW"),
    out_dir: Path = typer.Argument(..., help="Folder for the processed release and features (created; resumable).",
                                   show_default=False, metavar="OUT"),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="Worker processes for the motions."),
    reaction: bool = typer.Option(False, "--reaction", help="Reactor first, actor second (interaction_order.pkl)."),
    fps: int = typer.Option(30, help="Output frame rate; must divide the raw 120 fps (official: 30)."),
    splits: str = typer.Option("train,val,test", help="Comma-separated splits to prepare."),
    glove: Path = typer.Option(None, "--glove", help="glove.6B.300d.txt to use instead of the packaged GloVe 6B 50-d.",
                               exists=True, dir_okay=False),
    smplx_model: Path = typer.Option(None, "--smplx-model",
                                     help="Folder with SMPL-X model files: exact joints for grounding and features."),
    texts: bool = typer.Option(True, "--texts/--no-texts", help="Also tag texts and build the GloVe vocabulary."),
    features: bool = typer.Option(True, "--features/--no-features", help="Also write 262-d features and statistics."),
) -> None:
    """Turn a raw release into the official processed release, plus model-ready features.

    Writes OUT/motions/{split}.h5, OUT/texts_processed/, OUT/glove/hhi_vab_*,
    OUT/features/{split}.h5 with mean.npy/std.npy (train only) and OUT/annots/.
    A killed run continues where it stopped when run again. Bad sequences are
    skipped and listed at the end; the exit status is then 1.
    """
    from interx.prepare.run import PrepareOptions, prepare as run_prepare

    out, err = Console(), Console(stderr=True)
    chosen = tuple(s.strip() for s in splits.split(",") if s.strip())
    options = PrepareOptions(reaction=reaction, fps=fps, features=features,
                             smplx_model=str(smplx_model) if smplx_model else None)
    try:
        with _progress(err, "[progress.description]{task.description}") as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = run_prepare(raw, out_dir, options, chosen, workers, glove, texts, progress)
    except (InterXError, ValueError) as exc:
        _fail(err, exc)
    table = Table(title=f"prepared {escape(str(out_dir))}", title_justify="left")
    table.add_column("split")
    table.add_column("sequences", justify="right")
    for split, count in report.written.items():
        table.add_row(split, f"{count:,}")
    out.print(table)
    if texts:
        out.print(f"{report.texts:,} text files, vocabulary of {report.vocabulary:,} words "
                  f"({len(report.missing_words)} words without a vector read as unk)", highlight=False)
    if report.failed:
        for seq_id, why in sorted(report.failed.items()):
            err.print(f"[red]failed[/] {seq_id}: {escape(why)}", highlight=False)
        err.print(f"[bold red]{len(report.failed)} sequences failed[/]; the others were written. "
                  "Fix them and run again to add them.")
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
