"""Training and testing the image labeler (`interx hhi train-images`), and stills to train it on.

A training table is a CSV with an `image` column (paths relative to the CSV)
and a `label` or a `caption` column. Captions are pseudo-labelled by the
caption rules (their best label; captions without one are left out) and
weighted as published (`interx.hhi.weights`); given labels are normalized and
weigh 1. `render_stills` makes such a table from a processed release: mesh
stills of each clip (`interx render --mesh`), labelled through the motion
bridge (the category's label). Testing reports verb accuracy @1 and @8 (the
gerund's lemma among the first k labels) beside the majority baseline (the
most common training labels, in order).
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import lightning.pytorch as pl
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset

from interx.data.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from interx.errors import FormatError, InterXError
from interx.hhi.evaluate import verb_lemma
from interx.hhi.image_model import (
    ImageLabeler,
    ImageLabelerConfig,
    LabelVocabulary,
    load_image,
    load_image_labeler,
    save_image_labeler,
)
from interx.hhi.labels import LabelError, normalize_label
from interx.hhi.weights import pseudo_label_weights
from interx.models.captioner import PAD


@dataclass(frozen=True)
class ImageTraining:
    batch_size: int = 64
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    epochs: int = 40
    seed: int = 0


def read_table(path: str | os.PathLike, nlp=None) -> tuple[list[Path], list[str], np.ndarray]:
    """(image paths, labels, weights) of a CSV of images with labels or captions."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, None, "a CSV with an image column and a label or caption column", found="no such file")
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        if "image" not in fields or not {"label", "caption"} & set(fields):
            raise FormatError(path, "header", "an image column and a label or caption column", found=f"{fields}")
        rows = list(reader)
    images, labels, captions = [], [], []
    for number, row in enumerate(rows, start=2):
        if row.get("label"):
            try:
                label = normalize_label(row["label"])
            except LabelError as exc:
                raise FormatError(path, f"line {number}, label", "a valid HHI label", found=str(exc)) from None
        else:
            if nlp is None:
                from interx.hhi.parse import load_parser

                nlp = load_parser()
            from interx.hhi.parse import caption_labels

            found = caption_labels(nlp, row["caption"], top=1)
            if not found:
                continue
            label = found[0]
        images.append(path.parent / row["image"])
        labels.append(label)
        captions.append(row.get("caption") or f"{row['image']}\n{label}")
    if not images:
        raise InterXError(f"{path}: no row has a label (or a caption the rules can label)")
    with_captions = "caption" in fields and not any(row.get("label") for row in rows)
    weights = pseudo_label_weights(labels, captions) if with_captions else np.ones(len(labels))
    return images, labels, weights


def render_stills(data: str | os.PathLike, split: str, out_dir: str | os.PathLike, *, size: int = 128,
                  per_clip: int = 2, progress=None) -> Path:
    """Mesh stills of every clip of a split (at evenly spaced times), labelled by category; returns the CSV."""
    from interx.data.ids import SequenceId
    from interx.hhi.bridge import category_label
    from interx.viz.render import RenderOptions, make_panels
    from interx.viz.sources import open_source

    out_dir = Path(out_dir)
    (out_dir / split).mkdir(parents=True, exist_ok=True)
    table = out_dir / f"{split}.csv"
    rows = []
    with open_source(Path(data) / "motions" / f"{split}.h5") as source:
        ids = source.ids
        for done, seq_id in enumerate(ids, start=1):
            names = [f"{split}/{seq_id}_{i}.png" for i in range(per_clip)]
            if not all((out_dir / n).is_file() for n in names):  # resumable: drawn stills are kept
                clip = source.clip(seq_id, 30.0)
                panel = make_panels([clip], RenderOptions(width=size, height=size, mesh=True), caption=False,
                                    counter=False)[0]
                times = np.linspace(0.25, 0.75, per_clip) * (clip.num_frames - 1)
                for name, frame in zip(names, panel.frame_list(times.astype(int))):
                    with atomic_path(out_dir / name) as tmp:
                        Image.fromarray(frame).save(tmp, format="PNG")
            label = category_label(SequenceId.parse(seq_id).action)
            rows.extend((n, label) for n in names)
            if progress is not None:
                progress(done, len(ids))
    lines = ["image,label"] + [f"{name},{label}" for name, label in rows]
    atomic_write_text(table, "\n".join(lines) + "\n")
    return table


class ImageLabelerModule(pl.LightningModule):
    def __init__(self, config: ImageLabelerConfig, training: ImageTraining, vocabulary: LabelVocabulary):
        super().__init__()
        self.model = ImageLabeler(config, len(vocabulary))
        self.training_config = training

    def training_step(self, batch, batch_index):
        images, ids, weights = batch
        flip = torch.rand(len(images)) < 0.5  # a mirrored picture shows the same interaction
        images = torch.where(flip[:, None, None, None], images.flip(-1), images)
        logits = self.model(images, ids[:, :-1])
        per_word = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=PAD, reduction="none")
        words = (ids[:, 1:] != PAD).sum(1).clamp(min=1)
        loss = ((per_word.sum(1) / words) * weights).sum() / weights.sum()
        self.log("train/loss", loss, prog_bar=True, batch_size=len(images))
        return loss

    def configure_optimizers(self):
        params = [p for p in self.model.parameters() if p.requires_grad]
        t = self.training_config
        return torch.optim.AdamW(params, lr=t.learning_rate, weight_decay=t.weight_decay)


def verb_accuracy(ranked: list[list[str]], truth: list[str], k: int) -> float:
    """Share of items whose label's verb lemma is among the first k predictions' verb lemmas."""
    return float(np.mean([verb_lemma(t) in {verb_lemma(p) for p in preds[:k]} for preds, t in zip(ranked, truth)]))


def fit_image_labeler(train_csv: str | os.PathLike, test_csv: str | os.PathLike, out_dir: str | os.PathLike,
                      config: ImageLabelerConfig = ImageLabelerConfig(), training: ImageTraining = ImageTraining(),
                      *, max_minutes: float | None = None, progress_bar: bool = True) -> dict:
    """Train on one table, test on another; writes the weights, losses and report.json; returns the report."""
    from lightning.pytorch.callbacks import TQDMProgressBar
    from lightning.pytorch.loggers import CSVLogger

    from interx.viz.losses import plot_losses

    out_dir = Path(out_dir)
    started = time.time()
    paths, labels, weights = read_table(train_csv)
    test_paths, test_labels, _ = read_table(test_csv)
    vocabulary = LabelVocabulary.from_labels(labels)
    images = torch.from_numpy(np.stack([load_image(p, config.image_size) for p in paths]))
    ids = torch.full((len(labels), config.max_tokens), PAD, dtype=torch.long)
    for row, label in enumerate(labels):
        encoded = vocabulary.encode(label)[:config.max_tokens]
        ids[row, :len(encoded)] = torch.tensor(encoded)
    pl.seed_everything(training.seed, workers=True, verbose=False)
    module = ImageLabelerModule(config, training, vocabulary)
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer = pl.Trainer(default_root_dir=out_dir, accelerator="auto", devices=1, max_epochs=training.epochs,
                         max_time={"minutes": max_minutes} if max_minutes else None,
                         logger=CSVLogger(out_dir, name="", version=""), log_every_n_steps=1,
                         callbacks=[TQDMProgressBar(refresh_rate=5)] if progress_bar else [],
                         enable_progress_bar=progress_bar, enable_model_summary=False, enable_checkpointing=False,
                         gradient_clip_val=1.0)
    data = TensorDataset(images, ids, torch.as_tensor(weights, dtype=torch.float32))
    trainer.fit(module, DataLoader(data, batch_size=min(training.batch_size, len(data)), shuffle=True))
    save_image_labeler(out_dir / "image_labeler.safetensors", module.model, vocabulary)
    plot_losses(out_dir, out_dir / "losses.png")
    test_images = np.stack([load_image(p, config.image_size) for p in test_paths])
    ranked = load_image_labeler(out_dir).rank(test_images, 8)
    majority = [label for label, _ in Counter(labels).most_common(8)]
    report = {
        "config": config.to_dict(), "training": asdict(training), "labels": len(set(labels)),
        "images": {"train": len(paths), "test": len(test_paths)}, "steps": int(trainer.global_step),
        "minutes": round((time.time() - started) / 60, 2),
        "test": {"image labeler": {"verb_accuracy@1": verb_accuracy(ranked, test_labels, 1),
                                   "verb_accuracy@8": verb_accuracy(ranked, test_labels, 8)},
                 "majority labels": {"verb_accuracy@1": verb_accuracy([majority] * len(test_labels), test_labels, 1),
                                     "verb_accuracy@8": verb_accuracy([majority] * len(test_labels), test_labels, 8)}},
    }
    listing = {str(p): {"truth": t, "ranked": r} for p, t, r in zip(test_paths, test_labels, ranked)}
    atomic_write_bytes(out_dir / "predictions.json", (json.dumps(listing, indent=2) + "\n").encode())
    atomic_write_bytes(out_dir / "report.json", (json.dumps(report, indent=2) + "\n").encode())
    return report
