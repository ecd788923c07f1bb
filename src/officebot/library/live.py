"""The live knowledge the bot answers from: one KnowledgeBase and its tips, swapped whole.

A change (an import, a removal, a synonym, /reload) reads the layers and builds a new index in a
background thread while questions go on being answered from the current one; when the build is
done, one assignment swaps both in. A large library is indexed by a child process, so that the
build's memory and its CPU-bound stretches stay out of the bot. A build that fails (a file that
does not parse, YAML with an error, a child killed) leaves the current knowledge as it was and
returns the problems, each with file and line.

`LiveKnowledge` also stands in for a KnowledgeBase (attribute access goes to the current one),
so code that holds it where a KnowledgeBase is expected always uses the latest index; code that
needs several calls on one and the same index takes `live.current` once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from officebot.library.layers import Knowledge, Layers, read_knowledge
from officebot.retrieval.knowledge import KnowledgeError
from officebot.retrieval.search import IndexBuildError, KnowledgeBase

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """What is live: the index, the tips and the speeches' sources, built from one reading."""

    kb: KnowledgeBase
    knowledge: Knowledge
    generation: int
    built_in: float = 0.0  # seconds the build took

    @property
    def tips(self) -> list:
        return self.knowledge.tips


@dataclass
class ReloadResult:
    ok: bool
    snapshot: Snapshot
    error: KnowledgeError | None = None
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def build_snapshot(layers: Layers, generation: int = 0, knowledge: Knowledge | None = None) -> Snapshot:
    """Read the layers (unless already read) and index them; KnowledgeError if they do not load."""
    start = time.perf_counter()
    knowledge = knowledge or read_knowledge(layers)
    directory = layers.library if layers.shipped is None else None
    # a large library is indexed by a child process: the bot keeps neither the build's memory nor
    # its long stretches holding the GIL (`KnowledgeBase.build`, isolated)
    kb = KnowledgeBase.build(knowledge.corpus, None, directory, cache_dir=layers.cache, isolated=True)
    kb.search("新同事遇到突发事件该怎么报送", 1)  # warm the tokenizer here, not on a user's question
    return Snapshot(kb, knowledge, generation, time.perf_counter() - start)


class LiveKnowledge:
    """The current Snapshot, and `reload` to build and swap in a new one."""

    def __init__(self, layers: Layers, snapshot: Snapshot | None = None):
        self.layers = layers
        self._snapshot = snapshot or build_snapshot(layers)
        self._build_lock = threading.Lock()  # one build at a time; readers never wait
        self.listeners: list[Callable[[Snapshot], None]] = []

    @classmethod
    def open(cls, layers: Layers) -> LiveKnowledge:
        return cls(layers)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def current(self) -> KnowledgeBase:
        return self._snapshot.kb

    @property
    def tips(self) -> list:
        return self._snapshot.tips

    @property
    def sources(self) -> list:
        return self._snapshot.knowledge.sources

    def reload(self, knowledge: Knowledge | None = None) -> ReloadResult:
        """Build from the layers (or from `knowledge` already read) and swap in; blocking, so call
        it from a worker thread (`asyncio.to_thread`). On failure the current snapshot stays."""
        start = time.perf_counter()
        with self._build_lock:
            old = self._snapshot
            try:
                new = build_snapshot(self.layers, old.generation + 1, knowledge)
            except KnowledgeError as exc:
                logger.warning("knowledge not reloaded, the old one stays live: %s", exc)
                return ReloadResult(False, old, exc, time.perf_counter() - start, [str(p) for p in exc.problems])
            except IndexBuildError as exc:
                logger.error("knowledge not reloaded, the old one stays live: %s", exc)
                return ReloadResult(False, old, None, time.perf_counter() - start, [f"{exc}，线上知识库保持不变"])
            except Exception as exc:  # a bug must not take the live knowledge down either
                logger.exception("knowledge not reloaded, the old one stays live")
                problem = f"重新加载时出错（{type(exc).__name__}），线上知识库保持不变；详情见日志"
                return ReloadResult(False, old, None, time.perf_counter() - start, [problem])
            self._snapshot = new  # the swap: one assignment, atomic for every reader
        for listener in list(self.listeners):
            try:
                listener(new)
            except Exception:
                logger.exception("knowledge listener failed")
        logger.info(
            "knowledge reloaded in %.2f s: %d speeches, %d passages, %d tips",
            new.built_in, len(new.kb.speeches), len(new.kb.passages), len(new.tips),
        )
        return ReloadResult(True, new, None, time.perf_counter() - start)

    # A LiveKnowledge goes where a KnowledgeBase went: everything else is the current index's.
    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._snapshot.kb, name)


def open_live(knowledge: str | Path | None, data_dir: str | Path | None) -> LiveKnowledge:
    """The bot's knowledge: a standalone directory if given, else shipped + the data directory's
    library. If the library has a mistake, the bot starts on the shipped knowledge alone (every
    problem logged; an admin fixes the file and sends /reload); KnowledgeError if even that fails."""
    layers = Layers.standalone(knowledge) if knowledge else Layers.default(data_dir)
    try:
        return LiveKnowledge(layers)
    except KnowledgeError as exc:
        if layers.shipped is None:
            raise
        logger.error("the library has mistakes, starting on the shipped knowledge alone:\n%s", exc)
        shipped = Layers.standalone(layers.shipped)
        return LiveKnowledge(layers, build_snapshot(shipped, 0, read_knowledge(shipped)))
