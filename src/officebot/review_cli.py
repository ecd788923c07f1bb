"""`office-bot review`: what /review does in the bot, in the terminal.

    office-bot review                          go through the list interactively (in a terminal)
    office-bot review --list                   print the list with candidate passages (and their ids)
    office-bot review --bind "问题" --passage ID          bind to the paragraph of a listed passage
    office-bot review --bind "问题" --doc ID --paragraph N
    office-bot review --not-covered "问题"     mark a question as not covered by the speeches
    office-bot review --unbind "问题"          forget what was decided about a question
    office-bot review --export [FILE]          the annotations as YAML

The bot's data directory comes from --data, else $OFFICE_BOT_DATA, else ./data (as the bot's).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_USAGE = 2
AFTER = "（正在运行的机器人：管理员发 /reload 或重启后生效）"


def add_parser(sub) -> None:
    review = sub.add_parser("review", help="审阅未答好的问题：关联到段落或标记为讲话未涉及")
    action = review.add_mutually_exclusive_group()
    action.add_argument("--list", action="store_true", help="列出待处理的问题和候选段落")
    action.add_argument("--bind", metavar="问题", help="把问题关联到段落（配合 --passage，或 --doc 和 --paragraph）")
    action.add_argument("--not-covered", metavar="问题", help="标记为讲话未涉及")
    action.add_argument("--unbind", metavar="问题", help="撤销对这个问题的关联或标记")
    action.add_argument("--export", nargs="?", const="-", metavar="FILE", help="导出关联（YAML；默认输出到屏幕）")
    review.add_argument("--passage", type=int, metavar="ID", help="段落编号（--list 中的 #编号）")
    review.add_argument("--doc", metavar="ID", help="讲话 id")
    review.add_argument("--paragraph", type=int, metavar="N", help="段落号")
    review.add_argument("--data", metavar="DIR", help="机器人的数据目录（默认 $OFFICE_BOT_DATA 或 ./data）")
    review.add_argument("--knowledge", metavar="DIR", help="知识库目录（默认：$OFFICE_BOT_KNOWLEDGE 或安装自带的知识库）")
    review.set_defaults(func=review_command)


def review_command(args: argparse.Namespace) -> int:
    from officebot.bot.history import library_dir
    from officebot.library.annotations import AnnotationsError, export_yaml, mark_not_covered, unbind

    data = Path(args.data or os.environ.get("OFFICE_BOT_DATA", "").strip() or "data").expanduser()
    library = library_dir(data)
    try:
        if args.export:
            text = export_yaml(library)
            if args.export == "-":
                sys.stdout.write(text)
            else:
                Path(args.export).write_text(text, encoding="utf-8")
                print(f"已导出到 {args.export}")
            return 0
        if args.not_covered:
            changed = mark_not_covered(library, args.not_covered)
            print(("已标记为讲话未涉及：" if changed else "早已标记：") + args.not_covered)
            return 0
        if args.unbind:
            changed = unbind(library, args.unbind)
            print(("已撤销：" if changed else "没有关于这个问题的记录：") + args.unbind)
            return 0
        if args.bind:
            return _bind(args, library)
        return _review(args, data, library, interactive=not args.list and sys.stdin.isatty())
    except AnnotationsError as exc:
        print(f"未保存：{exc}", file=sys.stderr)
        return 1


def _kb(args: argparse.Namespace):
    from officebot.retrieval import KnowledgeBase

    return KnowledgeBase.load(args.knowledge)


def _bind(args: argparse.Namespace, library: Path) -> int:
    from officebot.bot.history import bind_to_passage
    from officebot.library.annotations import bind

    if args.passage is not None:
        passage = bind_to_passage(library, _kb(args), args.bind, args.passage)
        print(f"已关联：“{args.bind}” → 《{passage.title}》第 {passage.paragraph} 段{AFTER}")
        return 0
    if not args.doc or not args.paragraph:
        print("请用 --passage ID，或 --doc 讲话id --paragraph 段落号，指明关联到哪一段", file=sys.stderr)
        return EXIT_USAGE
    kb = _kb(args)
    if not any(p.doc_id == args.doc and p.paragraph == args.paragraph for p in kb.passages):
        print(f"知识库里没有讲话 {args.doc} 的第 {args.paragraph} 段", file=sys.stderr)
        return 1
    bind(library, args.bind, args.doc, args.paragraph)
    print(f"已关联：“{args.bind}” → {args.doc} 第 {args.paragraph} 段{AFTER}")
    return 0


def _review(args: argparse.Namespace, data: Path, library: Path, *, interactive: bool) -> int:
    from officebot.bot.history import History, bind_to_passage, candidates
    from officebot.library.annotations import mark_not_covered, read_annotations

    reader = History.of_data_dir(data)
    try:
        items = reader.review_items(read_annotations(library))
    finally:
        reader.close()
    if not items:
        print("没有待处理的问题。")
        return 0
    kb = _kb(args)
    print(f"待处理 {len(items)} 个问题（最常问的在前）：")
    for number, item in enumerate(items, 1):
        passages = candidates(kb, item, 3)
        kind = "建议" if item.suggestion else "问题"
        counts = f"问过 {item.asked} 次，未回答 {item.unanswered} 次，👎 {item.disliked}"
        print(f"\n{number}. [{kind}] {item.question}    （{counts}）")
        for i, p in enumerate(passages, 1):
            text = p.text if len(p.text) <= 80 else p.text[:80] + "…"
            print(f"   {i}) #{p.id} 《{p.title}》 {p.doc_id} 第 {p.paragraph} 段：{text}")
        if not interactive:
            continue
        while True:
            try:
                choice = input("   关联到哪一段？[1-3] / n 讲话未涉及 / 回车 跳过 / q 退出：").strip().lower()
            except EOFError:
                print()
                return 0
            if choice == "q":
                return 0
            if choice == "":
                break
            if choice == "n":
                mark_not_covered(library, item.question)
                print("   已标记为讲话未涉及")
                break
            if choice.isdigit() and 1 <= int(choice) <= len(passages):
                passage = bind_to_passage(library, kb, item.question, passages[int(choice) - 1].id)
                print(f"   已关联到《{passage.title}》第 {passage.paragraph} 段")
                break
            print("   请输入候选编号、n、q 或直接回车")
    if not interactive:
        print('\n关联：office-bot review --bind "问题" --passage 编号；讲话未涉及：office-bot review --not-covered "问题"')
    return 0
