"""office-bot command line.

    office-bot ask "信息报送时限是多少"          a readable answer
    office-bot ask --json "问题"                 one JSON object
    office-bot ask --jsonl < questions.txt       one JSON object per input line
    office-bot eval [FILE]                       hit@1, hit@3, MRR, abstention on a question set
    office-bot ingest FILE [--title … --date …]  add a speech to the knowledge base
    office-bot tips --draft                      draft tips mined from the speeches
    office-bot quiz --sample N [--seed S]        print quizzes for review
    office-bot review [--list | --bind Q …]      bind unanswered questions to passages (see review_cli.py)
    office-bot run [--webhook]                   start the Telegram bot

Every command takes --knowledge DIR (default: $OFFICE_BOT_KNOWLEDGE or the installed knowledge).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_USAGE = 2


def _knowledge_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", metavar="DIR", help="知识库目录（默认：$OFFICE_BOT_KNOWLEDGE 或安装自带的知识库）")


def _load_kb(args: argparse.Namespace):
    from officebot.retrieval import KnowledgeBase

    return KnowledgeBase.load(args.knowledge)


def ask_command(args: argparse.Namespace) -> int:
    from officebot.retrieval.format import format_answer

    kb = _load_kb(args)
    if args.jsonl:
        out = sys.stdout
        for line in sys.stdin:
            question = line.strip()
            if not question:
                continue
            out.write(json.dumps(kb.search(question, k=args.top_k).to_dict(), ensure_ascii=False) + "\n")
            out.flush()
        return 0
    question = " ".join(args.question).strip()
    if not question:
        print("请在命令后写上问题，例如：office-bot ask \"信息报送时限是多少\"", file=sys.stderr)
        return EXIT_USAGE
    answer = kb.search(question, k=args.top_k)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def eval_command(args: argparse.Namespace) -> int:
    from officebot.retrieval.evaluate import evaluate, load_questions

    path = Path(args.file) if args.file else Path(__file__).resolve().parent.parent / "tests" / "questions.yaml"
    if not path.is_file():
        print(f"找不到问题集：{path}（请指定文件：office-bot eval FILE）", file=sys.stderr)
        return EXIT_USAGE
    kb = _load_kb(args)
    report = evaluate(kb, load_questions(path), k=args.top_k)
    summary = report.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
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


def ingest_command(args: argparse.Namespace) -> int:
    from officebot.library.ingest import IngestError, ingest_file
    from officebot.retrieval.knowledge import default_knowledge_dir

    directory = Path(args.knowledge).expanduser() if args.knowledge else default_knowledge_dir()
    try:
        report = ingest_file(
            Path(args.file), directory, title=args.title, date=args.date, speech_id=args.id,
            speaker=args.speaker, occasion=args.occasion, origin=args.origin, dry_run=args.dry_run,
        )
    except IngestError as exc:
        print(f"未导入：{exc}", file=sys.stderr)
        return 1
    s = report.speech
    print(("检查通过（--dry-run，未写入）" if args.dry_run else "已导入") + f"：《{s.title}》")
    print(f"  id: {s.id}    日期: {s.date or '（未知，可用 --date 指定）'}    讲话人: {s.speaker or '（未注明）'}")
    print(f"  段落 {report.paragraphs} 个，标题 {len(report.headings)} 个，检索片段 {report.passages} 个")
    for level, label in report.headings:
        print("    " + "  " * level + label)
    if report.dropped:
        print(f"  已去除网页杂项 {len(report.dropped)} 处：")
        for d in report.dropped:
            print("    - " + (d if len(d) <= 40 else d[:40] + "…"))
    for path in report.written:
        print(f"  写入 {path}")
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
    tips = load_tips(directory)
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


def quiz_command(args: argparse.Namespace) -> int:
    from officebot.retrieval.knowledge import default_knowledge_dir
    from officebot.training.quiz import make_quizzes
    from officebot.training.tips import TIPS, load_tips

    directory = Path(args.knowledge).expanduser() if args.knowledge else default_knowledge_dir()
    tips = load_tips(directory)
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
    parser = argparse.ArgumentParser(prog="office-bot", description="办公室工作问答机器人")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", help="问一个问题")
    ask.add_argument("question", nargs="*", help="问题")
    mode = ask.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    mode.add_argument("--jsonl", action="store_true", help="从标准输入逐行读问题，逐行输出 JSON")
    ask.add_argument("--top-k", type=int, default=3, metavar="N", help="返回的段落数（默认 3）")
    _knowledge_arg(ask)
    ask.set_defaults(func=ask_command)

    ev = sub.add_parser("eval", help="在问题集上评测检索效果")
    ev.add_argument("file", nargs="?", help="问题集 YAML（默认 tests/questions.yaml）")
    ev.add_argument("--top-k", type=int, default=5, metavar="N")
    ev.add_argument("--json", action="store_true", help="输出 JSON")
    ev.add_argument("-v", "--verbose", action="store_true", help="列出未命中的问题")
    _knowledge_arg(ev)
    ev.set_defaults(func=eval_command)

    ing = sub.add_parser("ingest", help="导入一篇讲话（.txt、网页 .html 或 .docx）")
    ing.add_argument("file")
    ing.add_argument("--title", help="标题（默认从网页中识别）")
    ing.add_argument("--date", help="日期 YYYY-MM-DD")
    ing.add_argument("--id", help="讲话 id（默认自动生成）")
    ing.add_argument("--speaker", help="讲话人")
    ing.add_argument("--occasion", help="场合")
    ing.add_argument("--origin", help="出处")
    ing.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    _knowledge_arg(ing)
    ing.set_defaults(func=ingest_command)

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
        print(f"知识库有错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
