"""Questions bound to paragraphs, learnt from use (MaxKB's 关联问题, FastGPT's annotations).

An admin binds a question the bot missed to the paragraph that answers it (`/review` in the bot,
`office-bot review` in the terminal); the bound wordings are indexed as extra text of that
paragraph (`Corpus.annotations`), so the same and similar wordings find it next time. A question
the speeches do not answer is marked "not covered" instead and leaves the review list.

Kept in the library directory ($OFFICE_BOT_DATA/library) as `annotations.yaml`, written whole and
atomically (a temporary file renamed over the old one), so a crash leaves the old or the new file,
never half of one:

    bound:
      - doc: district-office-directors
        paragraph: 8
        questions:
          - 服从哪几个方面
    not_covered:
      - 单位公章由谁保管
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from officebot.retrieval.files import write_atomic
from officebot.retrieval.knowledge import FAST_LOADER, KnowledgeError

FILE_NAME = "annotations.yaml"
MAX_QUESTION_CHARS = 500
HEADER = "# 问题与讲话段落的关联：由 /review 或 office-bot review 维护，也可手工编辑（doc 为讲话 id，paragraph 为段落号）。\n"

_lock = threading.Lock()


class AnnotationsError(KnowledgeError):
    """annotations.yaml cannot be read or written (the message names the file and line), or a
    binding is refused (no file involved). A KnowledgeError, so that a library reading reports a
    malformed file with the other problems of the knowledge."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        if path is None:
            Exception.__init__(self, message)
            self.path, self.line, self.message = "", None, message
        else:
            super().__init__(path, message, line)


@dataclass
class Annotations:
    """Bound questions by paragraph, and questions marked as not covered by the speeches."""

    bound: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    not_covered: list[str] = field(default_factory=list)

    def binding(self, question: str) -> tuple[str, int] | None:
        """The paragraph a question (in any spacing or punctuation) is bound to, if any."""
        key = normalize(question)
        for where, questions in self.bound.items():
            if any(normalize(q) == key for q in questions):
                return where
        return None

    def is_not_covered(self, question: str) -> bool:
        key = normalize(question)
        return any(normalize(q) == key for q in self.not_covered)

    def handled(self) -> set[str]:
        """Normalized questions already dealt with (bound or marked), to leave out of review."""
        return {normalize(q) for qs in self.bound.values() for q in qs} | {normalize(q) for q in self.not_covered}


def normalize(question: str) -> str:
    """Width, case, spaces and punctuation folded: one question however it was typed."""
    folded = unicodedata.normalize("NFKC", question).lower()
    return re.sub(r"[\W_]+", "", folded)


def path_of(library_dir: str | Path) -> Path:
    return Path(library_dir).expanduser() / FILE_NAME


# ---- reading ---------------------------------------------------------------------------------

def read_annotations(library_dir: str | Path) -> Annotations:
    """The annotations of a library directory; empty if there is no file yet."""
    path = path_of(library_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Annotations()
    except (OSError, UnicodeDecodeError) as exc:
        raise AnnotationsError(f"读不了（{exc.__class__.__name__}）", path) from None
    return parse(text, str(path))


def load_annotations(library_dir: str | Path) -> dict[tuple[str, int], list[str]]:
    """(doc_id, paragraph) -> the questions bound to it: what `Corpus.annotations` takes."""
    return {where: list(qs) for where, qs in read_annotations(library_dir).bound.items()}


def parse(text: str, where: str = FILE_NAME) -> Annotations:
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise AnnotationsError(f"YAML 格式错误：{exc.problem}", where, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise AnnotationsError(f"YAML 格式错误：{exc}", where) from None
    result = Annotations()
    if root is None:
        return result
    if not isinstance(root, yaml.MappingNode):
        raise AnnotationsError("应为含 bound、not_covered 的映射", where, root.start_mark.line + 1)
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        key = key_node.value
        if key == "bound":
            for item in _sequence(value_node, where, "bound"):
                doc, paragraph, questions = _binding(item, where)
                bucket = result.bound.setdefault((doc, paragraph), [])
                bucket.extend(q for q in questions if normalize(q) not in {normalize(b) for b in bucket})
        elif key == "not_covered":
            for item in _sequence(value_node, where, "not_covered"):
                result.not_covered.append(_question(item, where))
        else:
            raise AnnotationsError(f"未知字段“{key}”（可用：bound、not_covered）", where, line)
    return result


def _sequence(node: yaml.Node, where: str, name: str) -> list[yaml.Node]:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise AnnotationsError(f"{name} 应为列表", where, node.start_mark.line + 1)
    return node.value


def _binding(node: yaml.Node, where: str) -> tuple[str, int, list[str]]:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise AnnotationsError("bound 的每项应含 doc、paragraph、questions", where, line)
    fields = {k.value: v for k, v in node.value}
    unknown = set(fields) - {"doc", "paragraph", "questions"}
    if unknown:
        raise AnnotationsError(f"未知字段：{', '.join(sorted(unknown))}", where, line)
    doc = fields.get("doc")
    if not isinstance(doc, yaml.ScalarNode) or not doc.value.strip():
        raise AnnotationsError("doc（讲话 id）不能为空", where, line)
    paragraph = fields.get("paragraph")
    if not isinstance(paragraph, yaml.ScalarNode) or not re.fullmatch(r"[1-9]\d{0,5}", paragraph.value.strip()):
        raise AnnotationsError("paragraph 应为正整数（段落号）", where, line)
    questions = fields.get("questions")
    if questions is None:
        raise AnnotationsError("questions（问题列表）不能为空", where, line)
    return doc.value.strip(), int(paragraph.value), [_question(q, where) for q in _sequence(questions, where, "questions")]


def _question(node: yaml.Node, where: str) -> str:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise AnnotationsError("问题应为非空文字", where, line)
    text = str(node.value).strip()
    if len(text) > MAX_QUESTION_CHARS:
        raise AnnotationsError(f"问题太长（{len(text)} 字，最多 {MAX_QUESTION_CHARS} 字）", where, line)
    return text


# ---- writing ---------------------------------------------------------------------------------

def dump(annotations: Annotations) -> str:
    """The annotations as YAML (what the file holds, and what export gives)."""
    data: dict = {
        "bound": [
            {"doc": doc, "paragraph": paragraph, "questions": list(questions)}
            for (doc, paragraph), questions in sorted(annotations.bound.items())
            if questions
        ],
        "not_covered": list(annotations.not_covered),
    }
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def export_yaml(library_dir: str | Path) -> str:
    return dump(read_annotations(library_dir))


@contextlib.contextmanager
def _editing(library_dir: str | Path) -> Iterator[Annotations]:
    """Read, let the caller change, write back atomically; one writer at a time (threads and,
    where the system has it, processes: the bot and `office-bot review` may run together)."""
    directory = Path(library_dir).expanduser()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnnotationsError(f"无法创建资料库目录（{exc.strerror or exc}）", directory) from None
    with _lock, _file_lock(directory):
        annotations = read_annotations(directory)
        yield annotations
        _write_atomically(path_of(directory), dump(annotations))


@contextlib.contextmanager
def _file_lock(directory: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not on this system: the thread lock is all there is
        yield
        return
    with open(directory / (FILE_NAME + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))
    with contextlib.suppress(OSError):  # the rename itself survives a power cut once the directory is synced
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _clean(question: str) -> str:
    text = " ".join((question or "").split())
    if not normalize(text):
        raise AnnotationsError("问题不能为空")
    if len(text) > MAX_QUESTION_CHARS:
        raise AnnotationsError(f"问题太长（{len(text)} 字，最多 {MAX_QUESTION_CHARS} 字）")
    return text


def _forget(annotations: Annotations, key: str) -> bool:
    """Remove a question from every binding and from not-covered; True if it was anywhere."""
    found = False
    for where in list(annotations.bound):
        kept = [q for q in annotations.bound[where] if normalize(q) != key]
        found |= len(kept) != len(annotations.bound[where])
        if kept:
            annotations.bound[where] = kept
        else:
            del annotations.bound[where]
    kept = [q for q in annotations.not_covered if normalize(q) != key]
    found |= len(kept) != len(annotations.not_covered)
    annotations.not_covered = kept
    return found


def bind(library_dir: str | Path, question: str, doc_id: str, paragraph: int) -> bool:
    """Bind the question to a paragraph (moving it from any other binding or from not-covered).
    False if it was bound there already."""
    text = _clean(question)
    if not doc_id or not isinstance(paragraph, int) or paragraph < 1:
        raise AnnotationsError("需要讲话 id 和正整数段落号")
    key = normalize(text)
    with _editing(library_dir) as annotations:
        if annotations.binding(text) == (doc_id, paragraph):
            return False
        _forget(annotations, key)
        annotations.bound.setdefault((doc_id, paragraph), []).append(text)
        return True


def mark_not_covered(library_dir: str | Path, question: str) -> bool:
    """Mark the question as one the speeches do not answer (undoing any binding). False if it was
    marked already."""
    text = _clean(question)
    with _editing(library_dir) as annotations:
        if annotations.is_not_covered(text):
            return False
        _forget(annotations, normalize(text))
        annotations.not_covered.append(text)
        return True


def unbind(library_dir: str | Path, question: str) -> bool:
    """Forget whatever was decided about the question (binding or not-covered); it can come back
    to the review list. False if nothing was recorded."""
    text = _clean(question)
    with _editing(library_dir) as annotations:
        return _forget(annotations, normalize(text))
