"""office-bot command line.

    office-bot ask "信息报送时限是多少"          a readable answer
    office-bot ask --json "问题"                 one JSON object
    office-bot ask --jsonl < questions.txt       one JSON object per input line (blank lines too); a line
                                                 may be plain text or JSON ("…" or {"q": "…", "id": …})
    office-bot eval [FILE]                       hit@1, hit@3, MRR, abstention on a question set
    office-bot ingest FILE|FOLDER… [--title … --date … --replace ID]   add speeches to the library
    office-bot remove ID                         take a speech out (a shipped one is hidden)
    office-bot sources                           every speech with its id
    office-bot tips --draft                      draft tips mined from the speeches
    office-bot quiz --sample N [--seed S]        print quizzes for review
    office-bot review [--list | --bind Q …]      bind unanswered questions to passages (see review_cli.py)
    office-bot run [--webhook]                   start the Telegram bot
    office-bot check                             knowledge loads, data directory writable
    office-bot --version

The knowledge is the shipped one (read-only, inside the package) with the library in the data
directory layered over it: $OFFICE_BOT_DATA/library, or --data DIR (default ./data). Nothing is
ever written into the installed package. --knowledge DIR serves (and ingests into) one standalone
knowledge directory instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_USAGE = 2
INGEST_SUFFIXES = {".txt", ".text", ".html", ".htm", ".mhtml", ".xhtml", ".shtml", ".docx", ".pdf", ".doc", ".wps"}


def _knowledge_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", metavar="DIR", help="只用这一个独立的知识库目录（默认：安装自带的知识库加上数据目录里的资料库）"
    )
    parser.add_argument("--data", metavar="DIR", help="数据目录，资料库在其中的 library/（默认：$OFFICE_BOT_DATA 或 ./data）")


def _layers(args: argparse.Namespace):
    from officebot.library.layers import Layers

    if args.knowledge:
        return Layers.standalone(args.knowledge)
    return Layers.default(args.data)


def _load_kb(args: argparse.Namespace):
    from officebot.library.layers import read_knowledge
    from officebot.retrieval import KnowledgeBase

    if args.knowledge:
        return KnowledgeBase.load(args.knowledge)
    layers = _layers(args)  # shipped + the data directory's library; the index kept in its cache/
    return KnowledgeBase.build(read_knowledge(layers, with_tips=False).corpus, cache_dir=layers.cache)


def _top_k(args: argparse.Namespace) -> bool:
    if args.top_k < 1:
        print(f"--top-k 应为正整数（至少 1），收到：{args.top_k}", file=sys.stderr)
        return False
    return True


def ask_command(args: argparse.Namespace) -> int:
    from officebot.retrieval.format import format_answer
    from officebot.retrieval.types import Answer

    if not _top_k(args):
        return EXIT_USAGE
    if args.jsonl:
        kb = _load_kb(args)
        out = sys.stdout
        for number, raw in enumerate(sys.stdin.buffer, 1):  # line by line: answers stream out as they come
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                print(
                    f"标准输入第 {number} 行不是 UTF-8 编码：请先转换，例如 "
                    "iconv -f GBK -t UTF-8 问题.txt | office-bot ask --jsonl",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            question, ident = _jsonl_question(line.strip())
            answer = kb.search(question, k=args.top_k) if question else Answer(query="", answered=False)
            record = answer.to_dict()
            if ident is not None:
                record = {"id": ident, **record}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        return 0
    question = " ".join(args.question).strip()
    if not question:
        print("请在命令后写上问题，例如：office-bot ask \"信息报送时限是多少\"", file=sys.stderr)
        return EXIT_USAGE
    kb = _load_kb(args)
    answer = kb.search(question, k=args.top_k)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


QUESTION_KEYS = ("q", "question", "query", "text")


def _jsonl_question(line: str) -> tuple[str, object]:
    """The question of an input line of `ask --jsonl`, and its id if it has one: plain text, or a
    JSON string, or a JSON object with the question under q/question/query/text (its `id`, if
    any, is given back with the answer)."""
    if line[:1] in ('{', '"'):
        try:
            value = json.loads(line)
        except ValueError:
            return line, None
        if isinstance(value, str):
            return value.strip(), None
        if isinstance(value, dict):
            for key in QUESTION_KEYS:
                if isinstance(value.get(key), str):
                    return value[key].strip(), value.get("id")
    return line, None


def _default_questions() -> Path | None:
    """tests/questions.yaml of the project: in the working directory, else beside the sources."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[2]):
        path = root / "tests" / "questions.yaml"
        if path.is_file():
            return path
    return None


def eval_command(args: argparse.Namespace) -> int:
    from officebot.retrieval.evaluate import evaluate, load_questions

    if not _top_k(args):
        return EXIT_USAGE
    path = Path(args.file) if args.file else _default_questions()
    if path is None:
        print(
            "找不到问题集：请指定文件，例如在项目源码目录里运行 office-bot eval tests/questions.yaml"
            "（问题集是 YAML：questions: - {q: 问题, kind: direct, answer: [原文片段]}）",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not path.is_file():
        print(f"找不到问题集：{path}（请指定文件：office-bot eval FILE）", file=sys.stderr)
        return EXIT_USAGE
    kb = _load_kb(args)
    report = evaluate(kb, load_questions(path), k=args.top_k)
    summary = report.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"问题集：{path}")
        for key, value in summary.items():
            print(f"{key:>20}: {value:.3f}" if isinstance(value, float) else f"{key:>20}: {value}")
    if args.verbose:
        for o in report.outcomes:
            q = o.question
            bad = (q.kind == "unanswerable" and o.answered) or (q.kind != "unanswerable" and (o.rank != 1 or not o.answered))
            if bad:
                kind = q.kind + {True: " near", False: " off", None: ""}[q.near]
                print(f"  [{kind}] rank={o.rank} answered={o.answered} line={q.line}: {q.q}")
    return 0


def _ingest_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """The files to ingest: files as given, folders searched (recursively) for speech files."""
    files: list[Path] = []
    missing: list[str] = []
    for name in paths:
        path = Path(name).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INGEST_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                missing.append(f"{path}：文件夹里没有可导入的文件（.txt、.html、.docx、.pdf）")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{path}：文件不存在")
    return files, missing


def print_report(report, dry_run: bool = False, out=sys.stdout) -> None:
    s = report.speech
    verb = "检查通过（--dry-run，未写入）" if dry_run else ("已替换" if report.replaces else "已导入")
    print(f"{verb}：《{s.title}》", file=out)
    print(f"  编号：{s.id}    日期: {s.date or '（未知，可用 --date 指定）'}    讲话人: {s.speaker or '（未注明）'}", file=out)
    print(f"  段落 {report.paragraphs} 个，标题 {len(report.headings)} 个，检索片段 {report.passages} 个", file=out)
    for level, label in report.headings:
        print("    " + "  " * level + label, file=out)
    if report.dropped:
        print(f"  已去除标题行和网页杂项 {len(report.dropped)} 处：", file=out)
        for d in report.dropped[:10]:
            print("    - " + (d if len(d) <= 40 else d[:40] + "…"), file=out)
    for warning in report.warnings:
        print(f"  注意：{warning}", file=out)
    for path in report.written:
        print(f"  写入 {path}", file=out)


def ingest_command(args: argparse.Namespace) -> int:
    from officebot.library.ingest import IngestError, check_date, ingest_file
    from officebot.library.layers import LibraryError, Source, read_sources

    files, missing = _ingest_files(args.files)
    single = {"--title": args.title, "--date": args.date, "--id": args.id, "--replace": args.replace}
    given = [name for name, value in single.items() if value]
    if len(files) + len(missing) > 1 and given:
        print(f"{'、'.join(given)} 只能用于一个文件（现在有 {len(files) + len(missing)} 个）", file=sys.stderr)
        return EXIT_USAGE
    try:
        check_date(args.date)
    except IngestError as exc:
        print(f"未导入：{exc}", file=sys.stderr)
        return EXIT_USAGE
    for problem in missing:
        print(f"未导入：{problem}", file=sys.stderr)
    layers = _layers(args)
    try:
        if not args.dry_run:
            layers.check_writable()
        sources = read_sources(layers)
    except LibraryError as exc:
        print(f"未导入：{exc}", file=sys.stderr)
        return 1
    failed = len(missing)
    done = 0
    progress = None
    if len(files) > 1:
        from tqdm import tqdm

        progress = tqdm(total=len(files), unit="篇", desc="导入", file=sys.stderr, leave=True)
    for path in files:
        try:
            report = ingest_file(
                path, layers, dry_run=args.dry_run, sources=sources, title=args.title, date=args.date,
                speech_id=args.id, speaker=args.speaker, occasion=args.occasion, origin=args.origin,
                replace=args.replace,
            )
        except IngestError as exc:
            failed += 1
            if progress:
                progress.write(f"未导入：{exc}", file=sys.stderr)
            else:
                print(f"未导入：{exc}", file=sys.stderr)
        else:
            done += 1
            sources = [s for s in sources if s.speech.id != report.speech.id]
            from officebot.library.layers import LIBRARY_LAYER, fingerprint

            sources.append(Source(report.speech, LIBRARY_LAYER, fingerprint(report.lines)))
            if progress:
                import io

                buffer = io.StringIO()
                print_report(report, args.dry_run, buffer)
                progress.write(buffer.getvalue().rstrip())
            else:
                print_report(report, args.dry_run)
        if progress:
            progress.update(1)
    if progress:
        progress.close()
    if len(files) + len(missing) > 1:
        print(f"共 {len(files) + len(missing)} 个文件：{'检查通过' if args.dry_run else '导入'} {done} 篇，未导入 {failed} 个")
    if done and not args.dry_run and not args.knowledge:
        print(f"资料库：{layers.library}（机器人里发 /reload 或重启后生效）")
    return 1 if failed else 0


def remove_command(args: argparse.Namespace) -> int:
    from officebot.library.layers import Library, LibraryError

    try:
        change = Library(_layers(args)).remove_speech(args.id)
    except LibraryError as exc:
        print(f"未删除：{exc}", file=sys.stderr)
        return 1
    print(change.message)
    return 0


def sources_command(args: argparse.Namespace) -> int:
    from officebot.library.layers import SHIPPED, read_sources

    layers = _layers(args)
    sources = read_sources(layers)
    if args.json:
        print(json.dumps([
            {"id": s.speech.id, "title": s.speech.title, "date": s.speech.date, "layer": s.layer} for s in sources
        ], ensure_ascii=False))
        return 0
    if not sources:
        print("知识库里还没有讲话：用 office-bot ingest 文件 导入")
        return 0
    for s in sources:
        mark = "  [自带]" if s.layer == SHIPPED else ""
        print(f"编号：{s.speech.id}  {s.speech.date or '日期未注明'}  《{s.speech.title}》{mark}")
    shipped = sum(s.layer == SHIPPED for s in sources)
    where = "" if args.knowledge else f"；资料库：{layers.library}"
    print(f"共 {len(sources)} 篇（安装自带 {shipped} 篇，资料库 {len(sources) - shipped} 篇）{where}")
    return 0


def check_command(args: argparse.Namespace) -> int:
    """What a container's HEALTHCHECK runs: the knowledge loads and the data directory is writable."""
    import os
    import tempfile

    from officebot.library.layers import data_dir, read_sources

    sources = read_sources(_layers(args))
    directory = Path(args.data).expanduser() if args.data else data_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=directory, prefix=".check-")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        print(f"数据目录不可写：{directory}（{exc.strerror or exc}）", file=sys.stderr)
        return 1
    print(f"正常：{len(sources)} 篇讲话，数据目录 {directory} 可写")
    return 0


def tips_command(args: argparse.Namespace) -> int:
    from collections import Counter

    from officebot.retrieval.knowledge import default_knowledge_dir
    from officebot.training.tips import TIPS, draft_tips, dump_tips, heading_coverage, load_tips

    directory = Path(args.knowledge).expanduser() if args.knowledge else default_knowledge_dir()
    if args.draft:
        text = dump_tips(draft_tips(directory))
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"已写入初稿：{args.out}（请人工修订后再放入 {directory / TIPS}）")
        else:
            sys.stdout.write(text)
        return 0
    tips = load_tips(directory) if args.knowledge else _layered_tips(args)
    if not tips:
        print(f"没有提示：{directory / TIPS} 不存在或为空（可用 office-bot tips --draft 生成初稿）", file=sys.stderr)
        return 1
    print(f"{directory / TIPS}：{len(tips)} 条提示，检查通过")
    by_doc = Counter((t.doc_id, t.title) for t in tips)
    print("按讲话：")
    for (doc_id, title), count in by_doc.items():
        print(f"  {count:>3}  《{title}》（{doc_id}）")
    print("按类型：")
    for kind, count in Counter(t.kind for t in tips).most_common():
        print(f"  {count:>3}  {kind}")
    print("按章节：")
    missing = 0
    titles = {t.doc_id: t.title for t in tips}
    current = None
    for doc_id, path, count in heading_coverage(directory, tips):
        if doc_id != current:
            current = doc_id
            intro = sum(1 for t in tips if t.doc_id == doc_id and not t.section)
            print(f"  《{titles.get(doc_id, doc_id)}》")
            print(f"  {intro:>3}  （开篇，第一个标题之前）")
        missing += count == 0
        flag = "  ← 没有提示" if count == 0 else ""
        print(f"  {count:>3}  {'  ' * (len(path) - 1)}{path[-1]}{flag}")
    if missing:
        print(f"有 {missing} 个章节还没有提示")
    return 0


def _layered_tips(args: argparse.Namespace) -> list:
    from officebot.library.layers import read_knowledge

    return read_knowledge(_layers(args)).tips


def quiz_command(args: argparse.Namespace) -> int:
    from officebot.retrieval.knowledge import default_knowledge_dir
    from officebot.training.quiz import make_quizzes
    from officebot.training.tips import TIPS, load_tips

    directory = Path(args.knowledge).expanduser() if args.knowledge else default_knowledge_dir()
    tips = load_tips(directory) if args.knowledge else _layered_tips(args)
    if not tips:
        print(f"没有提示：{directory / TIPS} 不存在或为空", file=sys.stderr)
        return 1
    if args.sample < 1:
        print("--sample 应为正整数", file=sys.stderr)
        return EXIT_USAGE
    for number, quiz in enumerate(make_quizzes(tips, args.sample, args.seed), 1):
        print(f"{number}. [{quiz.tip_id}] {quiz.question}")
        for i, option in enumerate(quiz.options):
            mark = "✓" if i == quiz.correct else " "
            print(f"   {mark} {'ABCD'[i]}. {option}")
        print(f"   解析：{quiz.explanation}")
        print()
    return 0


def run_command(args: argparse.Namespace) -> int:
    from officebot.bot.app import main as run_bot

    return run_bot(webhook=args.webhook, knowledge=args.knowledge, settings_file=args.settings)


def build_parser() -> argparse.ArgumentParser:
    from officebot import __version__

    parser = argparse.ArgumentParser(prog="office-bot", description="办公室工作问答机器人")
    parser.add_argument("--version", action="version", version=f"office-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", help="问一个问题")
    ask.add_argument("question", nargs="*", help="问题")
    mode = ask.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    mode.add_argument("--jsonl", action="store_true", help="从标准输入逐行读问题（纯文本，或 JSON：\"问题\" 或 {\"q\": \"问题\", \"id\": …}），逐行输出 JSON")
    ask.add_argument("--top-k", type=int, default=3, metavar="N", help="返回的段落数（默认 3）")
    _knowledge_arg(ask)
    ask.set_defaults(func=ask_command)

    ev = sub.add_parser("eval", help="在问题集上评测检索效果")
    ev.add_argument("file", nargs="?", help="问题集 YAML（默认：当前目录或源码目录下的 tests/questions.yaml）")
    ev.add_argument("--top-k", type=int, default=5, metavar="N")
    ev.add_argument("--json", action="store_true", help="输出 JSON")
    ev.add_argument("-v", "--verbose", action="store_true", help="列出未命中的问题")
    _knowledge_arg(ev)
    ev.set_defaults(func=eval_command)

    ing = sub.add_parser("ingest", help="导入讲话到资料库（.txt、网页 .html、.docx、.pdf；可多个文件或文件夹）")
    ing.add_argument("files", nargs="+", metavar="FILE", help="讲话文件或文件夹")
    ing.add_argument("--title", help="标题（默认从文件中识别）")
    ing.add_argument("--date", help="日期 YYYY-MM-DD（或 YYYY、YYYY-MM）")
    ing.add_argument("--id", help="讲话编号（默认自动生成）")
    ing.add_argument("--replace", metavar="ID", help="重新导入编号为 ID 的讲话（修正标题、日期或正文），编号不变")
    ing.add_argument("--speaker", help="讲话人")
    ing.add_argument("--occasion", help="场合")
    ing.add_argument("--origin", help="出处")
    ing.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    _knowledge_arg(ing)
    ing.set_defaults(func=ingest_command)

    rm = sub.add_parser("remove", help="从知识库删除一篇讲话（安装自带的讲话会被隐藏）")
    rm.add_argument("id", metavar="ID", help="讲话编号（office-bot sources 可查看）")
    _knowledge_arg(rm)
    rm.set_defaults(func=remove_command)

    src = sub.add_parser("sources", help="列出知识库里的全部讲话和编号")
    src.add_argument("--json", action="store_true", help="输出 JSON")
    _knowledge_arg(src)
    src.set_defaults(func=sources_command)

    chk = sub.add_parser("check", help="自检：知识库能读、数据目录可写（容器的 HEALTHCHECK 用它）")
    _knowledge_arg(chk)
    chk.set_defaults(func=check_command)

    tips = sub.add_parser("tips", help="校验每日提示并统计；--draft 从讲话中挖掘提示初稿")
    tips.add_argument("--draft", action="store_true", help="输出从讲话结构中挖掘的提示初稿（YAML）")
    tips.add_argument("--out", metavar="FILE", help="把初稿写入文件（默认输出到屏幕）")
    _knowledge_arg(tips)
    tips.set_defaults(func=tips_command)

    quiz = sub.add_parser("quiz", help="生成选择题样例供审阅")
    quiz.add_argument("--sample", type=int, default=10, metavar="N", help="题目数量（默认 10）")
    quiz.add_argument("--seed", default="0", metavar="S", help="随机种子：同一种子生成同样的题目（默认 0）")
    _knowledge_arg(quiz)
    quiz.set_defaults(func=quiz_command)

    from officebot import review_cli

    review_cli.add_parser(sub)

    run = sub.add_parser("run", help="启动 Telegram 机器人")
    run.add_argument("--webhook", action="store_true", help="以 webhook 方式运行（默认长轮询）")
    run.add_argument("--settings", metavar="FILE", help="YAML 设置文件（也可用 $OFFICE_BOT_SETTINGS）")
    _knowledge_arg(run)
    run.set_defaults(func=run_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from officebot.retrieval.knowledge import KnowledgeError

    try:
        return args.func(args) or 0
    except KnowledgeError as exc:
        problems = exc.problems
        if len(problems) == 1:
            print(f"知识库有错误：{exc}", file=sys.stderr)
        else:
            print(f"知识库有 {len(problems)} 处错误：", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
