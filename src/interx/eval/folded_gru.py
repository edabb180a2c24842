"""The evaluator's bidirectional GRUs with their input maps folded into the gates, run over a trie.

Both evaluator encoders reach their GRU through linear maps only (`input_emb`,
and for motions the movement encoder's `out_net` before it), and the GRU's
input weights are linear too, so the whole input side is one matrix per
direction (folded in float64), applied once per distinct input row instead
of once per step. A sequence is then a list of rows of that table. The
recurrence runs level by level over the trie of the sequences: sequences that
begin alike (forward direction) or end alike (backward) share those steps,
for example crops of a motion from the same offset, or texts that begin with
the same words.

The result equals the encoder on the padded batch up to float rounding.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class FoldedBiGRU:
    """`encoder` (an evaluator `_BiGRUEncoder`) with an optional linear layer `before` its `input_emb`."""

    def __init__(self, encoder: nn.Module, before: nn.Linear | None = None):
        weight, bias = encoder.input_emb.weight.detach().double(), encoder.input_emb.bias.detach().double()
        if before is not None:
            weight, bias = weight @ before.weight.detach().double(), weight @ before.bias.detach().double() + bias
        gru = encoder.gru
        self.hidden = gru.hidden_size
        suffixes = ("", "_reverse")  # forward, backward
        self.gates_w, self.gates_b = [], []
        for suffix in suffixes:
            w_ih = getattr(gru, f"weight_ih_l0{suffix}").detach().double()
            b_ih = getattr(gru, f"bias_ih_l0{suffix}").detach().double()
            self.gates_w.append((w_ih @ weight).T.float().contiguous())  # [input, 3 * hidden]
            self.gates_b.append((w_ih @ bias + b_ih).float())
        self.recurrent_w = torch.stack([getattr(gru, f"weight_hh_l0{s}").detach().T for s in suffixes])
        self.recurrent_b = torch.stack([getattr(gru, f"bias_hh_l0{s}").detach() for s in suffixes])
        # The candidate gate's pre-activation doubled (exact in floats): tanh(x) = 2 sigmoid(2x) - 1, and
        # torch's CPU sigmoid is several times faster than its tanh.
        for w, b in [*zip(self.gates_w, self.gates_b), (self.recurrent_w, self.recurrent_b)]:
            w[..., 2 * self.hidden:] *= 2
            b[..., 2 * self.hidden:] *= 2
        self.initial = encoder.hidden.detach()  # [2, 1, hidden]
        self.output_net = encoder.output_net
        self.device = self.initial.device

    def gates(self, inputs: torch.Tensor) -> list[torch.Tensor]:
        """Input rows [N, input] -> per direction, their gate rows [N, 3 * hidden]."""
        return [torch.addmm(b, inputs, w) for w, b in zip(self.gates_w, self.gates_b)]

    def embed(self, gates: list[torch.Tensor], sequences: np.ndarray, lengths: np.ndarray) -> torch.Tensor:
        """Sequences of gate rows [S, longest] (anything past a sequence's length) -> the output head [S, E]."""
        reversed_steps = np.maximum(lengths[:, None] - 1 - np.arange(sequences.shape[1]), 0)
        backward = np.take_along_axis(sequences, reversed_steps, axis=1)
        last = [self._last_states(d, gates[d], rows, lengths) for d, rows in enumerate((sequences, backward))]
        return self.output_net(torch.cat(last, dim=-1))

    def _last_states(self, direction: int, gates: torch.Tensor, sequences: np.ndarray,
                     lengths: np.ndarray) -> torch.Tensor:
        hidden = self.hidden
        weight, bias = self.recurrent_w[direction], self.recurrent_b[direction]
        last = torch.empty(len(sequences), hidden, device=self.device)
        node = np.zeros(len(sequences), dtype=np.int64)  # each sequence's trie node at the previous level
        state = self.initial[direction]
        for t in range(sequences.shape[1]):
            alive = np.flatnonzero(lengths > t)
            nodes, node[alive] = np.unique(node[alive] * len(gates) + sequences[alive, t], return_inverse=True)
            parents, gate_rows = np.divmod(nodes, len(gates))
            inputs = gates[self._tensor(gate_rows)]
            previous = state[self._tensor(parents)]
            recurrent = torch.addmm(bias, state if t == 0 else previous, weight)  # t = 0: one initial state
            reset_update = inputs[:, :2 * hidden].add_(recurrent[:, :2 * hidden]).sigmoid_()
            candidate = torch.addcmul(inputs[:, 2 * hidden:], reset_update[:, :hidden], recurrent[:, 2 * hidden:])
            candidate = candidate.sigmoid_().mul_(2).sub_(1)  # tanh of the undoubled pre-activation
            state = torch.lerp(candidate, previous, reset_update[:, hidden:])  # (1 - z) n + z h
            ending = alive[lengths[alive] == t + 1]
            last[self._tensor(ending)] = state[self._tensor(node[ending])]
        return last

    def _tensor(self, array: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(array).to(self.device)
