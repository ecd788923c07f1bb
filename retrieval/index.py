"""The search index as arrays: BM25 weights computed once, stored, and read back memory-mapped.

A `Run` is one BM25 run (jieba words, or character bigrams) over a set of documents (passages, or
whole sections). Its weights are computed at build time, as bm25s does: for every (term, document)
pair that occurs, idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)), stored column by
column (CSC: one column per term, documents ascending). A query gathers the columns of its terms
and adds each where its documents are: the work follows the question, not the library.

The IDF is Lucene's, log(1 + (N - n + 0.5) / (n + 0.5)), positive for every term that occurs
(rank_bm25's Okapi IDF is zero for a term in half of the documents, so an exact match could score
nothing on a small corpus). `tests/test_index.py` checks the scores against rank_bm25.

`save_arrays` / `load_arrays` write and read one file: a marshal header (plain Python data: lists,
dicts, strings) followed by the raw arrays, each aligned, read back with `np.memmap`. Files are
written under a temporary name and renamed into place, so a crash never leaves half an index.
"""

from __future__ import annotations

import itertools
import marshal
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .files import atomic_file

MAGIC = b"OFFICEBOT-INDEX\n"
ALIGN = 64


@dataclass(frozen=True)
class Run:
    """BM25 weights of one run over `n_docs` documents, one column per term (see the module doc)."""

    vocab: dict[str, int] | HashedTerms  # term -> column
    idf: np.ndarray  # float64, one per column
    indptr: np.ndarray  # int64, columns + 1: column c holds entries indptr[c]:indptr[c + 1]
    docs: np.ndarray  # int32, the document of each entry (ascending within a column)
    weights: np.ndarray  # float32, the BM25 weight of each entry
    n_docs: int

    def scores(self, terms: dict[str, float]) -> np.ndarray:
        """Weighted BM25 score of every document for the query terms (float64, length n_docs)."""
        columns = {}
        for term in terms:
            column = self.vocab.get(term)
            if column is not None:
                columns[term] = column
        return self.column_scores(columns, terms)

    def column_scores(self, columns: dict[str, int], terms: dict[str, float]) -> np.ndarray:
        """`scores` for terms whose columns are already known (`columns`: term -> column)."""
        return self.column_sums(columns, terms).astype(np.float64)

    def column_sums(self, columns: dict[str, int], terms: dict[str, float]) -> np.ndarray:
        """`column_scores` before widening: the sum is kept in the weights' own float32, as bm25s
        does (no float64 copy of each column); the search fuses the runs in float32 too.

        Each column's weights are added in place where its documents are, one pass over the
        postings and no concatenated copy: the cost follows the question's postings. The columns
        are added in one order whatever the question's (the one stored last first), so that the
        float32 sums are the same on every path. On a large run the adding is scipy.sparse's
        compiled CSC kernel (`column_adder`), all the question's columns in one call, which gives
        `np.add.at`'s numbers two to three times faster."""
        out = np.zeros(self.n_docs, dtype=self.weights.dtype)
        indptr = self.indptr
        spans = []
        for term, weight in terms.items():
            column = columns.get(term)
            if column is None or not weight:
                continue
            start, end = int(indptr[column]), int(indptr[column + 1])
            if end > start:
                spans.append((start, end, weight))
        if spans:
            spans.sort(reverse=True)
            column_adder(self.n_docs)(out, self.docs, self.weights, spans)
        return out

    def group_share(self, columns: dict[str, int], groups: dict[str, str], docs: np.ndarray) -> np.ndarray:
        """For each of `docs` (ascending document ids), the share of the groups of terms
        (`groups`: term -> group; a term without one is its own group) of which it has at least
        one term; only groups with a term in the run count. A binary search of `docs` in each
        term's column: the cost follows how many documents are asked about, not the postings."""
        by_group: dict[str, list[int]] = {}
        for term, column in columns.items():
            by_group.setdefault(groups.get(term, term), []).append(column)
        out = np.zeros(len(docs))
        if not by_group or not len(docs):
            return out
        indptr, postings = self.indptr, self.docs
        for cols in by_group.values():
            has = np.zeros(len(docs), dtype=bool)
            for c in cols:
                col = postings[int(indptr[c]) : int(indptr[c + 1])]
                if not len(col):
                    continue
                at = np.minimum(col.searchsorted(docs), len(col) - 1)
                has |= col[at] == docs
            out += has
        out /= len(by_group)
        return out

    def idf_of(self, term: str) -> float:
        column = self.vocab.get(term)
        return 0.0 if column is None else float(self.idf[column])

    def contains(self, term: str, doc: int) -> bool:
        """Whether the document has the term (binary search in the term's column)."""
        column = self.vocab.get(term)
        if column is None:
            return False
        col = self.docs[int(self.indptr[column]) : int(self.indptr[column + 1])]
        i = int(col.searchsorted(np.int32(doc)))  # a Python int would convert the column first
        return i < len(col) and int(col[i]) == doc

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}.idf": self.idf, f"{prefix}.indptr": self.indptr, f"{prefix}.docs": self.docs,
                f"{prefix}.weights": self.weights}

    @classmethod
    def from_arrays(cls, vocab: HashedTerms, arrays: dict[str, np.ndarray], prefix: str, n_docs: int) -> Run:
        column_adder(n_docs)  # a large run's kernel is imported as it is loaded, not at its first question
        return cls(vocab, arrays[f"{prefix}.idf"], arrays[f"{prefix}.indptr"], arrays[f"{prefix}.docs"],
                   arrays[f"{prefix}.weights"], n_docs)


Spans = list[tuple[int, int, float]]  # (start, end, weight) of each column to add, in the order added


def _add_columns_numpy(out: np.ndarray, docs: np.ndarray, weights: np.ndarray, spans: Spans) -> None:
    """out[docs[s:e]] += weights[s:e] * w for each (s, e, w) of `spans` in turn, in out's dtype
    (each product rounded to it, then added)."""
    for start, end, weight in spans:
        w = weights[start:end]
        np.add.at(out, docs[start:end], w if weight == 1.0 else w * out.dtype.type(weight))


def _scipy_add_columns():
    """scipy.sparse's CSC matrix-vector kernel as a column adder (`column_adder`), if this scipy has it and it gives
    `_add_columns_numpy`'s numbers exactly (checked once, on small columns); None otherwise.

    The kernel, `csc_matvec(rows, cols, indptr, indices, data, x, y)`, does y[indices] += data * x
    for one column after another, in a plain compiled loop: the public `csc_array @ x` would first
    copy the question's columns into a new matrix. Here the "matrix" is the run's own arrays and its
    columns are the question's, given by where each starts and ends: indptr [s1, e1, s2, e2, …] with
    x [w1, 0, w2, 0, …]. Between two columns the kernel sees a column from e1 to s2; as the columns
    come last-stored first (s2 < e1), that one is empty and costs nothing. It is scipy's internal
    module (`_sparsetools`), whose signature has not changed since scipy 0.14; the check keeps a
    future change from going unseen."""
    try:
        from scipy.sparse import _sparsetools
    except ImportError:
        return None
    kernel = _sparsetools.csc_matvec

    def add(out: np.ndarray, docs: np.ndarray, weights: np.ndarray, spans: Spans) -> None:
        if not spans:
            return
        if (docs.dtype != np.int32 or weights.dtype != out.dtype or len(docs) >= 2**31
                or any(later[0] >= earlier[1] for earlier, later in itertools.pairwise(spans))):
            _add_columns_numpy(out, docs, weights, spans)
            return
        bounds = np.array([b for start, end, _ in spans for b in (start, end)], dtype=np.int32)
        x = np.zeros(len(bounds) - 1, dtype=out.dtype)
        x[0::2] = [weight for _, _, weight in spans]
        kernel(len(out), len(x), bounds, docs, weights, x, out)

    docs = np.array([1, 4, 0, 2, 5], dtype=np.int32)  # two columns: [1, 4] and [0, 2, 5]
    weights = np.array([0.4, 1.1, 0.1, 1.7, 2.3], dtype=np.float32)
    try:
        for spans in ([(2, 5, 1.0)], [(2, 5, 0.7), (0, 2, 1.3)]):
            ours, theirs = np.full(6, 0.3, np.float32), np.full(6, 0.3, np.float32)
            add(ours, docs, weights, spans)
            _add_columns_numpy(theirs, docs, weights, spans)
            if not np.array_equal(ours, theirs):
                return None
    except (TypeError, ValueError, RuntimeError):
        return None
    return add


KERNEL_MIN_DOCS = 10_000  # runs smaller than this add with numpy: as quick there, and no scipy import
_kernel: Any = None  # scipy's kernel once imported and checked; False if it cannot be used


def column_adder(n_docs: int):
    """How a run of `n_docs` documents adds a question's columns (`Run.column_sums`). scipy.sparse takes a
    quarter of a second to import, which a start on a small knowledge base (`office-bot ask` on
    the shipped speeches) need not pay: below KERNEL_MIN_DOCS documents np.add.at is used."""
    global _kernel
    if n_docs < KERNEL_MIN_DOCS:
        return _add_columns_numpy
    if _kernel is None:
        _kernel = _scipy_add_columns() or False
    return _kernel or _add_columns_numpy


def build_run(
    doc_of_token: np.ndarray, term_of_token: np.ndarray, n_docs: int, vocab: dict[str, int], k1: float, b: float
) -> Run:
    """A Run from the (document, term) pair of every token occurrence (duplicates are the tf)."""
    n_terms = len(vocab)
    doc_len = np.bincount(doc_of_token, minlength=n_docs).astype(np.float64)
    if n_terms == 0 or len(doc_of_token) == 0:
        return Run(vocab, np.zeros(n_terms), np.zeros(n_terms + 1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                   np.zeros(0, dtype=np.float32), n_docs)
    keys = term_of_token.astype(np.int64) * max(n_docs, 1) + doc_of_token.astype(np.int64)
    keys, tf = np.unique(keys, return_counts=True)  # sorted by term, then document: CSC order
    terms = keys // max(n_docs, 1)
    docs = (keys - terms * max(n_docs, 1)).astype(np.int32)
    df = np.bincount(terms, minlength=n_terms)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    avgdl = doc_len.sum() / n_docs
    tf = tf.astype(np.float64)
    norm = k1 * (1 - b + b * doc_len[docs] / avgdl)
    weights = (idf[terms] * tf * (k1 + 1) / (tf + norm)).astype(np.float32)
    return Run(vocab, idf, indptr, docs, weights, n_docs)


def run_from_docs(docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> Run:
    """A Run over tokenized documents (small corpora and tests; the index builder streams instead)."""
    vocab: dict[str, int] = {}
    terms = [vocab.setdefault(t, len(vocab)) for d in docs for t in d]
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int32), [len(d) for d in docs])
    return build_run(doc_of, np.array(terms, dtype=np.int32), len(docs), vocab, k1, b)


def top_indices(scores: np.ndarray, m: int) -> np.ndarray:
    """Indices of the `m` best positive scores, best first (ties: lower index first), plus any
    tied with the m-th: a partial sort. On a large array a threshold from a sample narrows the
    candidates first, which is exact: if at least m scores reach the threshold, the m best do."""
    if m <= 0 or not len(scores):
        return np.zeros(0, dtype=np.intp)
    candidates = None
    if len(scores) > 16384:
        sample = scores[::32]
        r = min(len(sample), 2 * (m // 32) + 4)  # the sample's r-th best: about 32 r in the whole
        threshold = float(np.partition(sample, len(sample) - r)[len(sample) - r])
        if threshold > 0:
            found = np.flatnonzero(scores >= threshold)
            if len(found) >= m:
                candidates = found
    if candidates is None:
        candidates = np.flatnonzero(scores > 0)
    if not len(candidates):
        return candidates
    values = scores[candidates]
    if len(candidates) > m:
        floor = float(np.partition(values, len(values) - m)[len(values) - m])
        keep = values >= floor  # ties at the floor included
        candidates, values = candidates[keep], values[keep]
    return candidates[np.lexsort((candidates, -values))]


@dataclass(frozen=True)
class Postings:
    """key -> ascending document ids (an inverted list without weights)."""

    keys: dict[str, int] | HashedTerms
    indptr: np.ndarray
    docs: np.ndarray

    def get(self, key: str) -> np.ndarray:
        k = self.keys.get(key)
        if k is None:
            return self.docs[:0]
        return self.docs[int(self.indptr[k]) : int(self.indptr[k + 1])]

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, int]]) -> Postings:
        keys: dict[str, int] = {}
        kd = [(keys.setdefault(key, len(keys)), doc) for key, doc in pairs]
        if not kd:
            return cls(keys, np.zeros(len(keys) + 1, dtype=np.int64), np.zeros(0, dtype=np.int32))
        arr = np.unique(np.array(kd, dtype=np.int64), axis=0)
        indptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(np.bincount(arr[:, 0], minlength=len(keys)), out=indptr[1:])
        return cls(keys, indptr, arr[:, 1].astype(np.int32))


class HashedTerms:
    """term -> id read from arrays, without building a dict: the terms' CRC32 hashes sorted (with
    the id of each), and the terms' UTF-8 bytes in id order. A lookup is a binary search; a
    library of a million terms starts in no time and takes no memory until it is searched."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str):
        self._hashes, self._ids = arrays[f"{prefix}.hashes"], arrays[f"{prefix}.ids"]
        self._offsets, self._blob = arrays[f"{prefix}.offsets"], arrays[f"{prefix}.blob"]
        if not (len(self._hashes) == len(self._ids) == len(self._offsets) - 1):
            raise ValueError(f"{prefix}: damaged term table")
        self._memo: dict[str, int | None] = {}

    @staticmethod
    def arrays(terms: Iterable[str], prefix: str) -> dict[str, np.ndarray]:
        """The arrays of a table whose ids are the positions of `terms`."""
        encoded = [t.encode("utf-8") for t in terms]
        hashes = np.fromiter((zlib.crc32(t) for t in encoded), np.uint32, len(encoded))
        order = np.argsort(hashes, kind="stable")
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in encoded], out=offsets[1:])
        return {f"{prefix}.hashes": hashes[order], f"{prefix}.ids": order.astype(np.int32),
                f"{prefix}.offsets": offsets, f"{prefix}.blob": np.frombuffer(b"".join(encoded), dtype=np.uint8)}

    def __len__(self) -> int:
        return len(self._ids)

    def get(self, term: str, default: int | None = None) -> int | None:
        try:
            found = self._memo[term]
        except KeyError:
            found = self._find(term)
            if len(self._memo) > 500_000:  # a long-running bot meets many strings: keep it bounded
                self._memo.clear()
            self._memo[term] = found
        return default if found is None else found

    def _find(self, term: str) -> int | None:
        key = term.encode("utf-8")
        h = np.uint32(zlib.crc32(key))  # a Python int would make numpy convert the whole array
        i = int(self._hashes.searchsorted(h))
        while i < len(self._hashes) and self._hashes[i] == h:
            tid = int(self._ids[i])
            if self._blob[int(self._offsets[tid]) : int(self._offsets[tid + 1])].tobytes() == key:
                return tid
            i += 1
        return None

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def term(self, tid: int) -> str:
        return self._blob[int(self._offsets[tid]) : int(self._offsets[tid + 1])].tobytes().decode("utf-8")


# ---- one file: a marshal header and aligned raw arrays ----------------------------------------


def save_arrays(path: Path, header: Any, arrays: dict[str, np.ndarray]) -> None:
    """Write header and arrays to `path` atomically (temporary file in the same directory, then rename)."""
    specs: dict[str, tuple[str, tuple[int, ...], int]] = {}
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        specs[name] = (array.dtype.str, tuple(int(n) for n in array.shape), offset)
        offset += -(-array.nbytes // ALIGN) * ALIGN
    head = marshal.dumps((header, specs))
    start = -(-(len(MAGIC) + 8 + len(head)) // ALIGN) * ALIGN
    with atomic_file(path) as f:
        f.write(MAGIC + len(head).to_bytes(8, "little") + head)
        f.write(b"\0" * (start - f.tell()))
        for name, array in arrays.items():
            array = np.ascontiguousarray(array)
            f.seek(start + specs[name][2])
            f.write(array.tobytes())
        f.truncate(start + offset)


def load_arrays(path: Path) -> tuple[Any, dict[str, np.ndarray]]:
    """The header and the arrays (memory-mapped, read-only) of a file `save_arrays` wrote; any
    damage raises ValueError (or OSError when the file cannot be read)."""
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise ValueError(f"{path}: not an index file")
        size = int.from_bytes(f.read(8), "little")
        raw = f.read(size)
        if len(raw) != size:
            raise ValueError(f"{path}: truncated header")
        try:
            header, specs = marshal.loads(raw)
        except (EOFError, TypeError) as exc:
            raise ValueError(f"{path}: damaged header") from exc
    start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
    total = path.stat().st_size
    arrays: dict[str, np.ndarray] = {}
    for name, (dtype, shape, offset) in specs.items():
        dt = np.dtype(dtype)
        count = int(np.prod(shape)) if shape else 1
        if start + offset + count * dt.itemsize > total:
            raise ValueError(f"{path}: truncated array {name}")
        if count == 0:
            arrays[name] = np.zeros(shape, dtype=dt)
        else:
            # a plain read-only view of the mapping (np.memmap's own indexing is slower)
            arrays[name] = np.memmap(path, dtype=dt, mode="r", offset=start + offset, shape=shape).view(np.ndarray)
    return header, arrays
