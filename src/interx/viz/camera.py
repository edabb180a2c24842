"""A pinhole camera that frames two people for the whole clip.

Views are set relative to the pair, not to world axes, because raw captures
put the people anywhere and facing any way: `front` looks at the pair from the
side so both are seen side by side, `side` looks along the line joining them,
`top` looks down from above, `orbit` circles them once over the clip. The
camera stays still for a clip (except `orbit`) so motion reads as motion.
All frames are projected in one numpy call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from interx.errors import InterXError

VIEWS = ("front", "side", "top", "orbit")
FIELD_OF_VIEW = np.deg2rad(35.0)  # vertical
ELEVATION = {"front": 15.0, "side": 15.0, "orbit": 20.0, "top": 80.0}
NEAR = 0.05


@dataclass
class Camera:
    """World to camera rotations `(K, 3, 3)` and positions `(K, 3)`; K is 1 or one per frame."""

    rotation: np.ndarray
    position: np.ndarray
    focal: float
    width: int
    height: int
    centre_y: float | None = None  # image row of the optical axis; below the middle when a caption takes the top

    @property
    def cy(self) -> float:
        return self.height / 2 if self.centre_y is None else self.centre_y

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """Camera coordinates (x right, y up, z forward = depth) of `(T, N, 3)` points."""
        rel = points - self.position[:, None, :]
        return np.einsum("kij,knj->kni", self.rotation, rel, optimize=True)

    def pixels(self, cam: np.ndarray) -> np.ndarray:
        """Pixel coordinates `(..., 2)` of camera-space points (y down)."""
        z = np.maximum(cam[..., 2], NEAR)
        u = self.width / 2 + self.focal * cam[..., 0] / z
        v = self.cy - self.focal * cam[..., 1] / z
        return np.stack([u, v], axis=-1)

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixels `(T, N, 2)` and depths `(T, N)` of world points `(T, N, 3)`."""
        cam = self.to_camera(points)
        return self.pixels(cam), cam[..., 2]

    def at(self, frame: int) -> Camera:
        """The camera of one frame (itself when the camera is still)."""
        k = min(frame, len(self.rotation) - 1)
        return Camera(self.rotation[k:k + 1], self.position[k:k + 1], self.focal, self.width, self.height,
                      self.centre_y)


def _look_rotation(direction: np.ndarray) -> np.ndarray:
    """Rotations `(K, 3, 3)` (rows: right, up, forward) of cameras looking along `direction` `(K, 3)`."""
    forward = direction / np.linalg.norm(direction, axis=-1, keepdims=True)
    right = np.cross(forward, np.array([0.0, 1.0, 0.0]))
    right /= np.linalg.norm(right, axis=-1, keepdims=True)
    up = np.cross(right, forward)
    return np.stack([right, up, forward], axis=-2)


def pair_axis(roots: np.ndarray) -> np.ndarray:
    """Horizontal unit vector from person 1 to person 2 (mean root positions), `(3,)`.

    Falls back to world X when they stand on the same spot (a hug seen from above).
    """
    if roots.shape[0] < 2:
        return np.array([1.0, 0.0, 0.0])
    delta = roots[1].mean(axis=0) - roots[0].mean(axis=0)
    delta[1] = 0.0
    norm = np.linalg.norm(delta)
    return delta / norm if norm > 0.05 else np.array([1.0, 0.0, 0.0])


def front_direction(axis: np.ndarray) -> np.ndarray:
    """Horizontal direction from the pair to a `front` camera: perpendicular to the pair's axis."""
    front = np.array([-axis[2], 0.0, axis[0]])
    if front[2] < 0 or (front[2] == 0 and front[0] < 0):
        front = -front  # of the two sides, the one towards +Z (where a body in rest pose looks)
    return front


def _view_azimuths(view: str, axis: np.ndarray, num_frames: int) -> np.ndarray:
    """Horizontal directions from the target to the camera, one per camera, `(K, 3)`."""
    front = front_direction(axis)
    if view in ("front", "top"):
        return front[None]
    if view == "side":
        return axis[None]
    turns = 2 * np.pi * np.arange(num_frames) / max(num_frames, 1)
    base = np.arctan2(front[0], front[2])
    return np.stack([np.sin(base + turns), np.zeros_like(turns), np.cos(base + turns)], axis=-1)


def frame_camera(points: np.ndarray, roots: np.ndarray, view: str = "front", width: int = 640, height: int = 480,
                 margin: float = 0.08, top: int = 0) -> Camera:
    """A camera that keeps every point of the clip in the picture, below the first `top` rows (the caption).

    `points` `(T, N, 3)`: everything to frame (both persons, all frames);
    `roots` `(P, T, 3)`: the persons' root paths, which fix the views.
    """
    if view not in VIEWS:
        raise InterXError(f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    # Every point of up to 90 frames spread over the clip (sampling points instead could skip the head).
    frames = np.unique(np.linspace(0, points.shape[0] - 1, min(points.shape[0], 90)).astype(np.int64))
    flat = points[frames].reshape(-1, 3).astype(np.float64)
    flat = flat[np.all(np.isfinite(flat), axis=1)]
    # Joints lie inside the body: leave room above the head joint and below the ankles.
    flat = np.concatenate([flat + np.array([0.0, 0.2, 0.0]), flat - np.array([0.0, 0.06, 0.0])])
    low, high = flat.min(axis=0), flat.max(axis=0)
    target = (low + high) / 2
    num_frames = points.shape[0]
    horizontal = _view_azimuths(view, pair_axis(roots), num_frames)
    elevation = np.deg2rad(ELEVATION[view])
    to_camera = horizontal * np.cos(elevation)
    to_camera[:, 1] = np.sin(elevation)
    rotation = _look_rotation(-to_camera)
    focal = height / 2 / np.tan(FIELD_OF_VIEW / 2)
    top = int(np.clip(top, 0, height // 2))
    tan_x = (width / 2) / focal * (1 - margin)
    tan_y = ((height - top) / 2) / focal * (1 - margin)
    # Distance along the view axis that fits every point: x' / (d + z') <= tan.
    checks = rotation if len(rotation) <= 36 else rotation[np.linspace(0, len(rotation) - 1, 36).astype(np.int64)]
    rel = np.einsum("kij,nj->kni", checks, flat - target)
    need = np.maximum(np.abs(rel[..., 0]) / tan_x, np.abs(rel[..., 1]) / tan_y) - rel[..., 2]
    distance = max(float(need.max()), 1.0)
    position = target[None, :] + to_camera * distance
    return Camera(rotation, position, float(focal), int(width), int(height), top + (height - top) / 2)


def floor_grid(points: np.ndarray, floor: float, spacing: float = 0.5,
               extra: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """Floor quad corners `(4, 3)` and grid segments `(L, 2, 3)` around the clip at height `floor`."""
    flat = points.reshape(-1, 3)
    flat = flat[np.all(np.isfinite(flat), axis=1)]
    low = np.floor((flat[:, [0, 2]].min(axis=0) - extra) / spacing) * spacing
    high = np.ceil((flat[:, [0, 2]].max(axis=0) + extra) / spacing) * spacing
    xs = np.arange(low[0], high[0] + spacing / 2, spacing)
    zs = np.arange(low[1], high[1] + spacing / 2, spacing)
    segments = [((x, floor, low[1]), (x, floor, high[1])) for x in xs]
    segments += [((low[0], floor, z), (high[0], floor, z)) for z in zs]
    quad = np.array([(low[0], floor, low[1]), (high[0], floor, low[1]), (high[0], floor, high[1]),
                     (low[0], floor, high[1])])
    return quad, np.asarray(segments, dtype=np.float64)


def clip_to_near(cam_a: np.ndarray, cam_b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut camera-space segments at the near plane: new ends and which segments remain visible."""
    za, zb = cam_a[..., 2], cam_b[..., 2]
    visible = (za > NEAR) | (zb > NEAR)
    t = np.clip((NEAR - za) / np.where(zb - za == 0, 1e-9, zb - za), 0, 1)[..., None]
    a = np.where((za < NEAR)[..., None], cam_a + (cam_b - cam_a) * t, cam_a)
    b = np.where((zb < NEAR)[..., None], cam_a + (cam_b - cam_a) * t, cam_b)
    return a, b, visible
