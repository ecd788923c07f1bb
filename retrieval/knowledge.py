"""Reading the knowledge directory: manifest, cleaned speeches, dictionaries.

Everything a trainer may edit is checked when it is loaded, and a mistake is reported as one
`KnowledgeError` that names the file and the line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from .text import ASKING_COUNTS
from .types import Corpus, Speech, SpeechText

MANIFEST = "manifest.yaml"
SYNONYMS = "synonyms.yaml"
USERDICT = "userdict.txt"
STOPWORDS = "stopwords.txt"
SPEECH_KEYS = {f.name for f in fields(Speech)} | {"date_note", "raw", "sha1"}
REQUIRED_KEYS = {"id", "title", "file"}
MANIFEST_KEYS = {"speeches", "hidden"}  # hidden: ids of speeches of a lower layer to leave out
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")
_WORD_SEPARATORS = re.compile(r"[,，、;；\s]")


class KnowledgeError(Exception):
    """A problem with the knowledge directory, worded for the person who edits it."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")

    @property
    def problems(self) -> list[KnowledgeError]:
        return [self]


class KnowledgeErrors(KnowledgeError):
    """Every problem found in one reading of the knowledge, one a line (file:line: message)."""

    def __init__(self, problems: list[KnowledgeError]):
        self._problems = list(problems)
        first = self._problems[0]
        Exception.__init__(self, "\n".join(str(p) for p in self._problems))
        self.path, self.line, self.message = first.path, first.line, first.message

    @property
    def problems(self) -> list[KnowledgeError]:
        return self._problems


class Problems(list):
    """Collects KnowledgeErrors so that a reading reports all of them at once (`check`)."""

    def add(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.append(KnowledgeError(path, message, line))

    def extend_from(self, exc: KnowledgeError) -> None:
        self.extend(exc.problems)

    def check(self) -> None:
        if len(self) == 1:
            raise self[0]
        if self:
            raise KnowledgeErrors(list(self))


def valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real day of the calendar."""
    import datetime

    m = _DATE.match(text)
    if not m:
        return False
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return False
    return True


def default_knowledge_dir() -> Path:
    """`OFFICE_BOT_KNOWLEDGE`, else the `knowledge` package installed with the project."""
    env = os.environ.get("OFFICE_BOT_KNOWLEDGE", "").strip()
    if env:
        return Path(env).expanduser()
    return installed_knowledge_dir()


def installed_knowledge_dir() -> Path:
    """The knowledge shipped inside the package (read-only: nothing is ever written there)."""
    from officebot import knowledge

    return Path(knowledge.__file__).resolve().parent


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it


class _LineLoader(FAST_LOADER):
    """A SafeLoader that remembers the line of every mapping as the key `__line__`; dates stay
    text (an impossible date such as 2023-02-30 is then reported, not a traceback)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (str, int)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键“{key}”（同一个键只能写一次）", key_node.start_mark
            )
        seen.add(key) if isinstance(key, (str, int)) else None
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_text(path: Path) -> str:
    """A knowledge file's text (UTF-8, a BOM allowed); another encoding is a KnowledgeError at the
    line of the first byte that is not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(path, "文件不存在") from None
    except OSError as exc:
        raise KnowledgeError(path, f"读不了文件：{exc.strerror or exc.__class__.__name__}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KnowledgeError(path, "不是 UTF-8 编码的文本（请用编辑器另存为 UTF-8）", line) from None


def _yaml_error(path: Path, exc: yaml.YAMLError) -> KnowledgeError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return KnowledgeError(path, f"YAML 格式错误：{exc.problem or exc.context}", line)
    return KnowledgeError(path, f"YAML 格式错误：{exc}")


def load_yaml(path: Path) -> Any:
    """Parse YAML safely; each mapping carries `__line__`. Syntax errors name file and line."""
    text = read_text(path)
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None


def strip_lines(value: Any) -> Any:
    """The same data without the `__line__` bookkeeping."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def load_list_file(path: Path, key: str, extra_keys: frozenset[str] = frozenset()) -> list:
    """The entries of a YAML file made of one `key:` list ([] when the file is missing or empty);
    any other shape, or another top-level key, is a KnowledgeError naming the file and line."""
    return _load_list_file(path, key, extra_keys)[0]


def _load_list_file(path: Path, key: str, extra_keys: frozenset[str] = frozenset()) -> tuple[list, dict]:
    if not path.is_file():
        return [], {}
    data = load_yaml(path)
    if data is None:
        return [], {}
    line = data.get("__line__") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get(key) or [], list):
        raise KnowledgeError(path, f"应为 `{key}:` 列表", line)
    unknown = set(data) - {key, "__line__"} - extra_keys
    if unknown:
        raise KnowledgeError(path, f"未知字段：{', '.join(sorted(map(str, unknown)))}", line)
    return data.get(key) or [], data


@dataclass
class Manifest:
    """A manifest.yaml: its speeches (in file order), the ids it hides, and each speech's entry
    as written (with date_note, raw and the content fingerprint sha1)."""

    speeches: list[Speech] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)


def read_manifest(directory: Path, problems: Problems, required: bool = True) -> Manifest:
    """The manifest of a knowledge directory; every problem goes to `problems` (a missing
    manifest.yaml too, unless not `required`)."""
    path = directory / MANIFEST
    manifest = Manifest()
    if not path.is_file():
        if required:
            problems.add(path, "找不到 manifest.yaml：这不是一个知识库目录（知识库目录里应有 manifest.yaml 和 speeches/）")
        return manifest
    try:
        entries, data = _load_list_file(path, "speeches", frozenset({"hidden"}))
    except KnowledgeError as exc:
        problems.extend_from(exc)
        return manifest
    hidden = data.get("hidden") or []
    if isinstance(hidden, str):
        hidden = [hidden]
    if not isinstance(hidden, list) or not all(isinstance(h, str) for h in hidden):
        problems.add(path, "hidden 应为讲话编号的列表，如 [speech-1a2b3c4d]", data.get("__line__"))
    else:
        manifest.hidden = [h.strip() for h in hidden if h.strip()]
    for entry in entries:
        if not isinstance(entry, dict):
            problems.add(path, "每篇讲话应是一组“字段: 值”", None)
            continue
        line = entry.get("__line__")
        unknown = set(entry) - SPEECH_KEYS - {"__line__"}
        if unknown:
            problems.add(path, f"未知字段：{', '.join(sorted(map(str, unknown)))}", line)
            continue
        missing = REQUIRED_KEYS - {k for k, v in entry.items() if v not in (None, "")}
        if missing:
            problems.add(path, f"缺少字段：{', '.join(sorted(missing))}", line)
            continue
        nested = [k for k, v in entry.items() if isinstance(v, (dict, list))]
        if nested:
            problems.add(path, f"字段 {', '.join(sorted(nested))} 应为一段文字", line)
            continue
        values = {k: "" if entry.get(k) is None else str(entry.get(k)).strip() for k in SPEECH_KEYS - {"date_note", "raw", "sha1"}}
        if values["id"] in manifest.lines:
            problems.add(path, f"讲话编号重复：{values['id']}（第 {manifest.lines[values['id']]} 行已有）", line)
            continue
        if not _ID.match(values["id"]):
            problems.add(path, f"讲话编号只能用小写字母、数字和连字符（2–61 个字符）：{values['id']}", line)
            continue
        if values["date"] and not valid_date(values["date"]):
            problems.add(path, f"日期“{values['date']}”不对：应为 YYYY-MM-DD、YYYY-MM 或 YYYY 的真实日期", line)
            continue
        if not (directory / values["file"]).is_file():
            problems.add(path, f"找不到讲话正文文件：{values['file']}", line)
            continue
        manifest.lines[values["id"]] = line
        manifest.speeches.append(Speech(**values))
        manifest.entries[values["id"]] = strip_lines(entry)
    return manifest


def load_manifest(directory: Path) -> list[Speech]:
    """The speeches of a manifest.yaml; any problem is raised (all of them at once)."""
    problems = Problems()
    manifest = read_manifest(directory, problems)
    problems.check()
    return manifest.speeches


def read_speech_lines(directory: Path, speech: Speech) -> list[str]:
    """The cleaned text of a speech: one paragraph or heading a line."""
    text = read_text(directory / speech.file)
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_word_list(path: Path, problems: Problems, counted: bool = False) -> list[str]:
    """userdict.txt / stopwords.txt: one entry a line, '#' starts a comment ([] if missing).
    `counted`: an entry may be followed by a count ("词 100")."""
    if not path.is_file():
        return []
    try:
        text = read_text(path)
    except KnowledgeError as exc:
        problems.extend_from(exc)
        return []
    words = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if counted and (len(parts) > 2 or (len(parts) == 2 and not parts[1].isdigit())):
            problems.add(path, f"应为“词”或“词 词频”（词频是整数），而不是“{line}”", number)
            continue
        if not counted and len(parts) > 1:
            problems.add(path, f"一行只写一个词，而不是“{line}”", number)
            continue
        words.append(line)
    return words


@dataclass
class Synonyms:
    """Query expansion: a word a user may say -> the words the speeches use for it."""

    table: dict[str, list[str]] = field(default_factory=dict)

    def expand(self, word: str) -> list[str]:
        return self.table.get(word, [])

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        """(start, end, expansions) of every entry of two or more characters that occurs in the
        (folded) text, wherever jieba would cut it: "写材料" in "写材料有啥要求", "交代" in
        "交代任务". One-character entries only match whole words (see `expand`)."""
        found = []
        for key, expansions in self.table.items():
            if len(key) < 2:
                continue
            start = text.find(key)
            while start >= 0:
                found.append((start, start + len(key), expansions))
                start = text.find(key, start + 1)
        return found


def read_synonym_entries(path: Path, problems: Problems) -> dict[str, tuple[list[str], int]]:
    """synonyms.yaml as {user word: ([speech words], line)}, unfolded, every problem at its own
    line. A value is a list of words or one word; a mapping, an empty value or a word list written
    as one string ("报告, 通知") is an error."""
    if not path.is_file():
        return {}
    try:
        root = yaml.compose(read_text(path), Loader=FAST_LOADER)
    except KnowledgeError as exc:
        problems.extend_from(exc)
        return {}
    except yaml.YAMLError as exc:
        problems.append(_yaml_error(path, exc))
        return {}
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        problems.add(path, "应为“用户说法: [讲话中的说法, …]”的映射", root.start_mark.line + 1)
        return {}
    entries: dict[str, tuple[list[str], int]] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not str(key_node.value).strip():
            problems.add(path, "左边应为一个用户说法", line)
            continue
        key = str(key_node.value).strip()
        if key in entries:
            problems.add(path, f"“{key}”重复（第 {entries[key][1]} 行已有）：同一个说法只能写一行", line)
            continue
        example = f"{key}: [报送, 报告]"
        if isinstance(value_node, yaml.MappingNode):
            problems.add(path, f"“{key}”的值应为词语列表，如 {example}，而不是映射", value_node.start_mark.line + 1)
            continue
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        words: list[str] = []
        ok = True
        for item in items:
            item_line = item.start_mark.line + 1
            if not isinstance(item, yaml.ScalarNode):
                problems.add(path, f"“{key}”的每一项应为一个词，如 {example}", item_line)
                ok = False
                continue
            word = str(item.value).strip()
            if not word:
                continue
            if not item.style and _WORD_SEPARATORS.search(word):  # plain: None (Python parser) or "" (libyaml)
                where = "一项" if isinstance(value_node, yaml.SequenceNode) else "值"
                problems.add(path, f"“{key}”的{where}“{word}”里有逗号或空格：几个词请写成列表，如 {example}", item_line)
                ok = False
                continue
            words.append(word)
        if ok and not words:
            problems.add(path, f"“{key}”没有写讲话中的说法，如 {example}", line)
            continue
        if ok:
            entries[key] = (words, line)
    return entries


def synonym_table(entries: dict[str, list[str]] | dict[str, tuple[list[str], int]], table: dict | None = None) -> dict:
    """Fold entries into a search table (user word -> speech words), extending `table`."""
    from .text import fold

    table = {} if table is None else table
    for key, value in entries.items():
        words = value[0] if isinstance(value, tuple) else value
        target = table.setdefault(fold(key), [])
        target.extend(w for w in (fold(str(v)) for v in words) if w not in target)
    return table


def load_synonyms(directory: Path) -> Synonyms:
    problems = Problems()
    entries = read_synonym_entries(directory / SYNONYMS, problems)
    problems.check()
    return Synonyms(synonym_table(entries))


def read_layer(directory: Path, problems: Problems, required: bool = True) -> tuple[Manifest, Corpus]:
    """One knowledge directory read into its manifest and a Corpus, every problem collected."""
    manifest = read_manifest(directory, problems, required)
    speeches = []
    for speech in manifest.speeches:
        try:
            speeches.append(SpeechText(speech, tuple(read_speech_lines(directory, speech))))
        except KnowledgeError as exc:
            problems.extend_from(exc)
    corpus = Corpus(
        speeches=speeches,
        synonyms=synonym_table(read_synonym_entries(directory / SYNONYMS, problems)),
        userdict=read_word_list(directory / USERDICT, problems, counted=True),
        stopwords=set(read_word_list(directory / STOPWORDS, problems)) | ASKING_COUNTS,
    )
    return manifest, corpus


def read_corpus(directory: Path) -> Corpus:
    """One standalone knowledge directory as a Corpus (see the library package for layering);
    every problem in it is raised at once."""
    if not directory.is_dir():
        raise KnowledgeError(directory, "知识库目录不存在")
    problems = Problems()
    manifest, corpus = read_layer(directory, problems)
    problems.check()
    hidden = set(manifest.hidden)
    corpus.speeches = [st for st in corpus.speeches if st.speech.id not in hidden]
    return corpus
