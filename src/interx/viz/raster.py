"""Fast drawing of frames: Pillow for stick figures and text, a numba z-buffer
rasterizer for meshes.

A figure per frame from a plotting library costs tens of milliseconds; here a
frame is a copy of a pre-drawn background (floor, grid, caption, legend) plus
a few dozen lines, or a batch of frames rasterized in parallel.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

import numba
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from interx.viz.camera import Camera, clip_to_near

BACKGROUND = (246, 246, 243)
FLOOR = (214, 214, 208)
GRID = (178, 178, 172)
TEXT = (40, 40, 40)
# Person colours: index 0 is the actor (or P1 when the order is unknown), index 1 the reactor (or P2).
PERSON_COLOURS = ((228, 106, 24), (30, 110, 200))


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def wrap(text: str, size: int, width_px: int) -> list[str]:
    """Lines of `text` that fit `width_px` at font `size`."""
    chars = max(10, int(width_px / (0.55 * size)))
    return textwrap.wrap(text, chars) or [""]


def caption_lines(title: str, text: str | None, size: int, width_px: int, max_text_lines: int = 3) -> list[str]:
    lines = [title]
    if text:
        wrapped = wrap(text, size, width_px)
        if len(wrapped) > max_text_lines:
            wrapped = wrapped[:max_text_lines]
            wrapped[-1] = wrapped[-1][: max(0, len(wrapped[-1]) - 3)] + "..."
        lines += wrapped
    return lines


def draw_background(camera: Camera, floor_quad: np.ndarray, grid: np.ndarray, caption: list[str],
                    legend: list[tuple[str, tuple[int, int, int]]]) -> Image.Image:
    """Floor, grid, caption and legend for one camera (no persons)."""
    w, h = camera.width, camera.height
    image = Image.new("RGB", (w, h), BACKGROUND)
    draw = ImageDraw.Draw(image)
    quad_cam = camera.to_camera(floor_quad[None])[0]
    # Near-plane clipping of the quad's edges gives a convex polygon to fill.
    a, b, vis = clip_to_near(quad_cam, np.roll(quad_cam, -1, axis=0))
    corners = np.concatenate([np.stack([a[vis], b[vis]], axis=1).reshape(-1, 3)]) if vis.any() else np.empty((0, 3))
    if len(corners) >= 3:
        poly = camera.pixels(corners)
        draw.polygon([tuple(p) for p in np.clip(poly, -4 * w, 5 * w)], fill=FLOOR)
    ends = camera.to_camera(grid.reshape(1, -1, 3))[0].reshape(-1, 2, 3)
    a, b, vis = clip_to_near(ends[:, 0], ends[:, 1])
    line_width = max(1, round(h / 400))
    for pa, pb in zip(camera.pixels(a[vis]), camera.pixels(b[vis])):
        draw.line([tuple(np.clip(pa, -4 * w, 5 * w)), tuple(np.clip(pb, -4 * w, 5 * w))], fill=GRID, width=line_width)
    draw_caption(draw, caption, w, h)
    draw_legend(draw, legend, h)
    return image


def text_size(height: int) -> int:
    return max(9, round(height / 34))


def draw_caption(draw: ImageDraw.ImageDraw, lines: list[str], width: int, height: int) -> None:
    size = text_size(height)
    y = size // 2
    for i, line in enumerate(lines):
        draw.text((size // 2, y), line, fill=TEXT, font=font(size + 1 if i == 0 else size))
        y += round(size * 1.25)


def draw_legend(draw: ImageDraw.ImageDraw, legend: list[tuple[str, tuple[int, int, int]]], height: int) -> None:
    size = text_size(height)
    x, y = size // 2, height - round(size * 1.6)
    for name, colour in legend:
        draw.rectangle([x, y + 2, x + size - 2, y + size], fill=colour)
        draw.text((x + size + 4, y), name, fill=TEXT, font=font(size))
        x += size + 12 + int(font(size).getlength(name))


@lru_cache(maxsize=1024)
def _glyph(char: str, size: int) -> tuple[Image.Image, int, int]:
    """A character's mask, its top offset and its advance: drawing text from these costs a few pastes."""
    box = font(size).getbbox(char) if char.strip() else (0, 0, 0, 0)
    advance = round(font(size).getlength(char))
    if box[2] <= box[0] or box[3] <= box[1]:
        return Image.new("L", (1, 1), 0), 0, advance
    mask = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
    ImageDraw.Draw(mask).text((-box[0], -box[1]), char, fill=255, font=font(size))
    return mask, box[1], advance


def stamp_text(image: Image.Image, xy: tuple[int, int], text: str, size: int, right: bool = False) -> None:
    """Text from cached glyphs, for labels that change every frame (no kerning needed)."""
    glyphs = [_glyph(c, size) for c in text]
    x, y = xy
    if right:
        x -= sum(g[2] for g in glyphs)
    for mask, top, advance in glyphs:
        image.paste(TEXT, (x, y + top), mask)
        x += advance


def draw_counter(image: Image.Image, frame: int, total: int, fps: float, time_only: bool = False) -> None:
    """'frame i/T  t s' (or only 't s', for small stills) at the bottom right."""
    w, h = image.size
    size = text_size(h)
    label = f"{frame / fps:.2f} s" if time_only else f"frame {frame + 1}/{total}  {frame / fps:.2f} s"
    stamp_text(image, (w - size // 2, h - round(size * 1.6)), label, size, right=True)


def draw_skeletons(image: Image.Image, uv: np.ndarray, depth: np.ndarray, bones: np.ndarray,
                   thin: np.ndarray, colours: list[tuple[int, int, int]]) -> None:
    """Stick figures, far bones first so near limbs cover far ones.

    `uv` `(P, J, 2)`, `depth` `(P, J)`; `bones` `(B, 2)`; `thin` `(B,)` marks fingers.
    """
    draw = ImageDraw.Draw(image)
    h = image.size[1]
    width = max(2, round(h / 140))
    fine = max(1, width // 2)
    radius = width * 0.8
    bone_depth = (depth[:, bones[:, 0]] + depth[:, bones[:, 1]]) / 2  # (P, B)
    order = np.argsort(-bone_depth, axis=None)
    starts = uv[:, bones[:, 0]].tolist()
    ends = uv[:, bones[:, 1]].tolist()
    thin_list = thin.tolist()
    nb = len(bones)
    visible = ((depth[:, bones[:, 0]] > 0.05) & (depth[:, bones[:, 1]] > 0.05)).tolist()
    for flat in order.tolist():
        p, b = divmod(flat, nb)
        if not visible[p][b]:
            continue
        colour = colours[p % len(colours)]
        x0, y0 = starts[p][b]
        x1, y1 = ends[p][b]
        if thin_list[b]:
            draw.line((x0, y0, x1, y1), fill=colour, width=fine)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=width)
            draw.ellipse((x1 - radius, y1 - radius, x1 + radius, y1 + radius), fill=colour)


@numba.njit(parallel=True, cache=True, fastmath=True)
def _raster(images, cam, faces, face_colour, colours, focal, cy, near):
    """Z-buffer triangles of camera-space vertices `cam` (n, V, 3) into `images` (n, H, W, 3)."""
    n, height, width, _ = images.shape
    cx = width / 2.0
    lx, ly, lz = -0.35, 0.55, -0.76  # light from the upper left, behind the camera
    for f in numba.prange(n):
        zbuf = np.full((height, width), np.inf, dtype=np.float32)
        for t in range(faces.shape[0]):
            ia, ib, ic = faces[t, 0], faces[t, 1], faces[t, 2]
            za, zb, zc = cam[f, ia, 2], cam[f, ib, 2], cam[f, ic, 2]
            if za < near or zb < near or zc < near:
                continue
            xa = cx + focal * cam[f, ia, 0] / za
            ya = cy - focal * cam[f, ia, 1] / za
            xb = cx + focal * cam[f, ib, 0] / zb
            yb = cy - focal * cam[f, ib, 1] / zb
            xc = cx + focal * cam[f, ic, 0] / zc
            yc = cy - focal * cam[f, ic, 1] / zc
            area = (xb - xa) * (yc - ya) - (yb - ya) * (xc - xa)
            if area == 0.0:
                continue
            x0 = max(int(np.floor(min(xa, min(xb, xc)))), 0)
            x1 = min(int(np.ceil(max(xa, max(xb, xc)))), width - 1)
            y0 = max(int(np.floor(min(ya, min(yb, yc)))), 0)
            y1 = min(int(np.ceil(max(ya, max(yb, yc)))), height - 1)
            if x0 > x1 or y0 > y1:
                continue
            # Flat Lambert shading, two-sided (the normal's sign does not matter).
            ux, uy, uz = cam[f, ib, 0] - cam[f, ia, 0], cam[f, ib, 1] - cam[f, ia, 1], zb - za
            vx, vy, vz = cam[f, ic, 0] - cam[f, ia, 0], cam[f, ic, 1] - cam[f, ia, 1], zc - za
            nx, ny, nz = uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx
            norm = np.sqrt(nx * nx + ny * ny + nz * nz)
            if norm == 0.0:
                continue
            shade = 0.32 + 0.68 * abs(nx * lx + ny * ly + nz * lz) / norm
            k = face_colour[t]
            r = min(255.0, colours[k, 0] * shade)
            g = min(255.0, colours[k, 1] * shade)
            bl = min(255.0, colours[k, 2] * shade)
            inv = 1.0 / area
            for py in range(y0, y1 + 1):
                sy = py + 0.5
                for px in range(x0, x1 + 1):
                    sx = px + 0.5
                    w0 = ((xb - sx) * (yc - sy) - (yb - sy) * (xc - sx)) * inv
                    w1 = ((xc - sx) * (ya - sy) - (yc - sy) * (xa - sx)) * inv
                    w2 = 1.0 - w0 - w1
                    if w0 < 0.0 or w1 < 0.0 or w2 < 0.0:
                        continue
                    z = w0 * za + w1 * zb + w2 * zc
                    if z < zbuf[py, px]:
                        zbuf[py, px] = z
                        images[f, py, px, 0] = r
                        images[f, py, px, 1] = g
                        images[f, py, px, 2] = bl


def rasterize_meshes(images: np.ndarray, camera_vertices: np.ndarray, faces: np.ndarray, face_colour: np.ndarray,
                     colours: np.ndarray, focal: float, cy: float, near: float = 0.05) -> None:
    """Draw shaded meshes into `images` `(n, H, W, 3)` uint8 in place.

    `camera_vertices` `(n, V, 3)` in camera space, `faces` `(F, 3)` into V,
    `face_colour` `(F,)` rows of `colours` `(K, 3)`; `cy` the image row of the optical axis.
    """
    _raster(images, np.ascontiguousarray(camera_vertices, dtype=np.float32),
            np.ascontiguousarray(faces, dtype=np.int64), np.ascontiguousarray(face_colour, dtype=np.int64),
            np.asarray(colours, dtype=np.float64), float(focal), float(cy), float(near))
