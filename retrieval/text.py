"""Tokenization: one `Tokenizer` for passages and queries alike.

Text is folded (NFKC: full-width letters, digits and punctuation to half-width; lower case), cut by
jieba with the domain dictionary, and cleared of punctuation and stopwords. A second, independent
view of the same text is its character bigrams, which match where jieba cuts a phrase differently
in the question and in the passage (报送信息 / 信息报送).
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import unicodedata
from pathlib import Path

import jieba

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_OK = re.compile(rf"[{_CJK}0-9a-z]")
_CJK_RUN = re.compile(rf"[{_CJK}]+|[0-9]+(?:\.[0-9]+)?%?|[a-z]+")
_lock = threading.Lock()

jieba.setLogLevel(logging.WARNING)


def fold(text: str) -> str:
    """Full-/half-width folding and lower case; keeps the length meaningfulness of CJK text."""
    return unicodedata.normalize("NFKC", text).lower()


def read_word_list(path: Path) -> list[str]:
    """One entry a line; '#' starts a comment."""
    if not path.is_file():
        return []
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words


class Tokenizer:
    """jieba with a user dictionary and stopwords; safe to share, cheap to call."""

    def __init__(
        self, userdict: Path | list[str] | None = None, stopwords: set[str] | None = None, mode: str = "search"
    ):
        self._jieba = jieba.Tokenizer()
        # jieba caches its parsed dictionary in the temp directory; a per-user name keeps another
        # user's unwritable cache file from turning into an error on every start
        self._jieba.cache_file = f"office-bot-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}.cache"
        self._userdict = userdict
        self._ready = False
        self.stopwords = {fold(w) for w in (stopwords or set())}
        self.mode = mode

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with _lock:
            if self._ready:
                return
            self._jieba.initialize()
            entries = read_word_list(self._userdict) if isinstance(self._userdict, Path) else self._userdict or []
            if entries:
                for entry in entries:
                    parts = entry.split()
                    word = fold(parts[0])
                    # a domain term counts as a common word (see `is_word`) unless given a count
                    freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                    self._jieba.add_word(word, freq=freq)
                    if freq is None and self._jieba.FREQ.get(word, 0) < 50:
                        self._jieba.add_word(word, freq=50)
            self._ready = True

    def add_word(self, word: str) -> None:
        self._ensure_ready()
        self._jieba.add_word(fold(word))

    def cut(self, text: str, mode: str | None = None) -> list[str]:
        """Every word of the text, punctuation dropped, stopwords kept (in order)."""
        self._ensure_ready()
        text = fold(text)
        if (mode or self.mode) == "search":
            words = self._jieba.cut_for_search(text, HMM=True)
        else:
            words = self._jieba.cut(text, HMM=True)
        return [w for w in (w.strip() for w in words) if w and _TOKEN_OK.search(w)]

    def cut_known(self, text: str) -> list[str]:
        """Dictionary words only (no guessing of unknown words)."""
        self._ensure_ready()
        return [w for w in self._jieba.cut(fold(text), HMM=False) if w.strip()]

    def specificity(self, word: str) -> float:
        """How much a word says, by its rarity in general Chinese (jieba's dictionary counts):
        "期间" says little, "病假" much; a word jieba does not know at all says the most."""
        self._ensure_ready()
        freq = self._jieba.FREQ.get(word, 0)
        return math.log(self._jieba.total / (freq + 1))

    def is_word(self, word: str, min_count: int = 50) -> bool:
        """Whether the word is common in general Chinese (jieba's dictionary counts); a typo
        usually is not, though the dictionary lists some rare strings (保秘: 3)."""
        self._ensure_ready()
        return self._jieba.FREQ.get(word, 0) >= min_count

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text: words without stopwords."""
        return [w for w in self.cut(text) if w not in self.stopwords]


def bigrams(text: str) -> list[str]:
    """Character bigrams of the CJK runs of a text (a lone character stands for itself); Latin
    words and numbers whole."""
    out: list[str] = []
    for run in _CJK_RUN.findall(fold(text)):
        if not ("\u3400" <= run[0] <= "\ufaff") or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def strip_for_match(text: str) -> str:
    """Text with everything but letters and digits removed, for loose 'contains' checks."""
    return "".join(ch for ch in fold(text) if ch.isalnum())
