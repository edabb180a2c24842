"""The motion bridge: Inter-X categories and motion texts as HHI labels.

Each of the 40 categories has a label written by hand (actor in the first
slot); a motion text maps to the best label the caption rules find in its
first sentence. Labels can then prompt `interx generate`, and motion captions
can be scored with the Waldo and Wenda evaluation.
"""

from __future__ import annotations

import re

from interx.data.annotations import official_action_names
from interx.hhi.labels import SLOT, normalize_label

CATEGORY_LABELS = {
    "Hug": "_ hugging _", "Handshake": "_ shaking hands with _", "Wave": "_ waving to _", "Grab": "_ grabbing _",
    "Hit": "_ hitting _", "Kick": "_ kicking _", "Posing": "_ posing with _", "Push": "_ pushing _",
    "Pull": "_ pulling _", "Sit on leg": "_ sitting on _'s leg", "Slap": "_ slapping _",
    "Pat on back": "_ patting _ on the back", "Point finger at": "_ pointing a finger at _",
    "Walk towards": "_ walking towards _", "Knock over": "_ knocking over _", "Step on foot": "_ stepping on _'s foot",
    "High-five": "_ high-fiving _", "Chase": "_ chasing _", "Whisper in ear": "_ whispering in _'s ear",
    "Support with hand": "_ supporting _ with a hand", "Rock-paper-scissors": "_ playing rock-paper-scissors with _",
    "Dance": "_ dancing with _", "Link arms": "_ linking arms with _",
    "Shoulder to shoulder": "_ standing shoulder to shoulder with _", "Bend": "_ bowing to _",
    "Carry on back": "_ carrying _ on the back", "Massaging shoulder": "_ massaging _'s shoulders",
    "Massaging leg": "_ massaging _'s leg", "Hand wrestling": "_ hand-wrestling with _", "Chat": "_ chatting with _",
    "Pat on cheek": "_ patting _ on the cheek", "Thumb up": "_ giving a thumbs up to _",
    "Touch head": "_ touching _'s head", "Imitate": "_ imitating _", "Kiss on cheek": "_ kissing _ on the cheek",
    "Help up": "_ helping _ up", "Cover mouth": "_ covering _'s mouth", "Look back": "_ looking back at _",
    "Block": "_ blocking _", "Fly kiss": "_ blowing a kiss to _",
}


def category_label(action: int | str) -> str:
    """The label of a category, by index (0-39) or name as in action_setting.txt."""
    name = official_action_names()[action] if isinstance(action, int) else action
    if name not in CATEGORY_LABELS:
        raise KeyError(f"no HHI label for category {name!r}: known are {', '.join(CATEGORY_LABELS)}")
    return normalize_label(CATEGORY_LABELS[name])


def first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)
    return parts[0] if parts else text


def text_label(nlp, text: str) -> str | None:
    """The main interaction of a motion text's first sentence, or None when the rules find none."""
    from interx.hhi.parse import caption_labels

    labels = caption_labels(nlp, first_sentence(text), top=1)
    return labels[0] if labels else None


def label_prompt(label: str) -> str:
    """A label as a text prompt for `interx generate`: '_ hugging _' -> 'one person hugging the other person.'"""
    words = normalize_label(label).split(" ")
    second = {SLOT: "the other person", f"{SLOT}'s": "the other person's"}
    return " ".join(["one person"] + [second.get(w, w) for w in words[1:]]) + "."


def write_motion_benchmark(data, split: str, out, *, captions: dict[str, str] | None = None) -> int:
    """A benchmark CSV in the Waldo and Wenda columns from a processed release: per clip of `split`, its
    category's label and a caption (its first text, or `captions[id]`, e.g. a captioner's), so labels
    mined from motion captions are scored by `interx hhi evaluate`. Returns the number of rows."""
    import csv
    import io
    from pathlib import Path

    from interx.data.atomic import atomic_write_text
    from interx.data.ids import SequenceId
    from interx.data.processed import H5Motions, read_processed_texts

    data = Path(data)
    with H5Motions(data / "motions" / f"{split}.h5") as motions:
        ids = motions.ids()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "id", "label", "caption"])
    for seq_id in ids:
        if captions is not None:
            caption = captions[seq_id]
        else:
            caption = read_processed_texts(data / "texts_processed" / f"{seq_id}.txt")[0].caption
        writer.writerow([f"interx-{split}", seq_id, category_label(SequenceId.parse(seq_id).action), caption])
    atomic_write_text(out, buffer.getvalue())
    return len(ids)
