"""Data types shared by the retrieval core: what a speech, a passage and a hit are."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Speech:
    """One speech of the knowledge base, as the manifest describes it."""

    id: str
    title: str
    date: str = ""
    speaker: str = ""
    occasion: str = ""
    origin: str = ""
    file: str = ""


@dataclass(frozen=True)
class SpeechText:
    """A speech with its cleaned text: one paragraph or heading a line."""

    speech: Speech
    lines: tuple[str, ...]


@dataclass
class Corpus:
    """Everything an index is built from, whichever directories (shipped, library) it came from.

    The library package reads and layers knowledge directories into a Corpus; retrieval only
    indexes it (`KnowledgeBase.build`).
    """

    speeches: list[SpeechText] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # folded user word -> folded speech words
    userdict: list[str] = field(default_factory=list)  # userdict.txt entries: "词 [频率]"
    stopwords: set[str] = field(default_factory=set)
    # (doc_id, paragraph) -> question wordings bound to that paragraph (learnt from use), indexed with it
    annotations: dict[tuple[str, int], list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a speech's cleaned text, with the section it stands in."""

    doc_id: str
    number: int  # 1-based, counting body paragraphs only (headings are not paragraphs)
    text: str
    section: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A piece of a paragraph sized for a chat message: the unit that is indexed and returned."""

    id: int  # position in the knowledge base, stable for a given knowledge directory
    doc_id: str
    title: str
    date: str
    section: tuple[str, ...]
    paragraph: int
    part: int  # 0 for the first (or only) piece of its paragraph
    text: str
    kind: str = "passage"  # or "outline": a section's heading, opening and items (retrieval/outline.py)

    @property
    def section_label(self) -> str:
        return " › ".join(self.section)


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    passage: Passage
    highlight: str  # the key sentence of the passage, verbatim


@dataclass
class Answer:
    query: str
    answered: bool
    hits: list[Hit] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # topics to offer when not answered
    # not answered, but the best passage came close (the answer model's probability at least
    # `Settings.near_threshold`): worth offering as the closest passage, never as the answer
    near: bool = False

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "answered": self.answered,
            "near": self.near,
            "results": [
                {
                    "rank": h.rank,
                    "score": round(h.score, 4),
                    "text": h.passage.text,
                    "highlight": h.highlight,
                    "source": {
                        "doc_id": h.passage.doc_id,
                        "title": h.passage.title,
                        "section": h.passage.section_label,
                        "date": h.passage.date,
                        "paragraph": h.passage.paragraph,
                    },
                }
                for h in self.hits
            ],
            "suggestions": list(self.suggestions),
        }


def paragraph_key_of(passages: Sequence[Passage]) -> Callable[[int], tuple[str, int]]:
    """(speech id, paragraph) of passage i: a loaded index reads it from its arrays
    (`PassageList.paragraph_key`) without making the passage; a plain list asks the passage."""
    key = getattr(passages, "paragraph_key", None)
    return key if key is not None else lambda i: (passages[i].doc_id, passages[i].paragraph)
