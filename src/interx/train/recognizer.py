"""Training the recognizer (`interx train recognizer`): clips, augmentation, the Lightning loop, the test report.

Every clip of a split is turned into both persons' views once
(`interx.models.pair_input`; a few seconds for the whole release) and held in
memory. Augmentation respects each task: swapping the persons swaps the
views and flips the order label (and the Big-Five rows); mirroring left and
right and a small turn of each person's frame (an error in the estimated
facing) leave every label as it is. Turning the whole scene needs no
augmentation: the views do not change under it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import lightning.pytorch as pl
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from interx.data.annotations import big_five_of_group, read_big_five, read_familiarity, read_interaction_order
from interx.data.atomic import atomic_write_bytes
from interx.data.ids import NUM_ACTIONS, SequenceId
from interx.data.processed import H5Motions
from interx.errors import FormatError, InterXError
from interx.eval.recognition import majority_baseline, nearest_neighbour_baseline, task_scores
from interx.models.pair_input import CLIP_FRAMES, VIEW_SIZE, body_joints, mirror_views, pair_views, turn_views
from interx.models.recognizer import FAMILIARITY_LEVELS, TRAITS, Recognizer, RecognizerConfig, save_recognizer

CLASSES = {"action": NUM_ACTIONS, "order": 2, "familiarity": FAMILIARITY_LEVELS, "personality": 0}


@dataclass
class PairClips:
    """A split's clips for one task: ids, views [N, 2, frames, size], labels, and the ids left out (with why)."""

    ids: list[str]
    views: np.ndarray
    labels: np.ndarray
    skipped: dict[str, str] = field(default_factory=dict)


class _Labels:
    """The task's label of an id, in the person order of the prepared motions (None when it has none)."""

    def __init__(self, root: Path, task: str):
        annots = root / "annots"
        info_path = root / "features" / "info.json"
        info = json.loads(info_path.read_text()) if info_path.is_file() else {}
        self.reactor_first = info.get("person_order") == "reactor,actor"
        self.task = task
        self.order = self.familiarity = self.big_five = None
        needs = {"order": "interaction_order.pkl", "familiarity": "familiarity.txt", "personality": "big_five.npy"}
        if task in needs and not (annots / needs[task]).is_file():
            raise FormatError(annots / needs[task], None, f"the {task} labels (copied by `interx prepare`)",
                              found="no such file")
        if task == "order" or (task == "personality" and self.reactor_first):
            self.order = read_interaction_order(annots / "interaction_order.pkl")
        if task == "familiarity":
            self.familiarity = read_familiarity(annots / "familiarity.txt")
        if task == "personality":
            self.big_five = read_big_five(annots / "big_five.npy")

    def __call__(self, seq_id: str):
        parsed = SequenceId.parse(seq_id)
        if self.task == "action":
            return parsed.action
        if self.task == "order":
            actor = self.order.get(seq_id)
            return None if actor is None else (1 if self.reactor_first else actor)
        if self.task == "familiarity":
            level = self.familiarity.get(parsed.group)
            return None if level is None else level - 1
        traits = big_five_of_group(self.big_five, parsed.group)
        if traits is not None and self.reactor_first:
            actor = self.order.get(seq_id)
            if actor is None:
                return None
            traits = traits[::-1] if actor == 0 else traits  # served as (reactor, actor)
        return None if traits is None else np.asarray(traits, dtype=np.float32)


def load_pair_clips(root: str | os.PathLike, split: str, task: str, frames: int = CLIP_FRAMES) -> PairClips:
    """The views and labels of every clip of `split` that has the task's label; bad clips are skipped and named."""
    root = Path(root)
    labels_of = _Labels(root, task)
    path = root / "motions" / f"{split}.h5"
    if not path.is_file():
        raise FormatError(path, None, "the processed motions of the split (`interx prepare`)", found="no such file")
    ids, views, labels, skipped = [], [], [], {}
    with H5Motions(path) as motions:
        for seq_id in motions.ids():
            label = labels_of(seq_id)
            if label is None:
                skipped[seq_id] = f"no {task} label"
                continue
            try:
                views.append(pair_views(body_joints(motions.read(seq_id), f"{path} [{seq_id}]"), frames))
            except (FormatError, ValueError) as exc:
                skipped[seq_id] = str(exc)
                continue
            ids.append(seq_id)
            labels.append(label)
    dtype = np.float32 if task == "personality" else np.int64
    if not ids:
        shape = (0, 2, len(TRAITS)) if task == "personality" else (0,)
        return PairClips([], np.zeros((0, 2, frames, VIEW_SIZE), np.float32), np.zeros(shape, dtype), skipped)
    return PairClips(ids, np.stack(views), np.asarray(labels, dtype=dtype), skipped)


def load_splits(root: str | os.PathLike, task: str, frames: int) -> tuple[PairClips, PairClips, PairClips]:
    """Train, val and test clips; train and test must hold some (val may be empty)."""
    splits = tuple(load_pair_clips(root, split, task, frames) for split in ("train", "val", "test"))
    for split, clips in zip(("train", "test"), (splits[0], splits[2])):
        if not clips.ids:
            raise InterXError(f"{Path(root) / 'motions' / f'{split}.h5'}: no clip has a {task} label and a "
                              "readable motion")
    return splits


@dataclass(frozen=True)
class RecognizerTraining:
    """How to train: steps are bounded by `epochs` and, when given, `minutes`."""

    batch_size: int = 64
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    epochs: int = 60
    swap: float = 0.5  # probability of exchanging the persons
    mirror: float = 0.5  # probability of the left-right mirror image
    turn_degrees: float = 15.0  # largest turn of each person's frame
    seed: int = 0


class AugmentedPairs(Dataset):
    """Training items with the task-respecting augmentation of the module docstring."""

    def __init__(self, clips: PairClips, task: str, training: RecognizerTraining):
        self.clips, self.task, self.training = clips, task, training

    def __len__(self) -> int:
        return len(self.clips.ids)

    def __getitem__(self, index: int):
        rng = np.random.default_rng(int(torch.randint(0, 2 ** 31, ())))  # torch's seed: one stream per run
        views, label = self.clips.views[index], self.clips.labels[index]
        if rng.random() < self.training.swap:
            views, label = swap_persons(views, label, self.task)
        if rng.random() < self.training.mirror:
            views = mirror_views(views)
        if self.training.turn_degrees:
            limit = np.radians(self.training.turn_degrees)
            views = np.stack([turn_views(v, rng.uniform(-limit, limit)) for v in views])
        return torch.from_numpy(np.ascontiguousarray(views)), torch.as_tensor(np.array(label))


def swap_persons(views: np.ndarray, label, task: str):
    """Exchange the persons of one item: their views, and the label where it names a person."""
    views = views[::-1]
    if task == "order":
        label = 1 - label
    elif task == "personality":
        label = label[::-1]
    return views, label


def task_loss(task: str, outputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy for the class tasks (order: over the two persons), mean squared error for the traits."""
    if task == "personality":
        return F.mse_loss(outputs, labels)
    return F.cross_entropy(outputs, labels)


class RecognizerModule(pl.LightningModule):
    """The network, its input statistics and the loss; validation logs the task's metric."""

    def __init__(self, config: RecognizerConfig, training: RecognizerTraining, view_mean, view_std, target_mean,
                 target_std):
        super().__init__()
        self.model = Recognizer(config)
        self.training_config = training
        for name, value in (("view_mean", view_mean), ("view_std", view_std), ("target_mean", target_mean),
                            ("target_std", target_std)):
            self.register_buffer(name, torch.as_tensor(np.asarray(value), dtype=torch.float32))
        self._validation: list[tuple[torch.Tensor, torch.Tensor]] = []

    def forward(self, views: torch.Tensor) -> torch.Tensor:
        return self.model((views - self.view_mean) / self.view_std)

    def _targets(self, labels: torch.Tensor) -> torch.Tensor:
        if self.model.config.task == "personality":
            return (labels - self.target_mean) / self.target_std
        return labels

    def training_step(self, batch, batch_index):
        views, labels = batch
        loss = task_loss(self.model.config.task, self(views), self._targets(labels))
        self.log("train/loss", loss, prog_bar=True, batch_size=len(labels))
        return loss

    def validation_step(self, batch, batch_index):
        views, labels = batch
        outputs = self(views)
        self.log("val/loss", task_loss(self.model.config.task, outputs, self._targets(labels)), prog_bar=True,
                 batch_size=len(labels))
        self._validation.append((outputs.detach(), labels))

    def on_validation_epoch_end(self) -> None:
        if not self._validation:
            return
        outputs = torch.cat([o for o, _ in self._validation]).float()
        labels = torch.cat([lab for _, lab in self._validation])
        self._validation.clear()
        task = self.model.config.task
        if task == "personality":
            outputs = outputs * self.target_std + self.target_mean
        scores = task_scores(task, outputs.cpu().numpy(), labels.cpu().numpy())
        self.log_dict({f"val/{k}": v for k, v in scores.items()}, batch_size=len(labels))

    def configure_optimizers(self):
        t = self.training_config
        return torch.optim.AdamW(self.model.parameters(), lr=t.learning_rate, weight_decay=t.weight_decay)


def _pair_loader(clips: PairClips, batch_size: int) -> DataLoader:
    items = list(zip(torch.from_numpy(clips.views), torch.from_numpy(clips.labels)))
    return DataLoader(items, batch_size=batch_size)


def view_statistics(views: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-value mean and spread of training views, over clips, persons and frames."""
    flat = views.reshape(-1, views.shape[-1])
    return flat.mean(axis=0), flat.std(axis=0) + 1e-3


def perception_trainer(out_dir: Path, epochs: int, max_minutes: float | None, progress_bar: bool, resume: bool
                       ) -> tuple[pl.Trainer, str | None]:
    """The trainer of the recognizer and captioner runs (CSV losses, `checkpoints/last.ckpt`) and the checkpoint
    to continue from (None for a fresh run); an earlier metrics.csv is kept as metrics-N.csv."""
    from lightning.pytorch.callbacks import ModelCheckpoint, TQDMProgressBar
    from lightning.pytorch.loggers import CSVLogger

    last = out_dir / "checkpoints" / "last.ckpt"
    continuing = resume and last.is_file()
    out_dir.mkdir(parents=True, exist_ok=True)
    if continuing and (out_dir / "metrics.csv").is_file():
        (out_dir / "metrics.csv").rename(out_dir / f"metrics-{len(list(out_dir.glob('metrics-*.csv'))) + 1}.csv")
    trainer = pl.Trainer(
        default_root_dir=out_dir, accelerator="auto", devices=1, max_epochs=epochs,
        max_time={"minutes": max_minutes} if max_minutes else None,
        logger=CSVLogger(out_dir, name="", version=""), log_every_n_steps=1,
        callbacks=[ModelCheckpoint(dirpath=last.parent, save_last=True, save_top_k=0)]
        + ([TQDMProgressBar(refresh_rate=5)] if progress_bar else []),
        enable_progress_bar=progress_bar, enable_model_summary=False, gradient_clip_val=1.0)
    return trainer, str(last) if continuing else None


def fit_recognizer(root: str | os.PathLike, out_dir: str | os.PathLike, config: RecognizerConfig,
                   training: RecognizerTraining = RecognizerTraining(), *, max_minutes: float | None = None,
                   progress_bar: bool = True, resume: bool = True) -> dict:
    """Train on the train split (validating on val), test on test beside the baselines; returns the report.

    `out_dir` holds `recognizer.safetensors` (+ .json), `checkpoints/last.ckpt`
    (a run continues from it), `metrics.csv`, `losses.png` and `report.json`.
    """
    from interx.viz.losses import plot_losses

    out_dir = Path(out_dir)
    task = config.task
    started = time.time()
    train, val, test = load_splits(root, task, config.frames)
    view_mean, view_std = view_statistics(train.views)
    if task == "personality":
        traits = train.labels.reshape(-1, train.labels.shape[-1])
        target_mean, target_std = traits.mean(axis=0), traits.std(axis=0) + 1e-6
    else:
        target_mean, target_std = np.zeros(1, np.float32), np.ones(1, np.float32)
    pl.seed_everything(training.seed, workers=True, verbose=False)
    module = RecognizerModule(config, training, view_mean, view_std, target_mean, target_std)
    trainer, resume_from = perception_trainer(out_dir, training.epochs, max_minutes, progress_bar, resume)
    loader = DataLoader(AugmentedPairs(train, task, training), batch_size=min(training.batch_size, len(train.ids)),
                        shuffle=True, drop_last=len(train.ids) > training.batch_size)
    trainer.fit(module, loader, _pair_loader(val, 256) if val.ids else None, ckpt_path=resume_from,
                weights_only=True)
    trainer.save_checkpoint(out_dir / "checkpoints" / "last.ckpt", weights_only=False)
    save_recognizer(out_dir / "recognizer.safetensors", module.model, view_mean, view_std, target_mean, target_std)
    plot_losses(out_dir, out_dir / "losses.png")

    from interx.models.recognizer import load_recognizer

    outputs = load_recognizer(out_dir, task).outputs(test.views)
    classes = CLASSES[task]
    report = {
        "task": task, "config": config.to_dict(), "training": asdict(training),
        "minutes": round((time.time() - started) / 60, 2), "steps": int(trainer.global_step),
        "clips": {"train": len(train.ids), "val": len(val.ids), "test": len(test.ids)},
        "skipped": {**train.skipped, **val.skipped, **test.skipped},
        "test": {
            "recognizer": task_scores(task, outputs, test.labels),
            "majority": task_scores(task, majority_baseline(task, train.labels, len(test.ids), classes), test.labels),
            "nearest neighbour": task_scores(task, nearest_neighbour_baseline(task, train.views, train.labels,
                                                                              test.views, classes), test.labels),
        },
    }
    atomic_write_bytes(out_dir / "report.json", (json.dumps(report, indent=2) + "\n").encode())
    return report

