"""Writing frames to files: H.264 MP4 through imageio-ffmpeg, and GIF through Pillow."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import numba
import numpy as np
from PIL import Image

from interx.data.atomic import atomic_path
from interx.errors import InterXError


@numba.njit(cache=True, nogil=True)
def _yuv420p(rgb, out):
    # Serial on purpose: called once per frame, a parallel region costs more to start than it saves.
    # Without the GIL, so the writer thread converts while the main thread draws the next frame.
    height, width, _ = rgb.shape
    chroma_w = width // 2
    y_size = height * width
    c_size = (height // 2) * chroma_w
    for row in range(height):
        for col in range(width):
            r, g, b = np.int32(rgb[row, col, 0]), np.int32(rgb[row, col, 1]), np.int32(rgb[row, col, 2])
            out[row * width + col] = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16
    for row in range(height // 2):
        for col in range(chroma_w):
            r = g = b = np.int32(0)
            for dy in range(2):
                for dx in range(2):
                    r += rgb[2 * row + dy, 2 * col + dx, 0]
                    g += rgb[2 * row + dy, 2 * col + dx, 1]
                    b += rgb[2 * row + dy, 2 * col + dx, 2]
            r, g, b = (r + 2) >> 2, (g + 2) >> 2, (b + 2) >> 2
            out[y_size + row * chroma_w + col] = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128
            out[y_size + c_size + row * chroma_w + col] = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128


def rgb_to_yuv420p(rgb: np.ndarray) -> np.ndarray:
    """Planar yuv420p bytes (BT.601, limited range: what ffmpeg assumes) of an even-sized RGB frame."""
    height, width = rgb.shape[:2]
    if height % 2 or width % 2:
        raise ValueError(f"yuv420p needs even frame sizes, got {width}x{height}")
    out = np.empty(height * width * 3 // 2, np.uint8)
    _yuv420p(np.ascontiguousarray(rgb, dtype=np.uint8), out)
    return out


def write_mp4(path: Path, frames: Iterator[np.ndarray], size: tuple[int, int], fps: float) -> None:
    """H.264 (yuv420p) through the ffmpeg that imageio-ffmpeg ships.

    Frames go to ffmpeg as yuv420p (half the bytes of RGB, and ffmpeg's own
    conversion was 40% of its time), converted and written by a second
    thread: the conversion and the pipe both release the GIL, so drawing the
    next frames overlaps with them instead of waiting.
    """
    import imageio_ffmpeg

    with atomic_path(path) as tmp:
        writer = imageio_ffmpeg.write_frames(
            str(tmp), size, fps=fps, codec="libx264", pix_fmt_in="yuv420p", pix_fmt_out="yuv420p", quality=None,
            macro_block_size=2, ffmpeg_log_level="error", output_params=["-preset", "ultrafast", "-crf", "20"],
        )
        writer.send(None)
        pending: queue.Queue = queue.Queue(maxsize=32)
        failure: list[BaseException] = []

        def feed() -> None:
            while (frame := pending.get()) is not None:
                if not failure:
                    try:
                        writer.send(rgb_to_yuv420p(frame))
                    except BaseException as exc:  # noqa: BLE001 (handed to the main thread)
                        failure.append(exc)

        feeder = threading.Thread(target=feed, name="interx-mp4-writer", daemon=True)
        feeder.start()
        try:
            for frame in frames:
                if failure:
                    break
                pending.put(frame)
        finally:
            pending.put(None)
            feeder.join()
            writer.close()
        if failure:
            raise InterXError(f"{path}: ffmpeg failed: {failure[0]}") from failure[0]


def write_gif(path: Path, frames: Iterator[np.ndarray], fps: float) -> None:
    """Looping GIF; each frame gets its own small palette (flat colours quantize well)."""
    images = [Image.fromarray(f).quantize(colors=96, method=Image.Quantize.FASTOCTREE) for f in frames]
    if not images:
        raise InterXError("no frames to write")
    with atomic_path(path) as tmp:
        images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:], duration=round(1000 / fps),
                       loop=0, optimize=False)


