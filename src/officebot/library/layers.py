"""Two layers of knowledge: the shipped knowledge (read-only, inside the package) and the library
in the data directory ($OFFICE_BOT_DATA/library), in the same file formats.

The library's speeches add to the shipped ones (a library speech with a shipped speech's id
replaces it), its `hidden:` list in manifest.yaml leaves speeches out, and its synonyms.yaml,
userdict.txt, stopwords.txt and tips.yaml extend the shipped ones. `read_knowledge` reads both
into one `Corpus` and the tips, and reports every problem of every file at once, each with its
file and line. `Library` makes the changes (add, replace, remove a speech; teach and unteach a
synonym) and never writes anywhere but the library directory: not into the installed package.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from officebot.retrieval.build import default_cache_dir
from officebot.retrieval.files import write_atomic
from officebot.retrieval.knowledge import (
    MANIFEST,
    STOPWORDS,
    SYNONYMS,
    USERDICT,
    KnowledgeError,
    Manifest,
    Problems,
    default_knowledge_dir,
    installed_knowledge_dir,
    read_layer,
    read_manifest,
    read_speech_lines,
    read_synonym_entries,
    synonym_table,
)
from officebot.retrieval.text import strip_for_match
from officebot.retrieval.types import Corpus, Speech, SpeechText

LIBRARY = "library"
CACHE = "cache"  # the search index, kept between starts (retrieval/build.py)
TIPS = "tips.yaml"
DATA_ENV = "OFFICE_BOT_DATA"
SHIPPED, LIBRARY_LAYER = "shipped", "library"
MANIFEST_HEADER = """\
# 资料库清单：office-bot ingest / remove 和机器人的管理员命令维护这个文件，也可以手工修改
# （修改后在机器人里发 /reload）。字段与安装自带的 manifest.yaml 相同；sha1 是正文的指纹，
# 用来发现重复的讲话。hidden 列出不再使用的讲话编号（可以是安装自带的讲话）。
"""
SYNONYMS_HEADER = """\
# 资料库的同义词：左边是同事提问时的说法，右边是讲话原文里的说法。
# 机器人的 /teach 命令会写入这里；与安装自带的 synonyms.yaml 合并使用。
"""


class LibraryError(Exception):
    """A change to the library that cannot be made; nothing was changed."""


def data_dir() -> Path:
    """$OFFICE_BOT_DATA, else ./data (the bot's default too)."""
    return Path(os.environ.get(DATA_ENV, "").strip() or "data").expanduser()


def fingerprint(lines: list[str] | tuple[str, ...]) -> str:
    """The content fingerprint of a speech: the letters and digits (NFKC, lower case) of its
    paragraphs of 20 characters or more. Titles, headings, salutations and what a web page or a
    PDF adds around the text are left out, so the same speech from a .txt, a saved page or a PDF
    has the same fingerprint whatever its title."""
    texts = [strip_for_match(line) for line in lines]
    long = [t for t in texts if len(t) >= 20] or texts
    return hashlib.sha1("\n".join(long).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Layers:
    """Where the knowledge is read from: `shipped` (read-only; None for a standalone directory)
    under the writable `library`."""

    library: Path
    shipped: Path | None = None
    cache: Path | None = None  # where the search index is kept between starts (None: not kept)

    @classmethod
    def default(cls, data: Path | str | None = None) -> Layers:
        """The shipped knowledge ($OFFICE_BOT_KNOWLEDGE or the installed one) under the library
        in the data directory."""
        base = Path(data).expanduser() if data else data_dir()
        # the index is kept in the data directory; with none yet (`office-bot ask` anywhere), in the
        # user's cache directory rather than a new ./data
        cache = base / CACHE if base.is_dir() else default_cache_dir()
        return cls(library=base / LIBRARY, shipped=default_knowledge_dir(), cache=cache)

    @classmethod
    def standalone(cls, directory: Path | str) -> Layers:
        return cls(library=Path(directory).expanduser(), cache=data_dir() / CACHE)

    @property
    def directories(self) -> list[Path]:
        return [d for d in (self.shipped, self.library) if d is not None]

    def check_writable(self) -> None:
        installed = installed_knowledge_dir()
        target = self.library.resolve()
        if target == installed or installed in target.parents:
            raise LibraryError(
                f"{self.library} 是安装包自带的知识库，不能写入（升级时会被覆盖）；"
                f"新讲话请导入数据目录里的资料库（${DATA_ENV}/library），或用 --knowledge 指定自己的目录"
            )


@dataclass(frozen=True)
class Source:
    """A speech as /sources and `office-bot sources` list it."""

    speech: Speech
    layer: str  # SHIPPED or LIBRARY_LAYER
    sha1: str
    paragraphs: int = 0


@dataclass
class Knowledge:
    """What the layers hold: the corpus to index, the tips, and every speech with its layer."""

    corpus: Corpus
    tips: list = field(default_factory=list)  # officebot.training.tips.Tip
    sources: list[Source] = field(default_factory=list)
    layers: Layers | None = None


def _fingerprints(directory: Path, manifest: Manifest, texts: dict[str, SpeechText] | None = None) -> dict[str, str]:
    out = {}
    for speech in manifest.speeches:
        sha1 = str(manifest.entries.get(speech.id, {}).get("sha1") or "")
        if not sha1:
            lines = texts[speech.id].lines if texts and speech.id in texts else None
            try:
                sha1 = fingerprint(lines if lines is not None else read_speech_lines(directory, speech))
            except KnowledgeError:
                sha1 = ""
        out[speech.id] = sha1
    return out


def read_knowledge(layers: Layers, with_tips: bool = True) -> Knowledge:
    """Read every layer into one Corpus (and the tips); raises KnowledgeError with every problem
    of every file, each with its file and line."""
    problems = Problems()
    if layers.shipped is not None and not layers.shipped.is_dir():
        problems.add(layers.shipped, "知识库目录不存在")
    standalone = layers.shipped is None
    if standalone and not layers.library.is_dir():
        problems.add(layers.library, "知识库目录不存在")
        problems.check()
    read: list[tuple[str, Path, Manifest, Corpus]] = []
    for layer, directory in ((SHIPPED, layers.shipped), (LIBRARY_LAYER, layers.library)):
        if directory is None or not directory.is_dir():
            continue
        manifest, corpus = read_layer(directory, problems, required=standalone or layer == SHIPPED)
        read.append((layer, directory, manifest, corpus))
    hidden = {h for _, _, m, _ in read for h in m.hidden}
    top_ids = {st.speech.id for layer, _, _, c in read if layer == LIBRARY_LAYER for st in c.speeches}
    merged = Corpus()
    sources: list[Source] = []
    for layer, directory, manifest, corpus in read:
        texts = {st.speech.id: st for st in corpus.speeches}
        sha1 = _fingerprints(directory, manifest, texts)
        for st in corpus.speeches:
            if st.speech.id in hidden or (layer == SHIPPED and st.speech.id in top_ids):
                continue
            merged.speeches.append(st)
            sources.append(Source(st.speech, layer, sha1.get(st.speech.id, ""), len(st.lines)))
        synonym_table(corpus.synonyms, merged.synonyms)
        merged.userdict.extend(corpus.userdict)
        merged.stopwords |= corpus.stopwords
    merged.annotations = _annotations(layers.library, problems)
    tips = []
    if with_tips:
        from officebot.training.tips import layered_tips

        tips = layered_tips([d / TIPS for _, d, _, _ in read], merged.speeches, problems, hidden)
    problems.check()
    return Knowledge(merged, tips, sources, layers)


def _annotations(library: Path, problems: Problems) -> dict:
    """Questions bound to paragraphs, if the annotations module is there (see annotations.py)."""
    try:
        from officebot.library import annotations
    except ImportError:
        return {}
    load = getattr(annotations, "load_annotations", None)
    if load is None or not library.is_dir():
        return {}
    try:
        return load(library) or {}
    except KnowledgeError as exc:
        problems.extend_from(exc)
        return {}


def read_sources(layers: Layers) -> list[Source]:
    """Every speech with its layer and fingerprint, from the manifests alone (speech files are
    read only for an entry that has no sha1 yet). Problems are raised, all at once."""
    problems = Problems()
    found: list[tuple[str, Path, Manifest]] = []
    for layer, directory in ((SHIPPED, layers.shipped), (LIBRARY_LAYER, layers.library)):
        if directory is None:
            continue
        required = layers.shipped is None or layer == SHIPPED
        if not directory.is_dir():
            if required:
                problems.add(directory, "知识库目录不存在")
            continue
        found.append((layer, directory, read_manifest(directory, problems, required)))
    problems.check()
    hidden = {h for _, _, m in found for h in m.hidden}
    top = {s.id for layer, _, m in found if layer == LIBRARY_LAYER for s in m.speeches}
    out = []
    for layer, directory, manifest in found:
        sha1 = _fingerprints(directory, manifest)
        for speech in manifest.speeches:
            if speech.id in hidden or (layer == SHIPPED and speech.id in top):
                continue
            out.append(Source(speech, layer, sha1.get(speech.id, "")))
    return out


# ---- writing the library -----------------------------------------------------------------------


@dataclass
class Change:
    """A change made to the library, with what it takes to undo it (the files as they were)."""

    message: str
    saved: dict[Path, bytes | None] = field(default_factory=dict, repr=False)
    source: Source | None = None

    def undo(self) -> None:
        for path, data in self.saved.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, data)


class Library:
    """The writable layer. A change is checked by reading back what it wrote (the manifest, the
    speech, the synonyms: never the whole library); one that does not read back is undone and
    raised as LibraryError. The caller that rebuilds the index undoes it (`Change.undo`) if the
    rebuild fails, so a failed change leaves nothing behind."""

    _lock = threading.RLock()  # one writer at a time in this process

    def __init__(self, layers: Layers):
        self.layers = layers
        self.directory = layers.library

    # -- manifest ------------------------------------------------------------------------------

    def _manifest_data(self) -> tuple[list[dict], list[str]]:
        problems = Problems()
        manifest = read_manifest(self.directory, problems, required=False)
        if problems:
            raise LibraryError("资料库清单有错误，请先修正：\n" + "\n".join(str(p) for p in problems))
        entries = [dict(manifest.entries[s.id]) for s in manifest.speeches]
        return entries, list(manifest.hidden)

    def _dump_manifest(self, entries: list[dict], hidden: list[str]) -> bytes:
        body: dict = {"speeches": entries}
        if hidden:
            body["hidden"] = hidden
        text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
        path = self.directory / MANIFEST
        old = path.read_text("utf-8-sig").splitlines() if path.is_file() else []
        header = "".join(line + "\n" for line in old if line.startswith("#")) or MANIFEST_HEADER
        return (header + text).encode("utf-8")

    def _snapshot(self, paths: list[Path]) -> dict[Path, bytes | None]:
        return {p: (p.read_bytes() if p.is_file() else None) for p in paths}

    def _restore(self, saved: dict[Path, bytes | None]) -> None:
        Change("", saved).undo()

    def _verify(self, saved: dict[Path, bytes | None], message: str, source: Source | None = None) -> Change:
        problems = Problems()
        manifest = read_manifest(self.directory, problems, required=False)
        for speech in manifest.speeches:
            if self.directory / speech.file in saved:
                try:
                    read_speech_lines(self.directory, speech)
                except KnowledgeError as exc:
                    problems.extend_from(exc)
        if (self.directory / SYNONYMS) in saved:
            read_synonym_entries(self.directory / SYNONYMS, problems)
        if problems:
            self._restore(saved)
            raise LibraryError("改动后资料库读不通，已撤销：\n" + "\n".join(str(p) for p in problems))
        return Change(message, saved, source)

    def add_speech(self, speech: Speech, lines: list[str], raw: bytes, raw_suffix: str, entry_extra: dict,
                   replace: str | None = None) -> Change:
        """Write a cleaned speech (and its original) into the library; `replace` is the id of the
        speech it takes the place of (its id is kept)."""
        self.layers.check_writable()
        with self._lock:
            entries, hidden = self._manifest_data()
            old = next((e for e in entries if e.get("id") == (replace or speech.id)), None)
            if old is not None and not replace:
                raise LibraryError(f"资料库里已有编号 {speech.id}")
            text_path = self.directory / speech.file
            raw_name = f"raw/{speech.id}{raw_suffix}"
            manifest = self.directory / MANIFEST
            paths = [text_path, self.directory / raw_name, manifest]
            stale = [self.directory / str(old[k]) for k in ("file", "raw") if old and old.get(k)]
            stale = [p for p in stale if p not in paths]
            saved = self._snapshot(paths + stale)
            entry = {
                "id": speech.id, "title": speech.title, "speaker": speech.speaker, "occasion": speech.occasion,
                "date": speech.date, **entry_extra, "origin": speech.origin, "file": speech.file, "raw": raw_name,
                "sha1": fingerprint(lines),
            }
            if old is not None:
                entries[entries.index(old)] = entry
            else:
                entries.append(entry)
            hidden = [h for h in hidden if h != speech.id]
            try:
                write_atomic(text_path, ("\n\n".join(lines) + "\n").encode("utf-8"))
                write_atomic(self.directory / raw_name, raw)
                write_atomic(manifest, self._dump_manifest(entries, hidden))
                for path in stale:
                    path.unlink(missing_ok=True)
            except OSError as exc:
                self._restore(saved)
                raise LibraryError(f"写入资料库失败：{exc.strerror or exc}") from None
            return self._verify(saved, f"已导入《{speech.title}》（编号：{speech.id}）")

    def remove_speech(self, speech_id: str) -> Change:
        """Take a speech out: a library speech's files go; a shipped one is listed as hidden."""
        self.layers.check_writable()
        with self._lock:
            sources = {s.speech.id: s for s in read_sources(self.layers)}
            if speech_id not in sources:
                raise LibraryError(f"没有编号为 {speech_id} 的讲话（/sources 可查看全部编号）")
            entries, hidden = self._manifest_data()
            manifest = self.directory / MANIFEST
            old = next((e for e in entries if e.get("id") == speech_id), None)
            files = [self.directory / str(old[k]) for k in ("file", "raw") if old and old.get(k)]
            saved = self._snapshot([manifest, *files])
            if old is not None:
                entries.remove(old)
            # hidden lists every removed id: a shipped speech stays out, and tips citing it are dropped
            if speech_id not in hidden:
                hidden.append(speech_id)
            try:
                write_atomic(manifest, self._dump_manifest(entries, hidden))
            except OSError as exc:
                self._restore(saved)
                raise LibraryError(f"写入资料库失败：{exc.strerror or exc}") from None
            change_files = files  # their bytes are in `saved`: an undo brings them back
            for path in change_files:
                path.unlink(missing_ok=True)
            source = sources[speech_id]
            mark = "（安装自带，已隐藏）" if source.layer == SHIPPED else ""
            return self._verify(saved, f"已删除《{source.speech.title}》（编号：{speech_id}）{mark}", source)

    # -- synonyms --------------------------------------------------------------------------------

    def synonyms(self) -> dict[str, list[str]]:
        problems = Problems()
        entries = read_synonym_entries(self.directory / SYNONYMS, problems)
        if problems:
            raise LibraryError("资料库的同义词表有错误，请先修正：\n" + "\n".join(str(p) for p in problems))
        return {k: v for k, (v, _) in entries.items()}

    def teach(self, word: str, words: list[str]) -> Change:
        """Add `words` (speech wordings) to the library's entry for `word` (a user's wording)."""
        self.layers.check_writable()
        with self._lock:
            table = self.synonyms()
            merged = list(table.get(word, []))
            merged.extend(w for w in words if w not in merged)
            table[word] = merged
            return self._write_synonyms(table, f"已记住：{word} = {'、'.join(merged)}")

    def unteach(self, word: str) -> Change:
        self.layers.check_writable()
        with self._lock:
            table = self.synonyms()
            if word not in table:
                raise LibraryError(f"资料库的同义词表里没有“{word}”（/teach 可查看）")
            del table[word]
            return self._write_synonyms(table, f"已删除同义词：{word}")

    def _write_synonyms(self, table: dict[str, list[str]], message: str) -> Change:
        path = self.directory / SYNONYMS
        saved = self._snapshot([path])
        old = saved[path].decode("utf-8-sig") if saved[path] else SYNONYMS_HEADER
        comments = "".join(line + "\n" for line in old.splitlines() if line.startswith("#")) or SYNONYMS_HEADER
        body = "".join(f"{_flow(k)}: [{', '.join(_flow(w) for w in v)}]\n" for k, v in table.items())
        try:
            write_atomic(path, (comments + body).encode("utf-8"))
        except OSError as exc:
            raise LibraryError(f"写入资料库失败：{exc.strerror or exc}") from None
        return self._verify(saved, message)

    def word_files(self) -> list[Path]:
        return [self.directory / name for name in (MANIFEST, SYNONYMS, USERDICT, STOPWORDS, TIPS)]


def _flow(word: str) -> str:
    """A word as it goes into a YAML flow list: bare when plain letters, else double-quoted."""
    import json
    import re

    return word if re.fullmatch(r"[\w\u3400-\u9fff]+", word) and not word.isdigit() else json.dumps(word, ensure_ascii=False)
