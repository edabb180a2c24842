"""Smooth time curves for procedural motion at `FPS` (120) frames per second.

Every curve is built from keyframes joined by the quintic smootherstep
(zero velocity and acceleration at each key), which is how a minimum-jerk
human reach looks and guarantees no jumps between frames.
"""

from __future__ import annotations

import numpy as np

FPS = 120.0  # frames per second of every synthetic take (Inter-X's rate)


def smootherstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * x * (x * (6.0 * x - 15.0) + 10.0)


def keyframes(num_frames: int, times, values, fps: float = FPS) -> np.ndarray:
    """Hold the first value, ease between consecutive keys, hold the last.

    `times` are seconds (non-decreasing); `values` is `(K, ...)`. Returns
    `(num_frames, ...)`.
    """
    times = np.asarray(times, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if len(times) != len(values) or len(times) == 0:
        raise ValueError(f"need as many times as values, got {len(times)} and {len(values)}")
    if np.any(np.diff(times) < 0):
        raise ValueError(f"keyframe times must not decrease, got {np.round(times, 3).tolist()}")
    t = np.arange(num_frames) / fps
    seg = np.clip(np.searchsorted(times, t, side="right") - 1, 0, len(times) - 1)
    nxt = np.minimum(seg + 1, len(times) - 1)
    span = np.maximum(times[nxt] - times[seg], 1e-9)
    w = smootherstep((t - times[seg]) / span)
    w = np.where(nxt == seg, 0.0, w).reshape((-1,) + (1,) * (values.ndim - 1))
    return values[seg] * (1.0 - w) + values[nxt] * w


def envelope(num_frames: int, start: float, rise: float, end: float, fall: float, fps: float = FPS) -> np.ndarray:
    """0 before `start`, eases to 1 over `rise` s, holds, eases to 0 ending at `end`.

    A window shorter than `rise + fall` shrinks both ramps in proportion (no hold).
    """
    window = max(end - start, 0.0)
    if rise + fall > window:
        scale = window / max(rise + fall, 1e-9)
        rise, fall = rise * scale, fall * scale
    times = np.maximum.accumulate([start, start + rise, end - fall, end])  # rounding may reorder by an ulp
    return keyframes(num_frames, times, [0.0, 1.0, 1.0, 0.0], fps)


def oscillation(num_frames: int, start: float, cycles: float, frequency: float, fps: float = FPS) -> np.ndarray:
    """A sine that runs `cycles` full periods from `start`, zero elsewhere."""
    t = np.arange(num_frames) / fps - start
    active = (t >= 0) & (t <= cycles / frequency)
    return np.where(active, np.sin(2 * np.pi * frequency * t), 0.0)


def bumps(num_frames: int, start: float, count: int, frequency: float, fps: float = FPS) -> np.ndarray:
    """`count` smooth 0-1-0 pulses of period 1/frequency from `start` (zero velocity at both ends)."""
    t = np.arange(num_frames) / fps - start
    active = (t >= 0) & (t <= count / frequency)
    return np.where(active, 0.5 - 0.5 * np.cos(2 * np.pi * frequency * t), 0.0)


def sway(num_frames: int, rng: np.random.Generator, amplitude: float, period: float = 4.0, fps: float = FPS):
    """Slow idle drift (breathing, weight shift): a sum of two random-phase sines."""
    t = np.arange(num_frames) / fps
    p1, p2 = rng.uniform(0, 2 * np.pi, 2)
    f1 = 1.0 / (period * rng.uniform(0.8, 1.25))
    return amplitude * (0.7 * np.sin(2 * np.pi * f1 * t + p1) + 0.3 * np.sin(2 * np.pi * 2.3 * f1 * t + p2))


def smooth(x: np.ndarray, seconds: float) -> np.ndarray:
    """Low-pass a per-frame curve with a Hann window `seconds` wide (edges held)."""
    n = max(3, int(seconds * FPS) | 1)
    window = np.hanning(n)
    window /= window.sum()
    padded = np.pad(x, n // 2, mode="edge")
    return np.convolve(padded, window, mode="valid")
