"""The 64-row optical marker skeleton of the Inter-X release (OptiTrack).

Skeleton files are `(T, 64, 3)`. The release documents 61 rows as used
(`USED_ROWS`: 0-4, 6-9, 11-62); rows 5 and 10 still appear in the bone list as
branch points (a hip and the chest), row 63 in nothing. Which limb is left and
which is right is not documented, so the groups below are not named by side.
"""

from __future__ import annotations

import numpy as np

NUM_MARKER_ROWS = 64

# Pairs of row indices, from the release's skeleton topology.
BONES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 4),
    (0, 5), (5, 6), (6, 7), (7, 8),
    (0, 9), (9, 10),
    (10, 11), (11, 12), (12, 13), (13, 14),
    (14, 15), (15, 16), (16, 17), (17, 18),
    (14, 19), (19, 20), (20, 21), (21, 22),
    (14, 23), (23, 24), (24, 25), (25, 26),
    (14, 27), (27, 28), (28, 29), (29, 30),
    (14, 31), (31, 32), (32, 33), (33, 34),
    (10, 35), (35, 36), (36, 37), (37, 38),
    (38, 39), (39, 40), (40, 41), (41, 42),
    (38, 43), (43, 44), (44, 45), (45, 46),
    (38, 47), (47, 48), (48, 49), (49, 50),
    (38, 51), (51, 52), (52, 53), (53, 54),
    (38, 55), (55, 56), (56, 57), (57, 58),
    (10, 59), (59, 60),
)

# Rows that hold data in the release (0-4, 6-9, 11-62).
USED_ROWS: np.ndarray = np.asarray(
    [*range(0, 5), *range(6, 10), *range(11, 63)], dtype=np.int64
)

# Named groups of rows, for drawing and for deriving markers from a body.
LEGS = ((0, 1, 2, 3, 4), (0, 5, 6, 7, 8))
SPINE = (0, 9, 10)
HEAD = (10, 59, 60)
ARMS = ((10, 11, 12, 13, 14), (10, 35, 36, 37, 38))
FINGERS = (
    tuple((14, *range(s, s + 4)) for s in (15, 19, 23, 27, 31)),
    tuple((38, *range(s, s + 4)) for s in (39, 43, 47, 51, 55)),
)
