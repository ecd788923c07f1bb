"""Tokenization: one `Tokenizer` for passages and queries alike.

Text is folded (NFKC: full-width letters, digits and punctuation to half-width; lower case), cut by
jieba with the domain dictionary, and cleared of punctuation and stopwords. A second, independent
view of the same text is its character bigrams, which match where jieba cuts a phrase differently
in the question and in the passage (报送信息 / 信息报送).
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import os
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

# words that ask how many or which ("哪几种", "几类", "多少项", "哪位"): they only frame the question,
# as 哪些 and 几个 (knowledge/stopwords.txt) do, whatever measure word jieba glues to 哪, 几 or 多少;
# counted as words of the question, they were rare words no passage has ("分成哪几种“品”" declined).
# Added to every knowledge directory's stopwords (`knowledge.read_layer`)
MEASURE_WORDS = (
    "个", "位", "名", "种", "类", "项", "条", "点", "样", "级", "步", "层", "次", "件", "批", "句", "字", "段",
    "招", "回", "遍", "组", "套", "块", "方面", "部分", "环节", "阶段", "大类", "大项", "大块", "类型", "类别", "方式",
)
ASKING_COUNTS = frozenset(p + m for p in ("哪", "几", "哪几", "多少") for m in MEASURE_WORDS)


def _import_jieba():
    """jieba, imported without pkg_resources: jieba uses it only to open its own data files,
    and importing it costs a quarter of a second (it scans every installed package); without it
    jieba opens them directly."""
    import sys

    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_OK = re.compile(rf"[{_CJK}0-9a-z]")
_CJK_RUN = re.compile(rf"[{_CJK}]+|[0-9]+(?:\.[0-9]+)?%?|[a-z]+")
_lock = threading.Lock()
_base_lock = threading.Lock()
_base: tuple[dict[str, int], int] | None = None

jieba.setLogLevel(logging.WARNING)
JIEBA_BLOCK = jieba.re_han_default  # how jieba splits a text into blocks it cuts one by one


# NFKC's own mapping of the full-width punctuation Chinese text is full of (，-> , and so on) and of
# the ideographic space, done by str.replace (C speed): most text is then already in NFKC form,
# which is checked far faster than it is computed
_WIDE = tuple((w, unicodedata.normalize("NFKC", w)) for w in "，：；（）！？\u3000")


def fold(text: str) -> str:
    """Full-/half-width folding and lower case; keeps the length meaningfulness of CJK text.
    The same as NFKC then lower case, computed faster for the usual text."""
    narrow = text
    for wide, plain in _WIDE:
        narrow = narrow.replace(wide, plain)
    if unicodedata.is_normalized("NFKC", narrow):
        return narrow.lower()
    return unicodedata.normalize("NFKC", text).lower()


def fold_each(texts: list[str]) -> list[str]:
    """`fold` of each text, folded in one call: joined by NUL, which NFKC leaves alone and never
    composes with a neighbour and which lower case reads as the end of a word, so each comes out as
    `fold` makes it alone (texts holding a NUL are folded one by one)."""
    if len(texts) < 2 or any("\0" in t for t in texts):
        return [fold(t) for t in texts]
    return fold("\0".join(texts)).split("\0")


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


SHORT_TEXT = 40  # texts up to this length have their cuts kept
SHORT_TEXTS_KEPT = 20000  # at most this many (then the table starts afresh)
WORDS_KEPT = 50000  # long words whose dictionary pieces are kept (then the table starts afresh)


class Tokenizer:
    """jieba with a user dictionary and stopwords; safe to share, cheap to call."""

    def __init__(
        self, userdict: Path | list[str] | None = None, stopwords: set[str] | None = None, mode: str = "search"
    ):
        self._jieba = jieba.Tokenizer()
        self._userdict = userdict
        self._stored: StoredFrequencies | None = None
        self._keep_frequencies: Path | None = None
        self._ready = False
        self.stopwords = {fold(w) for w in (stopwords or set())}
        self.mode = mode
        self._short: dict[str, tuple[list[str], list[str]]] = {}  # `cuts` of short texts (`cut`)
        self._pieces: dict[str, tuple[str, ...]] = {}  # a long word's dictionary words (`cuts`)
        self._specificity: dict[str, float] = {}

    def _ensure_ready(self) -> None:
        if self._ready:
            return
        with _lock:
            if self._ready:
                return
            if self._stored is not None:
                self._jieba.FREQ, self._jieba.total = self._stored, self._stored.total
                self._jieba.initialized = True
                self._ready = True
                return
            freq, total = _base_dictionary()
            self._jieba.FREQ, self._jieba.total = dict(freq), total  # add_word changes it: a copy
            self._jieba.initialized = True
            entries = self.entries()
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
            if self._keep_frequencies is not None:
                self._save_frequencies(self._keep_frequencies)

    def keep_frequencies(self, path: Path) -> None:
        """Write the word-count table for `use_stored` now if jieba's dictionary is loaded in this
        process (a build that tokenized here), else once it is: the next start then reads only the
        counts a question needs, instead of loading the whole dictionary to write the table."""
        with _lock:
            if not self._ready:
                self._keep_frequencies = path
                return
            if self._stored is None and not path.is_file():
                self._save_frequencies(path)

    def _save_frequencies(self, path: Path) -> None:
        """jieba's loaded word counts as a table for `use_stored` (under `_lock`)."""
        try:
            StoredFrequencies.save(path, dict(self._jieba.FREQ), self._jieba.total)
        except OSError as exc:  # a cache that cannot be written is simply not kept
            logging.getLogger(__name__).debug("word counts not kept: %s", exc)

    def use_stored(self, path: Path, keep_if_missing: bool = False) -> bool:
        """Read word counts from a table `StoredFrequencies.save` wrote for this tokenizer (same
        fingerprint) instead of loading jieba's whole dictionary: a cold start then reads only the
        entries a question needs. False (and nothing changes) if there is no usable table; with
        `keep_if_missing`, the table is then written once jieba's dictionary is loaded, for next
        time (a first start, which builds the index, does not pay for it)."""
        if self._ready:
            return False
        try:
            stored = StoredFrequencies(path)
        except (OSError, ValueError):
            if keep_if_missing:
                self._keep_frequencies = path
            return False
        with _lock:
            if self._ready:
                return False
            self._stored = stored
        return True

    def entries(self) -> list[str]:
        """The user dictionary's lines ("词 [频率]")."""
        return read_word_list(self._userdict) if isinstance(self._userdict, Path) else list(self._userdict or [])

    def fingerprint(self) -> str:
        """What the cuts depend on: jieba's version and dictionary, the user dictionary, the
        stopwords. Two tokenizers with the same fingerprint give the same tokens."""
        h = hashlib.sha256(dictionary_fingerprint().encode())
        for entry in self.entries():
            h.update(b"\x00u" + entry.encode())
        for word in sorted(self.stopwords):
            h.update(b"\x00s" + word.encode())
        return h.hexdigest()

    def add_word(self, word: str) -> None:
        self._ensure_ready()
        self._jieba.add_word(fold(word))
        self._short.clear()
        self._pieces.clear()
        self._specificity.clear()

    def cut(self, text: str, mode: str | None = None) -> list[str]:
        """Every word of the text, punctuation dropped, stopwords kept (in order)."""
        search = (mode or self.mode) == "search"
        if len(text) > SHORT_TEXT:  # only the cut asked for (an index tokenizes sentences by the million)
            return self._one_cut(text, search)
        return self.both(text)[1 if search else 0]

    def _one_cut(self, text: str, search: bool) -> list[str]:
        """One of jieba's two cuts of the text, nothing kept."""
        self._ensure_ready()
        folded = fold(text)
        return _words(self._jieba.cut_for_search(folded, HMM=True) if search else self._jieba.cut(folded, HMM=True))

    def both(self, text: str) -> tuple[list[str], list[str]]:
        """(precise cut, search cut) of the text (`cuts`); those of short texts are kept."""
        if len(text) > SHORT_TEXT:
            return self.cuts(text)
        cuts = self._short.get(text)  # a synonym's words, a heading, a question: met again and again
        if cuts is None:
            if len(self._short) >= SHORT_TEXTS_KEPT:
                self._short.clear()
            cuts = self._short[text] = self.cuts(text)
        return list(cuts[0]), list(cuts[1])

    def cuts(self, text: str) -> tuple[list[str], list[str]]:
        """The precise cut and the search cut (`cut`'s two modes) from one run of jieba: the
        search cut is the precise one with the dictionary words inside its longer words, exactly
        as jieba's `cut_for_search` makes it."""
        self._ensure_ready()
        precise = list(self._jieba.cut(fold(text), HMM=True))
        search: list[str] = []
        pieces = self._pieces
        for w in precise:
            if len(w) > 2:  # the same words come again and again: their pieces are looked up once
                found = pieces.get(w)
                if found is None:
                    if len(pieces) >= WORDS_KEPT:
                        pieces.clear()
                    found = pieces[w] = self._dictionary_pieces(w)
                search.extend(found)
            search.append(w)
        return _words(precise), _words(search)

    def _dictionary_pieces(self, w: str) -> tuple[str, ...]:
        """The dictionary's two- then three-character words inside a word, as `cut_for_search` adds them."""
        freq, n = self._jieba.FREQ, len(w)
        two = [g for i in range(n - 1) if freq.get(g := w[i : i + 2])]
        three = [g for i in range(n - 2) if freq.get(g := w[i : i + 3])] if n > 3 else []
        return (*two, *three)

    def cut_known(self, text: str) -> list[str]:
        """Dictionary words only (no guessing of unknown words)."""
        self._ensure_ready()
        return [w for w in self._jieba.cut(fold(text), HMM=False) if w.strip()]

    def specificity(self, word: str) -> float:
        """How much a word says, by its rarity in general Chinese (jieba's dictionary counts):
        "期间" says little, "病假" much; a word jieba does not know at all says the most."""
        found = self._specificity.get(word)
        if found is None:
            self._ensure_ready()
            found = math.log(self._jieba.total / (self._jieba.FREQ.get(word, 0) + 1))
            if len(self._specificity) >= SHORT_TEXTS_KEPT:
                self._specificity.clear()
            self._specificity[word] = found
        return found

    def is_word(self, word: str, min_count: int = 50) -> bool:
        """Whether the word is common in general Chinese (jieba's dictionary counts); a typo
        usually is not, though the dictionary lists some rare strings (保秘: 3)."""
        self._ensure_ready()
        return self._jieba.FREQ.get(word, 0) >= min_count

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text: words without stopwords."""
        return [w for w in self.cut(text) if w not in self.stopwords]

    def index_tokens(self, text: str) -> list[str]:
        """`tokens`, for the index's sentences: the same words, without keeping any cut (each
        sentence is met once)."""
        stop = self.stopwords
        return [w for w in self._one_cut(text, True) if w not in stop]


def _words(cut: Iterable[str]) -> list[str]:
    """A cut's words, punctuation dropped."""
    return [w for w in (w.strip() for w in cut) if w and _TOKEN_OK.search(w)]


def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's main dictionary, loaded once a process (every Tokenizer works on a copy)."""
    global _base
    with _base_lock:
        if _base is None:
            tk = jieba.Tokenizer()
            # jieba caches its parsed dictionary in the temp directory; a per-user name keeps another
            # user's unwritable cache file from turning into an error on every start
            tk.cache_file = f"office-bot-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}.cache"
            tk.initialize()
            _base = (tk.FREQ, tk.total)
    return _base


class StoredFrequencies:
    """jieba's word counts read from a file on demand: what `in`, `[]` and `get` on jieba's FREQ
    need, found by binary search over CRC32 hashes of the words (memory-mapped), each word looked
    up once. Loading jieba's dictionary takes about half a second; this takes a millisecond."""

    def __init__(self, path: Path):
        from .index import load_arrays

        header, arrays = load_arrays(path)
        if not isinstance(header, dict) or header.get("kind") != "jieba-frequencies":
            raise ValueError(f"{path}: not a frequency table")
        self.total = int(header["total"])
        self._hashes, self._offsets = arrays["hashes"], arrays["offsets"]
        self._counts, self._blob = arrays["counts"], arrays["blob"]
        if not (len(self._hashes) == len(self._counts) == len(self._offsets) - 1):
            raise ValueError(f"{path}: damaged frequency table")
        # the same arrays seen as memoryviews, whose items are Python ints: `bisect` searches them
        # in C, several times faster than numpy's searchsorted called for one value at a time
        self._hash_view, self._offset_view = memoryview(self._hashes), memoryview(self._offsets)
        self._count_view, self._blob_view = memoryview(self._counts), memoryview(self._blob)
        self._seen: dict[str, int | None] = {}
        self._added: dict[str, int] = {}

    @staticmethod
    def save(path: Path, freq: dict[str, int], total: int) -> None:
        from .index import save_arrays

        words = [w.encode("utf-8") for w in freq]
        hashes = np.fromiter((zlib.crc32(w) for w in words), np.uint32, len(words))
        order = np.argsort(hashes, kind="stable")
        words = [words[i] for i in order.tolist()]
        counts = np.fromiter(freq.values(), np.int64, len(words))[order]
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum([len(w) for w in words], out=offsets[1:])
        blob = np.frombuffer(b"".join(words), dtype=np.uint8)
        save_arrays(path, {"kind": "jieba-frequencies", "total": int(total)},
                    {"hashes": hashes[order], "offsets": offsets, "counts": counts, "blob": blob})

    def _find(self, word: str) -> int | None:
        added = self._added.get(word)
        if added is not None:
            return added
        key = word.encode("utf-8")
        h = zlib.crc32(key)
        hashes, offsets = self._hash_view, self._offset_view
        i = bisect.bisect_left(hashes, h)
        found = None
        while i < len(hashes) and hashes[i] == h:
            if self._blob_view[offsets[i] : offsets[i + 1]] == key:
                found = self._count_view[i]
                break
            i += 1
        if len(self._seen) > 200_000:  # a long-running bot meets many strings: keep the memo bounded
            self._seen.clear()
            self._seen.update(self._added)
        self._seen[word] = found
        return found

    def __contains__(self, word: object) -> bool:
        try:
            return self._seen[word] is not None  # type: ignore[index]
        except KeyError:
            return isinstance(word, str) and self._find(word) is not None

    def __getitem__(self, word: str) -> int:
        try:
            found = self._seen[word]
        except KeyError:
            found = self._find(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default: int | None = None) -> int | None:
        try:
            found = self._seen[word]
        except KeyError:
            found = self._find(word)
        return default if found is None else found

    def __setitem__(self, word: str, count: int) -> None:  # jieba's add_word
        self._added[word] = count
        self._seen[word] = count


_dictionary_fingerprint: str | None = None


def dictionary_fingerprint() -> str:
    """jieba's version and its main dictionary file's size and time (known once a process)."""
    global _dictionary_fingerprint
    if _dictionary_fingerprint is None:
        path = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
        try:
            st = path.stat()
            stamp = f"{path} {st.st_size} {st.st_mtime_ns}"
        except OSError:
            stamp = "no dictionary file"
        _dictionary_fingerprint = hashlib.sha256(f"jieba {jieba.__version__} {stamp}".encode()).hexdigest()
    return _dictionary_fingerprint


def bigrams(text: str) -> list[str]:
    """Character bigrams of the CJK runs of a text (a lone character stands for itself); Latin
    words and numbers whole."""
    out: list[str] = []
    for run in _CJK_RUN.findall(fold(text)):
        if not ("\u3400" <= run[0] <= "\ufaff") or len(run) == 1:
            out.append(run)
        else:
            out.extend(map(str.__add__, run, run[1:]))  # each character with the next
    return out


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def strip_for_match(text: str) -> str:
    """Text with everything but letters and digits removed, for loose 'contains' checks."""
    return _NOT_ALNUM.sub("", fold(text))
