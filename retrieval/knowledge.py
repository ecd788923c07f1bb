"""Reading the knowledge directory: manifest, cleaned speeches, dictionaries.

Everything a trainer may edit is checked when it is loaded, and a mistake is reported as one
`KnowledgeError` that names the file and the line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from .types import Corpus, Speech, SpeechText

MANIFEST = "manifest.yaml"
SYNONYMS = "synonyms.yaml"
USERDICT = "userdict.txt"
STOPWORDS = "stopwords.txt"
SPEECH_KEYS = {f.name for f in fields(Speech)} | {"date_note", "raw"}
REQUIRED_KEYS = {"id", "title", "file"}


class KnowledgeError(Exception):
    """A problem with the knowledge directory, worded for the person who edits it."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def default_knowledge_dir() -> Path:
    """`OFFICE_BOT_KNOWLEDGE`, else the `knowledge` package installed with the project."""
    env = os.environ.get("OFFICE_BOT_KNOWLEDGE", "").strip()
    if env:
        return Path(env).expanduser()
    from officebot import knowledge

    return Path(knowledge.__file__).resolve().parent


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line of every mapping as the key `__line__`."""


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


def load_yaml(path: Path) -> Any:
    """Parse YAML safely; each mapping carries `__line__`. Syntax errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(path, "文件不存在") from None
    except UnicodeDecodeError:
        raise KnowledgeError(path, "不是 UTF-8 编码的文本文件") from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(path, f"YAML 格式错误：{exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(path, f"YAML 格式错误：{exc}") from None


def strip_lines(value: Any) -> Any:
    """The same data without the `__line__` bookkeeping."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def load_list_file(path: Path, key: str) -> list:
    """The entries of a YAML file made of one `key:` list ([] when the file is missing or empty);
    any other shape, or another top-level key, is a KnowledgeError naming the file and line."""
    if not path.is_file():
        return []
    data = load_yaml(path)
    if data is None:
        return []
    line = data.get("__line__") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get(key) or [], list):
        raise KnowledgeError(path, f"应为 `{key}:` 列表", line)
    unknown = set(data) - {key, "__line__"}
    if unknown:
        raise KnowledgeError(path, f"未知字段：{', '.join(sorted(map(str, unknown)))}", line)
    return data.get(key) or []


def load_manifest(directory: Path) -> list[Speech]:
    path = directory / MANIFEST
    entries = load_list_file(path, "speeches")
    speeches: list[Speech] = []
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            raise KnowledgeError(path, "每篇讲话应是一组“字段: 值”", None)
        line = entry.get("__line__")
        unknown = set(entry) - SPEECH_KEYS - {"__line__"}
        if unknown:
            raise KnowledgeError(path, f"未知字段：{', '.join(sorted(unknown))}", line)
        missing = REQUIRED_KEYS - {k for k, v in entry.items() if v not in (None, "")}
        if missing:
            raise KnowledgeError(path, f"缺少字段：{', '.join(sorted(missing))}", line)
        values = {k: "" if entry.get(k) is None else str(entry.get(k)) for k in SPEECH_KEYS - {"date_note", "raw"}}
        if values["id"] in seen:
            raise KnowledgeError(path, f"讲话 id 重复：{values['id']}", line)
        seen.add(values["id"])
        if not (directory / values["file"]).is_file():
            raise KnowledgeError(path, f"找不到讲话正文文件：{values['file']}", line)
        speeches.append(Speech(**values))
    return speeches


def read_speech_lines(directory: Path, speech: Speech) -> list[str]:
    """The cleaned text of a speech: one paragraph or heading a line."""
    path = directory / speech.file
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KnowledgeError(path, "不是 UTF-8 编码的文本文件") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


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


def load_synonyms(directory: Path) -> Synonyms:
    path = directory / SYNONYMS
    if not path.is_file():
        return Synonyms()
    data = load_yaml(path)
    if data is None:
        return Synonyms()
    if not isinstance(data, dict):
        raise KnowledgeError(path, "应为“用户说法: [讲话中的说法, …]”的映射", None)
    table: dict[str, list[str]] = {}
    line = data.get("__line__")
    for key, value in data.items():
        if key == "__line__":
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise KnowledgeError(path, f"“{key}”的值应为词语列表，如 [报送, 报告]", line)
        from .text import fold

        table.setdefault(fold(str(key)), []).extend(fold(str(v)) for v in value if str(v).strip())
    return Synonyms(table)


def read_corpus(directory: Path) -> Corpus:
    """One standalone knowledge directory as a Corpus (see the library package for layering)."""
    if not directory.is_dir():
        raise KnowledgeError(directory, "知识库目录不存在")
    from .text import read_word_list

    speeches = [SpeechText(s, tuple(read_speech_lines(directory, s))) for s in load_manifest(directory)]
    return Corpus(
        speeches=speeches,
        synonyms=load_synonyms(directory).table,
        userdict=read_word_list(directory / USERDICT),
        stopwords=set(read_word_list(directory / STOPWORDS)),
    )
