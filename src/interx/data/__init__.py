"""The Inter-X data layer: ids, raw and processed releases, annotations, checks.

Every reader validates what it reads and raises `interx.errors.FormatError`
naming the file, the field and what was expected.
"""

from interx.data.annotations import (
    official_action_names,
    read_action_names,
    read_big_five,
    read_familiarity,
    read_interaction_order,
    write_action_names,
    write_big_five,
    write_familiarity,
    write_interaction_order,
)
from interx.data.check import CheckReport, Problem, check_dataset, detect_layout
from interx.data.example import write_example_release
from interx.data.ids import SequenceId, is_valid_id
from interx.data.info import DatasetInfo, dataset_info
from interx.data.motion import PersonMotion, read_motion_npz, write_motion_npz
from interx.data.processed import (
    GloveVocab,
    H5Motions,
    H5MotionWriter,
    ProcessedRelease,
    ProcessedText,
    read_glove,
    read_processed_texts,
    write_glove,
    write_h5_motions,
    write_processed_release,
    write_processed_texts,
)
from interx.data.raw import Interaction, RawRelease, read_skeleton, write_raw_release
from interx.data.safe_pickle import dump_plain_pickle, load_plain_pickle
from interx.data.splits import official_ids, official_split_of

__all__ = [
    "CheckReport", "DatasetInfo", "GloveVocab", "H5MotionWriter", "H5Motions", "Interaction", "PersonMotion",
    "Problem", "ProcessedRelease", "ProcessedText", "RawRelease", "SequenceId",
    "check_dataset", "dataset_info", "detect_layout", "dump_plain_pickle", "is_valid_id", "load_plain_pickle",
    "official_action_names", "official_ids", "official_split_of",
    "read_action_names", "read_big_five", "read_familiarity", "read_glove", "read_interaction_order",
    "read_motion_npz", "read_processed_texts", "read_skeleton",
    "write_action_names", "write_big_five", "write_example_release", "write_familiarity", "write_glove",
    "write_h5_motions", "write_interaction_order", "write_motion_npz", "write_processed_release",
    "write_processed_texts", "write_raw_release",
]
