"""The text-motion evaluator's inputs, made exactly as the official evaluation makes them.

The official evaluator reads the processed `[T, 56, 6]` motion directly: each
of the 55 rotations of each person becomes 6D (first two matrix rows), the
translation row is zero-padded to 6, and the persons are interleaved per joint
(`[P1 j, P2 j]`), so a frame is 56 x 12 = 672 values. Crops and padding follow
the official dataset (see docs/format.md, "Evaluation input"); every detail
changes the numbers, so each one lives here and nowhere else:

- sequences of fewer than 24 or of 1000 and more frames are left out;
- the crop length is `T // 4 * 4` with probability 2/3 and `(T // 4 - 1) * 4`
  with probability 1/3, at a uniform random offset; at most the first 150
  frames of the crop are kept;
- shorter crops are padded to 150 with zero axis-angle rows, i.e. identity
  rotations in 6D (not zero features);
- texts: tokens cut to 35, `sos/OTHER` + tokens + `eos/OTHER`, padded with
  `unk/OTHER` to 37; the length counts the tokens before padding. A word
  outside the vocabulary takes the `unk` vector and the OTHER tag; a word in
  one of the VIP lists takes that VIP tag instead of its part of speech.

Because a motion has only a handful of possible crops, `crop_forms` lists them
with their probabilities: the protocol embeds each form once and reuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from interx.body.fk import rodrigues_coefficients
from interx.data.processed import NUM_ROWS, ROW_WIDTH, GloveVocab
from interx.errors import FormatError, InterXError

MIN_FRAMES = 24
MAX_FRAMES = 1000  # sequences of this many frames or more are left out
MAX_MOTION_LENGTH = 150
UNIT_LENGTH = 4
SHORTER_CROP_PROBABILITY = 1 / 3
FEATURE_DIM = NUM_ROWS * 2 * ROW_WIDTH  # 672
MAX_TEXT_TOKENS = 35
TEXT_LENGTH = MAX_TEXT_TOKENS + 2  # with sos and eos

POS_TAGS = ("VERB", "NOUN", "DET", "ADP", "NUM", "AUX", "PRON", "ADJ", "ADV",
            "Loc_VIP", "Body_VIP", "Obj_VIP", "Act_VIP", "Desc_VIP", "OTHER")
POS_INDEX = {tag: i for i, tag in enumerate(POS_TAGS)}
VIP_WORDS: dict[str, frozenset[str]] = {
    "Loc_VIP": frozenset("left right clockwise counterclockwise anticlockwise forward back backward up down "
                         "straight curve".split()),
    "Body_VIP": frozenset("arm chin foot feet face hand mouth leg waist eye knee shoulder thigh".split()),
    "Obj_VIP": frozenset("stair dumbbell chair window floor car ball handrail baseball basketball".split()),
    "Act_VIP": frozenset("walk run swing pick bring kick put squat throw hop dance jump turn stumble stop sit lift "
                         "lower raise wash stand kneel stroll rub bend balance flap jog shuffle lean rotate spin "
                         "spread climb".split()),
    "Desc_VIP": frozenset("slowly carefully fast careful slow quickly happy angry sad happily angrily sadly".split()),
}
SPECIAL_WORDS = ("sos", "eos", "unk")


# -------------------------------------------------------------------- motion
def keeps_length(num_frames: int) -> bool:
    """Whether the official evaluation keeps a sequence of this many frames."""
    return MIN_FRAMES <= num_frames < MAX_FRAMES


def evaluator_features(motion: np.ndarray, name: str = "motion") -> np.ndarray:
    """[T, 56, 6] processed motion -> [T, 672] float32 evaluator features."""
    motion = np.asarray(motion)
    if motion.ndim != 3 or motion.shape[1:] != (NUM_ROWS, ROW_WIDTH):
        raise FormatError(name, None, f"a [T, {NUM_ROWS}, {ROW_WIDTH}] motion", found=f"shape {list(motion.shape)}")
    if not np.isfinite(motion).all():
        raise FormatError(name, None, "finite values", found="NaN or infinity")
    out = np.empty((motion.shape[0], FEATURE_DIM), dtype=np.float32)
    _features_kernel(np.ascontiguousarray(motion, dtype=np.float32), out)
    return out


@numba.njit(cache=True)
def _features_kernel(motion, out):
    """One compiled pass (the protocol converts millions of frames): each rotation's first two matrix rows
    by Rodrigues' formula in float64, P1 then P2 per row; the translation row padded with zeros."""
    for t in range(motion.shape[0]):
        for r in range(NUM_ROWS):
            for p in range(2):
                x, y, z = np.float64(motion[t, r, 3 * p]), np.float64(motion[t, r, 3 * p + 1]), \
                    np.float64(motion[t, r, 3 * p + 2])
                o = r * 12 + p * 6
                if r == NUM_ROWS - 1:
                    out[t, o:o + 6] = (x, y, z, 0.0, 0.0, 0.0)
                    continue
                a, b = rodrigues_coefficients(x * x + y * y + z * z)
                out[t, o] = 1.0 - b * (y * y + z * z)
                out[t, o + 1] = b * x * y - a * z
                out[t, o + 2] = b * x * z + a * y
                out[t, o + 3] = b * x * y + a * z
                out[t, o + 4] = 1.0 - b * (x * x + z * z)
                out[t, o + 5] = b * y * z - a * x


def padding_frame() -> np.ndarray:
    """The features of a padded frame: zero axis-angle (identity rotations) and zero translation."""
    return evaluator_features(np.zeros((1, NUM_ROWS, ROW_WIDTH), np.float32))[0]


@dataclass(frozen=True, order=True)
class Crop:
    """One crop form: `length` frames (at most 150) starting at `offset`."""

    offset: int
    length: int


def crop_forms(num_frames: int) -> dict[Crop, float]:
    """Every crop the official sampling can produce for a sequence, with its probability."""
    if num_frames < UNIT_LENGTH * 2:
        raise InterXError(f"a sequence of {num_frames} frames is too short to crop (need {UNIT_LENGTH * 2} or more)")
    forms: dict[Crop, float] = {}
    full = num_frames // UNIT_LENGTH * UNIT_LENGTH
    for length, chance in ((full, 1 - SHORTER_CROP_PROBABILITY), (full - UNIT_LENGTH, SHORTER_CROP_PROBABILITY)):
        starts = num_frames - length + 1
        for offset in range(starts):
            crop = Crop(offset, min(length, MAX_MOTION_LENGTH))
            forms[crop] = forms.get(crop, 0.0) + chance / starts
    return forms


def sample_crop(num_frames: int, rng: np.random.Generator) -> Crop:
    """Draw one crop as the official dataset does (shorter length with probability 1/3, uniform offset)."""
    length = num_frames // UNIT_LENGTH * UNIT_LENGTH
    if rng.random() < SHORTER_CROP_PROBABILITY:
        length -= UNIT_LENGTH
    offset = int(rng.integers(0, num_frames - length + 1))
    return Crop(offset, min(length, MAX_MOTION_LENGTH))


def crop_features(features: np.ndarray, crop: Crop, padded_length: int = MAX_MOTION_LENGTH) -> np.ndarray:
    """Cut one crop out of [T, 672] features and pad it with identity frames to `padded_length`."""
    if crop.offset + crop.length > features.shape[0] or crop.length > padded_length:
        raise ValueError(f"crop {crop} does not fit {features.shape[0]} frames padded to {padded_length}")
    out = np.empty((padded_length, features.shape[1]), dtype=np.float32)
    out[:crop.length] = features[crop.offset:crop.offset + crop.length]
    out[crop.length:] = padding_frame()
    return out


# ---------------------------------------------------------------------- text
def token_tag(word: str, pos: str, vocab: GloveVocab) -> tuple[np.ndarray, int]:
    """The word vector and part-of-speech index of one `word/POS` token."""
    vector = vocab.vector(word)
    if vector is None:
        return _required_vector(vocab, "unk"), POS_INDEX["OTHER"]
    for tag, words in VIP_WORDS.items():
        if word in words:
            return vector, POS_INDEX[tag]
    return vector, POS_INDEX.get(pos, POS_INDEX["OTHER"])


def _required_vector(vocab: GloveVocab, word: str) -> np.ndarray:
    vector = vocab.vector(word)
    if vector is None:
        raise FormatError("glove vocabulary", word, f"a vector for {word!r} (the evaluator needs sos, eos and unk)",
                          found="none")
    return vector


def text_tokens(tokens: Sequence[str], max_tokens: int = MAX_TEXT_TOKENS) -> list[str]:
    """The `word/POS` tokens the evaluator reads: `sos`, the first `max_tokens`, `eos`."""
    return ["sos/OTHER", *list(tokens)[:max_tokens], "eos/OTHER"]


def token_input(token: str, vocab: GloveVocab) -> tuple[np.ndarray, int]:
    """The word vector and part-of-speech index of one `word/POS` string."""
    word, _, tag = token.rpartition("/")
    return token_tag(word, tag, vocab)


def text_input(tokens: Sequence[str], vocab: GloveVocab,
               max_tokens: int = MAX_TEXT_TOKENS) -> tuple[np.ndarray, np.ndarray, int]:
    """`word/POS` tokens -> (word vectors [37, D], POS one-hot [37, 15], length) as the evaluator reads them."""
    check_special_words(vocab)
    padded = text_tokens(tokens, max_tokens)
    length = len(padded)
    padded += ["unk/OTHER"] * (max_tokens + 2 - length)
    words = np.zeros((len(padded), vocab.vectors.shape[1]), dtype=np.float32)
    pos = np.zeros((len(padded), len(POS_TAGS)), dtype=np.float32)
    for i, token in enumerate(padded):
        words[i], index = token_input(token, vocab)
        pos[i, index] = 1.0
    return words, pos, length


def check_special_words(vocab: GloveVocab) -> None:
    """The vocabulary has the vectors the evaluator needs (`sos`, `eos`, `unk`)."""
    for word in SPECIAL_WORDS:
        _required_vector(vocab, word)
