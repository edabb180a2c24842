"""Training the captioner (`interx train captioner`): views and texts, teacher forcing, the test report.

Each step pairs a clip with one of its texts at random. Persons may be
swapped and their frames turned a little (captions say "one person" and
"the other", never which stored person); mirroring is not used, since texts
name left and right hands. The report scores beam-search captions of the test
split against all of each clip's texts, beside the text of the nearest
training motion (on pooled joints).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import lightning.pytorch as pl
import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from interx.data.atomic import atomic_write_bytes
from interx.data.processed import read_processed_texts
from interx.errors import FormatError
from interx.eval.captions import caption_scores
from interx.eval.recognition import pooled_joints
from interx.models.captioner import PAD, Captioner, CaptionerConfig, Vocabulary, load_captioner, save_captioner
from interx.models.pair_input import turn_views
from interx.train.recognizer import PairClips, load_pair_clips, load_splits, perception_trainer, view_statistics


@dataclass(frozen=True)
class CaptionerTraining:
    batch_size: int = 64
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    epochs: int = 100
    label_smoothing: float = 0.1
    min_count: int = 2  # words seen fewer times in the training texts become <unk>
    turn_degrees: float = 15.0
    seed: int = 0


def read_texts(root: Path, ids: list[str]) -> dict[str, list[str]]:
    """Every caption of each id, from texts_processed/ (`interx prepare`)."""
    folder = root / "texts_processed"
    texts = {}
    for seq_id in ids:
        path = folder / f"{seq_id}.txt"
        if not path.is_file():
            raise FormatError(path, None, "the processed texts of the id (`interx prepare`)", found="no such file")
        texts[seq_id] = [t.caption for t in read_processed_texts(path)]
    return texts


class CaptionPairs(Dataset):
    def __init__(self, clips: PairClips, texts: dict[str, list[str]], vocabulary: Vocabulary,
                 config: CaptionerConfig, training: CaptionerTraining):
        self.clips, self.texts, self.vocabulary = clips, texts, vocabulary
        self.config, self.training = config, training

    def __len__(self) -> int:
        return len(self.clips.ids)

    def __getitem__(self, index: int):
        rng = np.random.default_rng(int(torch.randint(0, 2 ** 31, ())))
        views = self.clips.views[index]
        if rng.random() < 0.5:
            views = views[::-1]
        if self.training.turn_degrees:
            limit = np.radians(self.training.turn_degrees)
            views = np.stack([turn_views(v, rng.uniform(-limit, limit)) for v in views])
        options = self.texts[self.clips.ids[index]]
        ids = self.vocabulary.encode(options[rng.integers(len(options))], self.config.max_tokens)
        padded = np.full(self.config.max_tokens, PAD, dtype=np.int64)
        padded[:len(ids)] = ids
        return torch.from_numpy(np.ascontiguousarray(views)), torch.from_numpy(padded)


class CaptionerModule(pl.LightningModule):
    def __init__(self, config: CaptionerConfig, training: CaptionerTraining, vocabulary: Vocabulary, view_mean,
                 view_std):
        super().__init__()
        self.model = Captioner(config, len(vocabulary))
        self.training_config = training
        self.register_buffer("view_mean", torch.as_tensor(view_mean, dtype=torch.float32))
        self.register_buffer("view_std", torch.as_tensor(view_std, dtype=torch.float32))

    def _loss(self, batch, smoothing: float) -> torch.Tensor:
        views, ids = batch
        longest = int((ids != PAD).sum(1).max())
        ids = ids[:, :longest]
        logits = self.model((views - self.view_mean) / self.view_std, ids[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten(), ignore_index=PAD,
                               label_smoothing=smoothing)

    def training_step(self, batch, batch_index):
        loss = self._loss(batch, self.training_config.label_smoothing)
        self.log("train/loss", loss, prog_bar=True, batch_size=len(batch[0]))
        return loss

    def validation_step(self, batch, batch_index):
        self.log("val/loss", self._loss(batch, 0.0), prog_bar=True, batch_size=len(batch[0]))

    def configure_optimizers(self):
        t = self.training_config
        return torch.optim.AdamW(self.model.parameters(), lr=t.learning_rate, weight_decay=t.weight_decay)


def nearest_training_texts(train: PairClips, train_texts: dict[str, list[str]], test: PairClips) -> list[str]:
    """The baseline: each test clip gets the first text of the nearest training clip on pooled joints."""
    a, b = pooled_joints(train.views), pooled_joints(test.views)
    mean, std = a.mean(axis=0), a.std(axis=0) + 1e-6
    a, b = (a - mean) / std, (b - mean) / std
    nearest = ((b ** 2).sum(1)[:, None] - 2 * b @ a.T + (a ** 2).sum(1)[None]).argmin(axis=1)
    return [train_texts[train.ids[i]][0] for i in nearest]


def evaluate_captioner(checkpoint, train: PairClips, test: PairClips, texts: dict[str, list[str]], beam: int = 4
                       ) -> tuple[dict[str, dict[str, float]], dict[str, dict]]:
    """Scores of beam-search captions of `test` and of the nearest training text, and the captions per id."""
    captions = load_captioner(checkpoint).captions(test.views, beam=beam)
    baseline = nearest_training_texts(train, texts, test)
    references = [texts[seq_id] for seq_id in test.ids]
    scores = {f"captioner (beam {beam})": caption_scores(captions, references),
              "nearest training text": caption_scores(baseline, references)}
    listing = {seq_id: {"caption": c, "nearest training text": b, "references": r}
               for seq_id, c, b, r in zip(test.ids, captions, baseline, references)}
    return scores, listing


def score_split(root: str | os.PathLike, checkpoint, *, split: str = "test", beam: int = 4):
    """`evaluate_captioner` on a split of a processed release (the baseline searches its train split)."""
    root = Path(root)
    train, test = (load_pair_clips(root, s, "action") for s in ("train", split))
    if not test.ids:
        raise FormatError(root / "motions" / f"{split}.h5", None, "clips to caption", found="none")
    return evaluate_captioner(checkpoint, train, test, read_texts(root, train.ids + test.ids), beam)


def fit_captioner(root: str | os.PathLike, out_dir: str | os.PathLike, config: CaptionerConfig = CaptionerConfig(),
                  training: CaptionerTraining = CaptionerTraining(), *, max_minutes: float | None = None,
                  progress_bar: bool = True, resume: bool = True) -> dict:
    """Train on train (validating on val), caption the test split, score it beside the baseline; the report.

    `out_dir` holds `captioner.safetensors` (+ .json with the vocabulary),
    `checkpoints/last.ckpt`, `metrics.csv`, `losses.png`, `captions.json`
    (each test id: the caption, the baseline's, the references) and `report.json`.
    """
    from interx.viz.losses import plot_losses

    root, out_dir = Path(root), Path(out_dir)
    started = time.time()
    frames = config.encoder_config().frames
    train, val, test = load_splits(root, "action", frames)
    texts = read_texts(root, train.ids + val.ids + test.ids)
    vocabulary = Vocabulary.from_texts((t for seq_id in train.ids for t in texts[seq_id]), training.min_count)
    view_mean, view_std = view_statistics(train.views)
    pl.seed_everything(training.seed, workers=True, verbose=False)
    module = CaptionerModule(config, training, vocabulary, view_mean, view_std)
    trainer, resume_from = perception_trainer(out_dir, training.epochs, max_minutes, progress_bar, resume)
    no_turn = CaptionerTraining(**{**asdict(training), "turn_degrees": 0.0})
    val_items = CaptionPairs(val, texts, vocabulary, config, no_turn)
    trainer.fit(module, DataLoader(CaptionPairs(train, texts, vocabulary, config, training), shuffle=True,
                                   batch_size=min(training.batch_size, len(train.ids))),
                DataLoader(val_items, batch_size=256) if val.ids else None, ckpt_path=resume_from,
                weights_only=True)
    trainer.save_checkpoint(out_dir / "checkpoints" / "last.ckpt", weights_only=False)
    save_captioner(out_dir / "captioner.safetensors", module.model, vocabulary, view_mean, view_std)
    plot_losses(out_dir, out_dir / "losses.png")

    scores, listing = evaluate_captioner(out_dir, train, test, texts)
    report = {
        "config": config.to_dict(), "training": asdict(training), "vocabulary": len(vocabulary),
        "minutes": round((time.time() - started) / 60, 2), "steps": int(trainer.global_step),
        "clips": {"train": len(train.ids), "val": len(val.ids), "test": len(test.ids)}, "test": scores,
    }
    atomic_write_bytes(out_dir / "captions.json", (json.dumps(listing, indent=2) + "\n").encode())
    atomic_write_bytes(out_dir / "report.json", (json.dumps(report, indent=2) + "\n").encode())
    return report
