"""The generator's configuration: tasks, their conditions, and everything a run needs besides the data.

It lives with the models (not with the training loop) because a checkpoint
carries it: loading weights must not need the training code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from interx.models.autoencoder import DOWNSAMPLING, AutoencoderConfig
from interx.models.denoiser import DenoiserConfig
from interx.models.layout import LAYOUTS, get_layout
from interx.models.text import DEFAULT_ENCODER

TASKS = ("t2m", "a2m", "reaction", "style", "predict")
TASK_CONDITIONS = {"t2m": ("text",), "a2m": ("action",), "reaction": (), "style": ("action", "style"), "predict": ()}
FPS = 30
OBSERVED_SECONDS, PREDICTED_SECONDS = 1.0, 2.0


@dataclass(frozen=True)
class TrainingConfig:
    """Everything a training run needs besides the data: the network, the optimization, the objective."""

    task: str
    preset: str
    network: DenoiserConfig
    layout: str = "joints"
    batch_size: int = 32
    learning_rate: float = 2e-4
    weight_decay: float = 0.01
    warmup_steps: int = 200
    ema_decay: float = 0.999
    condition_dropout: float = 0.1
    completion_probability: float = 0.1  # generative tasks: chance of a random fixed part in a batch row
    geometric_weight: float = 0.1
    geometry_rows: int = 0  # batch rows (drawn at random) the geometric losses see each step; 0: all
    track_weight: float = 1.0  # latent: the reconstruction weight of each person's root X and Z
    level_location: float = 0.0  # training noise levels: logit-normal with this location (> 0: noisier)
    max_length: int = 300
    min_length: int = 24
    text_encoder: str = DEFAULT_ENCODER
    seed: int = 0
    sampling_steps: int = 20  # defaults for `interx generate`
    guidance: float = 2.0
    guidance_stop: float = 0.0  # guidance only at noise levels >= this (0: every step)
    autoencoder: AutoencoderConfig | None = None  # set: the network denoises the autoencoder's latents

    def __post_init__(self):
        if not 0.0 <= self.guidance_stop <= 1.0:
            raise ValueError(f"guidance_stop must be a noise level in [0, 1], got {self.guidance_stop}")
        if self.geometry_rows < 0:
            raise ValueError(f"geometry_rows must be at least 0 (0: all rows), got {self.geometry_rows}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {self.layout!r}")
        dim = get_layout(self.layout).dim
        if self.autoencoder is not None:
            if self.autoencoder.motion_dim != dim:
                raise ValueError(f"the {self.layout} layout has {dim} values per person and frame, "
                                 f"the autoencoder reads {self.autoencoder.motion_dim}")
            dim = self.autoencoder.code_dim
        if self.network.motion_dim != dim:
            raise ValueError(f"the network reads {self.network.motion_dim} values per person and step, "
                             f"the {'latent' if self.autoencoder else self.layout + ' layout'} has {dim}")

    @property
    def frames_per_token(self) -> int:
        """Frames one token of the network covers: its patch, of frames or of latent steps."""
        return self.network.patch * (DOWNSAMPLING if self.autoencoder else 1)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["network"] = self.network.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> TrainingConfig:
        d = dict(d)
        d["network"] = DenoiserConfig.from_dict(d["network"])
        if d.get("autoencoder") is not None:
            d["autoencoder"] = AutoencoderConfig.from_dict(d["autoencoder"])
        return cls(**d)

    @property
    def observed_frames(self) -> int:
        return int(round(OBSERVED_SECONDS * FPS))
