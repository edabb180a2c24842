"""HHI label grammar: a short phrase with two person slots `_` and a gerund, such as `_ shaking hands with _`.

A valid label has exactly two slots (a slot may carry a possessive: `_ cutting
_'s hair`), begins with a slot, has a gerund right after it, and names no
other person (no pronoun or person word: the slots are the persons; "his",
"her" and "their" before a noun belong to a slot's person).
`normalize_label` rewrites the common variants first: "_ and _ Xing" becomes
"_ Xing with _", "_ is/are Xing" becomes "_ Xing", and with
`drop_place=True` prepositional phrases that hold no slot ("in the park") go.
Rejections raise `LabelError`, whose message says why.
"""

from __future__ import annotations

import re

SLOT = "_"
PERSON_WORDS = frozenset("""he she him they them i me we us you someone somebody anyone anybody everyone
man men woman women boy boys girl girls person people child children kid kids guy guys
lady ladies gentleman gentlemen friend friends player players""".split())
PREPOSITIONS = frozenset("""in at on near by under over inside outside during after before behind beside across
around through along from into onto""".split())
AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being"})
POSSESSIVES = frozenset({"his", "her", "their"})  # of a slot's person, before a noun: "_ putting his arm around _"
NOT_GERUNDS = frozenset({"during", "something", "anything", "nothing", "everything", "thing", "king", "ring", "wing",
                         "ceiling", "morning", "evening", "spring"})


class LabelError(ValueError):
    """A label that cannot be made valid; the message says why."""


def _words(label: str) -> list[str]:
    return re.sub(r"\s+", " ", label.strip().lower()).split(" ") if label.strip() else []


def _is_slot(word: str) -> bool:
    return word in (SLOT, f"{SLOT}'s", f"{SLOT}'")


def is_gerund(word: str) -> bool:
    """A word that reads as an -ing verb form."""
    return word.endswith("ing") and len(word) > 4 and word.replace("-", "").isalpha() and word not in NOT_GERUNDS


def problems(label: str) -> list[str]:
    """Why `label` is not a valid HHI label (empty when it is)."""
    words = _words(label)
    found = []
    slots = [i for i, w in enumerate(words) if _is_slot(w)]
    stray = [w for w in words if SLOT in w and not _is_slot(w)]
    if stray:
        found.append(f"a slot must stand alone as '_' or '_'s', got {stray[0]!r}")
    if len(slots) != 2:
        found.append(f"needs exactly two person slots '_', has {len(slots)}")
    if not words or words[0] != SLOT:
        found.append("must begin with the first person's slot '_'")
    if len(words) < 2 or not is_gerund(words[1]):
        found.append(f"needs a gerund (an -ing verb) right after the first slot, got "
                     f"{words[1] if len(words) > 1 else 'nothing'!r}")
    persons = [w for w in words if w.strip(".,'") in PERSON_WORDS]
    persons += [w for i, w in enumerate(words) if w in POSSESSIVES and (i + 1 == len(words) or _is_slot(words[i + 1]))]
    if persons:
        found.append(f"names a person outside the slots: {persons[0]!r}")
    return found


def _rewrite_and(words: list[str]) -> list[str]:
    """'_ and _ Xing ...' -> '_ Xing ... with _'."""
    if len(words) >= 4 and words[0] == SLOT and words[1] == "and" and words[2] == SLOT:
        return [SLOT, *words[3:], "with", SLOT]
    return words


def _drop_auxiliary(words: list[str]) -> list[str]:
    """'_ is Xing ...' -> '_ Xing ...'."""
    if len(words) >= 3 and words[0] == SLOT and words[1] in AUXILIARIES and is_gerund(words[2]):
        return [SLOT, *words[2:]]
    return words


def _drop_place(words: list[str]) -> list[str]:
    """Remove prepositional phrases (a preposition up to the next preposition or the end) that hold no slot."""
    out, i = [], 0
    while i < len(words):
        if words[i] in PREPOSITIONS and i > 1:
            end = i + 1
            while end < len(words) and words[end] not in PREPOSITIONS:
                end += 1
            if not any(_is_slot(w) for w in words[i:end]):
                i = end
                continue
        out.append(words[i])
        i += 1
    return out


def normalize_label(label: str, drop_place: bool = False) -> str:
    """The label in its normal form, or `LabelError` with the reasons it is not one."""
    words = _drop_auxiliary(_rewrite_and(_words(label.replace(" 's", "'s"))))
    if drop_place:
        words = _drop_place(words)
    text = " ".join(words)
    found = problems(text)
    if found:
        raise LabelError(f"{label!r}: " + "; ".join(found))
    return text


def verb_of(label: str) -> str:
    """The label's gerund (its second word)."""
    words = _words(label)
    return words[1] if len(words) > 1 else ""
