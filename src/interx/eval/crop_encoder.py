"""Motion embeddings of many crops of the same motions, computed once where the crops agree.

The protocol's crops of one motion are a handful of windows a few frames
apart. Everything before the motion GRU is local in time: the first
convolution reads 4 frames, the second 4 of its outputs two apart, and the
linear layers after it act frame by frame. So, for the whole motion at
once, this module runs the first convolution at every frame (stride 1), the
second as a dilated convolution at every position, and the three linear maps
that follow (`out_net`, `input_emb` and the GRU's input weights, folded into
one matrix: there is no nonlinearity between them). A crop at offset `o`
then reads its k-th movement frame at position `o + 4k - 3`. Only the
movement frames that touch the crop's edges (the convolutions' zero padding
at the start, the identity padding frames or the zero padding after the
crop) are recomputed from the crop's own padded input, two or three per
crop, and equal edges of different crops are computed once.

What is left per crop is the GRU's recurrence. It runs step by step over a
trie of the crops' movement frames (`FoldedBiGRU`), so crops that begin alike
(forward direction) or end alike (backward) share those steps: a motion's
full-length and shorter crops from the same offset, for instance.

The result equals `OfficialEvaluator.embed_motion` on the crops padded to
150 frames, up to float rounding (the sums run in another order).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch.nn import functional as F

from interx.eval.evaluator_input import MAX_MOTION_LENGTH, Crop, padding_frame
from interx.eval.folded_gru import FoldedBiGRU

LEAK = 0.2
TAPS = 4  # both convolutions: kernel 4, stride 2, padding 1


def _leaky(x: torch.Tensor) -> torch.Tensor:
    return F.leaky_relu(x, LEAK, inplace=True)


class CropEncoder:
    """The evaluator's motion side rearranged to share work between crops of one motion."""

    def __init__(self, evaluator, padded_length: int = MAX_MOTION_LENGTH):
        movement, motion = evaluator.movement_encoder, evaluator.motion_encoder
        conv1, conv2 = movement.main[0], movement.main[3]
        for conv in (conv1, conv2):
            if (conv.kernel_size[0], conv.stride[0], conv.padding[0], conv.dilation[0]) != (TAPS, 2, 1, 1):
                raise ValueError("CropEncoder expects the official convolutions (kernel 4, stride 2, padding 1)")
        self.unit_length = evaluator.unit_length
        if self.unit_length != 4:
            raise ValueError(f"CropEncoder expects a unit length of 4 (two stride-2 convolutions), got "
                             f"{self.unit_length}")
        self.padded_length = padded_length
        w1, w2 = conv1.weight.detach(), conv2.weight.detach()  # [out, in, tap]
        self.width1 = w1.shape[0]
        self.conv1_weight, self.conv2_weight = w1, w2
        self.conv1_window = w1.permute(2, 1, 0).reshape(-1, w1.shape[0]).contiguous()  # [tap * in, out]
        self.conv2_window = w2.permute(2, 1, 0).reshape(-1, w2.shape[0]).contiguous()
        self.bias1, self.bias2 = conv1.bias.detach(), conv2.bias.detach()

        self.gru = FoldedBiGRU(motion, before=movement.out_net)
        self.pad_frame = torch.from_numpy(padding_frame()).to(evaluator.device)
        self.device = evaluator.device

    @torch.no_grad()
    def encode(self, motions: Sequence[np.ndarray], crops: Sequence[Sequence[Crop]]) -> list[np.ndarray]:
        """`motions[m]` ([T, 672] features, at least up to its last crop's end) and its crops -> per motion,
        an array [len(crops[m]), E] of embeddings in the order given."""
        # Zero rows after the last motion give both convolutions outputs even for one 4-frame motion;
        # no crop reads them.
        arrays = [np.asarray(m, dtype=np.float32) for m in motions]
        tail = np.zeros((3 * TAPS, arrays[0].shape[1] if arrays else 0), dtype=np.float32)
        frames = self._tensor(np.concatenate(arrays + [tail]))
        starts = np.cumsum([0] + [len(m) for m in motions])[:-1]
        plan = _Plan(self)
        for m, motion_crops in enumerate(crops):
            for crop in motion_crops:
                if crop.length > self.padded_length or crop.offset + crop.length > len(motions[m]):
                    raise ValueError(f"crop {crop} does not fit motion {m} of {len(motions[m])} frames "
                                     f"(padded to {self.padded_length})")
                if crop.length < self.unit_length:
                    raise ValueError(f"crop {crop} is shorter than {self.unit_length} frames")
                plan.add(int(starts[m]) + crop.offset, crop.length)

        # The first convolution at every frame, then its edge outputs from the crops' padded windows.
        extended = torch.cat([frames, self.pad_frame[None], torch.zeros(1, frames.shape[1], device=self.device)])
        conv1 = F.conv1d(frames.T[None], self.conv1_weight, self.bias1)[0].T
        edges1 = extended[self._tensor(plan.conv1_windows(len(frames)))].reshape(-1, self.conv1_window.shape[0])
        conv1 = _leaky(torch.cat([conv1, torch.addmm(self.bias1, edges1, self.conv1_window),
                                  torch.zeros(1, self.width1, device=self.device)]))
        # The second convolution at every position (dilation 2), then its edge outputs likewise.
        interior = len(conv1) - len(edges1) - 1
        conv2 = F.conv1d(conv1[:interior].T[None], self.conv2_weight, self.bias2, dilation=2)[0].T
        edges2 = conv1[self._tensor(plan.conv2_windows(interior, len(edges1)))].reshape(-1, self.conv2_window.shape[0])
        movements = _leaky(torch.cat([conv2, torch.addmm(self.bias2, edges2, self.conv2_window)]))
        # The folded input maps only where some crop reads a movement frame (not between phases or motions).
        rows = plan.movement_rows(len(conv2))
        used, rows = np.unique(rows, return_inverse=True)
        gates = self.gru.gates(movements[self._tensor(used)])
        embeddings = self.gru.embed(gates, rows.reshape(len(plan.lengths_list), -1), plan.lengths).cpu().numpy()
        out, start = [], 0
        for motion_crops in crops:
            out.append(embeddings[start:start + len(motion_crops)])
            start += len(motion_crops)
        return out

    def _tensor(self, array: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(array).to(self.device)


PAD, ZERO = -1, -2  # input markers: a padding frame, the convolution's zero padding


class _Plan:
    """Where each crop's convolution outputs and movement frames come from (row indices into shared tables).

    Crop input index i (0-based within the crop) is the motion frame `start + i` for i < length, a padding
    frame for length <= i < padded_length, and zero (the convolution's padding) for i < 0 or beyond.
    Output j of the first convolution reads inputs 2j-1 .. 2j+2; movement frame k reads outputs
    2k-1 .. 2k+2 (output -1 being zero padding). Shared rows index the motion-wide tables; edge outputs
    are numbered by what they read, so equal edges of different crops are one row.
    """

    def __init__(self, encoder: CropEncoder):
        self.padded_length = encoder.padded_length
        self.unit_length = encoder.unit_length
        self.lengths_list: list[int] = []
        self._conv1_edges: dict[tuple[int, ...], int] = {}  # the 4 inputs read -> edge row
        self._conv2_edges: dict[tuple[tuple[str, int], ...], int] = {}  # the 4 conv1 sources read -> edge row
        self._movements: list[np.ndarray] = []  # per crop: shared rows, or -1 - edge row

    def add(self, start: int, length: int) -> None:
        last_inside = (length - 3) // 2  # conv1 outputs 1..last_inside read only the crop's frames
        steps = length // self.unit_length
        rows = start + 4 * np.arange(steps, dtype=np.int64) - 3  # movement frames that read only shared outputs
        for k in (0, *range(max(1, (last_inside - 2) // 2 + 1), steps)):
            window = tuple(self._conv1_source(start, length, last_inside, j) for j in range(2 * k - 1, 2 * k + 3))
            rows[k] = -1 - self._conv2_edges.setdefault(window, len(self._conv2_edges))
        self._movements.append(rows)
        self.lengths_list.append(steps)

    def _conv1_source(self, start: int, length: int, last_inside: int, j: int) -> tuple[str, int]:
        if j < 0:
            return ("zero", 0)
        if 1 <= j <= last_inside:
            return ("shared", start + 2 * j - 1)
        inputs = tuple(start + i if 0 <= i < length else PAD if 0 <= i < self.padded_length else ZERO
                       for i in range(2 * j - 1, 2 * j + 3))
        return ("edge", self._conv1_edges.setdefault(inputs, len(self._conv1_edges)))

    @property
    def lengths(self) -> np.ndarray:
        return np.array(self.lengths_list, dtype=np.int64)

    def conv1_windows(self, num_frames: int) -> np.ndarray:
        """[edges, 4] rows into frames + [padding frame, zero frame]."""
        rows = np.array(list(self._conv1_edges), dtype=np.int64).reshape(-1, TAPS)
        return np.where(rows == PAD, num_frames, np.where(rows == ZERO, num_frames + 1, rows))

    def conv2_windows(self, num_shared: int, num_edges: int) -> np.ndarray:
        """[edges, 4] rows into conv1 outputs laid out as [shared, edge, zero]."""
        base = {"shared": 0, "edge": num_shared, "zero": num_shared + num_edges}
        return np.array([[base[kind] + row for kind, row in window] for window in self._conv2_edges],
                        dtype=np.int64).reshape(-1, TAPS)

    def movement_rows(self, num_shared: int) -> np.ndarray:
        """[crops, longest] rows into movement frames laid out as [shared, edge]; padded with row 0."""
        rows = np.zeros((len(self._movements), max(map(len, self._movements))), dtype=np.int64)
        for c, crop_rows in enumerate(self._movements):
            rows[c, :len(crop_rows)] = crop_rows
        return np.where(rows < 0, num_shared - 1 - rows, rows)
