"""Videos (MP4, GIF) and contact sheets (PNG) of two-person clips.

One still camera frames both persons over the whole clip (or circles them for
`orbit`), the floor is drawn once into a background, and each frame adds only
the figures: stick figures with Pillow, or meshes through the numba z-buffer
in batches of frames. `--compare` puts a second clip beside the first on the
same time axis and the same camera, so sizes and positions compare directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from interx.body.model import BodyModel
from interx.data.atomic import atomic_path
from interx.errors import InterXError
from interx.viz import raster
from interx.viz.camera import Camera, floor_grid, frame_camera
from interx.viz.skinning import mannequin_skin
from interx.viz.sources import Clip, Source
from interx.viz.video import write_gif, write_mp4

Progress = Callable[[int, int], None]
OUTPUT_SUFFIXES = (".mp4", ".gif", ".png")
CHUNK = 16  # frames rasterized together (parallel over frames)


@dataclass
class RenderOptions:
    """How to draw: view, frame (or contact-sheet cell) size, skeleton or mesh."""

    view: str = "front"
    width: int = 640
    height: int = 480
    mesh: bool = False
    smplx_model: str | os.PathLike | None = None
    rows: int = 3
    cols: int = 4

    def __post_init__(self) -> None:
        if self.width < 64 or self.height < 48:
            raise InterXError(f"frame size must be at least 64x48, got {self.width}x{self.height}")
        if self.rows < 1 or self.cols < 1:
            raise InterXError(f"contact sheet grid must be at least 1x1, got {self.rows}x{self.cols}")
        # H.264 with yuv420p needs even sizes
        self.width += self.width % 2
        self.height += self.height % 2


def parse_size(text: str) -> tuple[int, int]:
    """'640x480' -> (640, 480), with a clear error otherwise."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise InterXError(f"size must look like 640x480, got {text!r}") from None
    return w, h


def person_colours(clip: Clip) -> list[tuple[int, int, int]]:
    """Colour of each person: the actor gets the first colour, the reactor the second."""
    if clip.labels.actor == 1 and clip.num_persons == 2:
        return [raster.PERSON_COLOURS[1], raster.PERSON_COLOURS[0]]
    return list(raster.PERSON_COLOURS[: clip.num_persons])


def _roots(clip: Clip) -> np.ndarray:
    """Per-person horizontal position path `(P, T, 3)`: the mean of each frame's points."""
    return clip.joints.mean(axis=2)


def _time_aligned(joints: np.ndarray, frames: int) -> np.ndarray:
    """Pad a `(P, T, J, 3)` clip to `frames` by holding its last frame."""
    if joints.shape[1] >= frames:
        return joints
    hold = np.repeat(joints[:, -1:], frames - joints.shape[1], axis=1)
    return np.concatenate([joints, hold], axis=1)


def shared_camera(clips: list[Clip], view: str, width: int, height: int, top: int = 0) -> Camera:
    """One camera for all panels: framing the union of the clips over the longest one, below `top` rows."""
    frames = max(c.num_frames for c in clips)
    aligned = [_time_aligned(c.joints, frames) for c in clips]
    points = np.concatenate([a.transpose(1, 0, 2, 3).reshape(frames, -1, 3) for a in aligned], axis=1)
    roots = _roots(clips[0])
    return frame_camera(points, roots, view, width, height, top=top)


def _thin_bones(clip: Clip) -> np.ndarray:
    """Finger bones are drawn thinner: SMPL-X rows 25-54, or the marker fingers."""
    bones = np.asarray(clip.bones, dtype=np.int64).reshape(-1, 2)
    if clip.joints.shape[2] == 55:
        return bones.max(axis=1) >= 25
    fingers = np.zeros(clip.joints.shape[2], bool)
    fingers[15:35] = True
    fingers[39:59] = True
    return fingers[bones[:, 1]]


class Panel:
    """Draws frames of one clip with a given camera."""

    def __init__(self, clip: Clip, camera: Camera, *, mesh: bool = False, smplx_model=None, caption: bool = True,
                 title: str | None = None, counter: bool = True):
        """`caption=False` for contact-sheet stills: no caption or legend (the sheet has them), time only."""
        self.clip = clip
        self.camera = camera
        self.colours = person_colours(clip)
        self.counter = counter
        self.bones = np.asarray(clip.bones, dtype=np.int64).reshape(-1, 2)
        self.thin = _thin_bones(clip)
        labels = clip.labels
        head = title or " · ".join(x for x in (labels.id, labels.action) if x)
        size = raster.text_size(camera.height)
        self.caption = (raster.caption_lines(head, labels.texts[0] if labels.texts else None, size,
                                             camera.width - size) if caption else [])
        self.legend = list(zip(labels.person_names(clip.num_persons), self.colours))
        self.still = not caption
        floor = float(np.nanmin(clip.joints[..., 1]))
        self.floor_quad, self.grid = floor_grid(clip.joints, floor)
        self._backgrounds: dict[int, Image.Image] = {}
        self.mesh = False
        if mesh:
            self._setup_mesh(smplx_model)

    def _setup_mesh(self, smplx_model) -> None:
        if self.clip.poses is None:
            raise InterXError(f"{self.clip.source}: --mesh needs SMPL-X parameters; marker skeletons have none")
        self.smplx_body = BodyModel(smplx_model) if smplx_model is not None else None
        if self.smplx_body is not None:
            self.skins = []
            faces = self.smplx_body.faces
        else:
            self.skins = [mannequin_skin(p.betas) for p in self.clip.poses]
            faces = self.skins[0].faces
        self.faces_one = np.asarray(faces, np.int64)
        self.mesh = True

    def background(self, frame: int) -> Image.Image:
        """Floor, caption and legend for a frame's camera (drawn once for a still camera)."""
        key = min(frame, len(self.camera.rotation) - 1)
        if key not in self._backgrounds:
            if len(self._backgrounds) > 64:
                self._backgrounds.clear()
            self._backgrounds[key] = raster.draw_background(self.camera.at(key), self.floor_quad, self.grid,
                                                            self.caption, [] if self.still else self.legend)
        return self._backgrounds[key]

    def _mesh_vertices(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertices of all persons for `indices`, faces into them, and each face's colour row."""
        verts, faces, colour = [], [], []
        offset = 0
        for p, person in enumerate(self.clip.poses):
            if self.smplx_body is not None:
                v = np.asarray(self.smplx_body.vertices(person.pose[indices], person.trans[indices], person.betas),
                               np.float32)
            else:
                v = self.skins[p].vertices(person.pose[indices], person.trans[indices])
            verts.append(v)
            faces.append(self.faces_one + offset)
            colour.append(np.full(len(self.faces_one), p, np.int64))
            offset += v.shape[1]
        return np.concatenate(verts, axis=1), np.concatenate(faces), np.concatenate(colour)

    def frames(self, indices: np.ndarray) -> np.ndarray:
        """Frames `(n, H, W, 3)` uint8 for clip frame `indices` (past the end: the last frame held)."""
        return np.stack(self.frame_list(indices))

    def frame_list(self, indices: np.ndarray) -> list[np.ndarray]:
        """`frames` as a list of `(H, W, 3)` arrays: videos stream them without stacking a copy."""
        indices = np.asarray(indices, dtype=np.int64)
        shown = np.minimum(indices, self.clip.num_frames - 1)
        cams = [self.camera.at(int(i)) for i in indices]
        if self.mesh:
            out = np.stack([np.asarray(self.background(int(i))) for i in indices])
            verts, faces, colour = self._mesh_vertices(shown)
            if len(self.camera.rotation) == 1:
                cam_verts = self.camera.to_camera(verts)
            else:
                cam_verts = np.concatenate([c.to_camera(v[None]) for c, v in zip(cams, verts)])
            raster.rasterize_meshes(out, cam_verts, faces, colour, np.asarray(self.colours), self.camera.focal,
                                    self.camera.cy)
        else:
            joints = self.clip.joints[:, shown]  # (P, n, J, 3)
            persons = joints.shape[0]
        images = []
        for k, i in enumerate(indices.tolist()):
            image = Image.fromarray(out[k]) if self.mesh else self.background(i).copy()
            if not self.mesh:
                uv, depth = cams[k].project(joints[:, k].reshape(1, -1, 3))
                uv = uv.reshape(persons, -1, 2)
                depth = depth.reshape(persons, -1)
                raster.draw_skeletons(image, uv, depth, self.bones, self.thin, self.colours)
            if self.counter:
                raster.draw_counter(image, int(min(i, self.clip.num_frames - 1)), self.clip.num_frames,
                                    self.clip.fps, time_only=self.still)
            images.append(np.asarray(image))
        return images


def make_panels(clips: list[Clip], options: RenderOptions, *, caption: bool = True,
                counter: bool = True) -> list[Panel]:
    # Videos keep the caption's rows (title and up to 3 lines of text) clear of the figures.
    size = raster.text_size(options.height)
    top = round(size * 1.25) * 4 + size // 2 if caption else 0
    camera = shared_camera(clips, options.view, options.width, options.height, top=top)
    titles = [None] * len(clips)
    if len(clips) > 1:
        titles = [" · ".join(x for x in (Path(c.source).name or c.source, c.labels.id, c.labels.action) if x)
                  for c in clips]
    return [Panel(c, camera, mesh=options.mesh, smplx_model=options.smplx_model, caption=caption, title=t,
                  counter=counter) for c, t in zip(clips, titles)]


def iter_frames(panels: list[Panel], progress: Progress | None = None) -> Iterator[np.ndarray]:
    """Side-by-side frames of all panels, on the time axis of the longest clip."""
    total = max(p.clip.num_frames for p in panels)
    for start in range(0, total, CHUNK):
        indices = np.arange(start, min(total, start + CHUNK))
        parts = [p.frame_list(indices) for p in panels]
        if len(parts) == 1:
            yield from parts[0]
        else:
            yield from (np.concatenate(side_by_side, axis=1) for side_by_side in zip(*parts))
        if progress:
            progress(int(indices[-1]) + 1, total)


def _header(width: int, lines: list[str], legend, size: int) -> Image.Image:
    height = round(size * 1.25) * (len(lines) + 1) + size
    image = Image.new("RGB", (width, height), raster.BACKGROUND)
    draw = ImageDraw.Draw(image)
    raster.draw_caption(draw, lines, width, height)
    raster.draw_legend(draw, legend, height)
    return image


def contact_sheet(panels: list[Panel], rows: int, cols: int, progress: Progress | None = None) -> Image.Image:
    """A grid of stills at evenly spaced frames, under a caption header."""
    total = max(p.clip.num_frames for p in panels)
    picks = np.unique(np.linspace(0, total - 1, rows * cols).round().astype(np.int64))
    cells = [p.frames(picks) for p in panels]
    stills = cells[0] if len(cells) == 1 else np.concatenate(cells, axis=2)
    cell_h, cell_w = stills.shape[1:3]
    gap = 4
    width = cols * cell_w + (cols + 1) * gap
    size = raster.text_size(max(cell_h, 240))
    lines = []
    for panel in panels:
        labels = panel.clip.labels
        head = " · ".join(x for x in (Path(panel.clip.source).name if len(panels) > 1 else "", labels.id,
                                      labels.action) if x)
        lines += raster.caption_lines(head, labels.texts[0] if labels.texts else None, size, width - size, 2)
    header = _header(width, lines, panels[0].legend, size)
    sheet = Image.new("RGB", (width, header.height + rows * (cell_h + gap) + gap), (255, 255, 255))
    sheet.paste(header, (0, 0))
    for k, still in enumerate(stills):
        r, c = divmod(k, cols)
        sheet.paste(Image.fromarray(still), (gap + c * (cell_w + gap), header.height + gap + r * (cell_h + gap)))
    if progress:
        progress(total, total)
    return sheet


def render(clips: list[Clip], out: str | os.PathLike, options: RenderOptions, *,
           progress: Progress | None = None) -> Path:
    """Write `out` (.mp4, .gif or a .png contact sheet) of one clip, or of clips side by side."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InterXError(f"{out}: output must end in {', '.join(OUTPUT_SUFFIXES)}")
    if not clips:
        raise InterXError("nothing to render")
    fps = clips[0].fps
    if suffix == ".png":
        panels = make_panels(clips, options, caption=False)
        with atomic_path(out) as tmp:
            contact_sheet(panels, options.rows, options.cols, progress).save(tmp, format="PNG", optimize=True)
        return out
    panels = make_panels(clips, options)
    frames = iter_frames(panels, progress)
    if suffix == ".gif":
        write_gif(out, frames, fps)
    else:
        write_mp4(out, frames, (options.width * len(panels), options.height), fps)
    return out


def per_action_sheet(source: Source, out: str | os.PathLike, *, stills: int = 6, width: int = 200,
                     height: int = 150, view: str = "front", fps: float = 30.0,
                     progress: Progress | None = None) -> tuple[Path, list[str]]:
    """One row per action: the first sequence of each action in the source, `stills` evenly spaced frames.

    Returns the written path and the ids shown (one per action, in action order).
    """
    by_action: dict[str, str] = {}
    for seq_id in source.ids:
        action = source.labels(seq_id).action or "?"
        by_action.setdefault(action, seq_id)
    if not by_action:
        raise InterXError(f"{source.name}: holds no sequences")
    options = RenderOptions(view=view, width=width, height=height, rows=1, cols=stills)
    size = 13
    label_w = 160
    gap = 3
    rows = []
    for k, (action, seq_id) in enumerate(by_action.items()):
        clip = source.clip(seq_id, fps)
        panel = make_panels([clip], options, caption=False)[0]
        picks = np.unique(np.linspace(0, clip.num_frames - 1, stills).round().astype(np.int64))
        row = Image.new("RGB", (label_w + stills * (width + gap), height + gap), (255, 255, 255))
        draw = ImageDraw.Draw(row)
        text = raster.wrap(action, size, label_w - 8) + [seq_id, f"{clip.num_frames / clip.fps:.1f} s"]
        for i, line in enumerate(text):
            draw.text((6, 6 + i * round(size * 1.3)), line, fill=raster.TEXT, font=raster.font(size))
        for j, still in enumerate(panel.frames(picks)):
            row.paste(Image.fromarray(still), (label_w + j * (width + gap), 0))
        rows.append(row)
        if progress:
            progress(k + 1, len(by_action))
    legend = [("actor (P1 when unknown)", raster.PERSON_COLOURS[0]),
              ("reactor (P2 when unknown)", raster.PERSON_COLOURS[1])]
    title = f"{Path(source.name).name}: one sequence per action, {stills} frames evenly spaced over each"
    header = _header(rows[0].width, raster.wrap(title, size, rows[0].width - size), legend, size)
    sheet = Image.new("RGB", (rows[0].width, header.height + sum(r.height for r in rows)), (255, 255, 255))
    sheet.paste(header, (0, 0))
    y = header.height
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    out = Path(out)
    with atomic_path(out) as tmp:
        sheet.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(tmp, format="PNG", optimize=True)
    return out, list(by_action.values())
