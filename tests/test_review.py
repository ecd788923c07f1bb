"""Learning from use: the review list, /review in the bot and `office-bot review`."""

from __future__ import annotations

import pytest
from conftest import ADMIN_ID
from test_bot import GROUP, OTHER, USER, buttons, press, say

from officebot.bot import review
from officebot.bot.app import services
from officebot.bot.history import History, candidates, library_dir
from officebot.bot.store import Store
from officebot.cli import main
from officebot.library.annotations import Annotations, load_annotations, mark_not_covered, read_annotations

SEAL = "单位公章由谁保管"  # not covered by the speeches
OBEY = "服从哪几个方面"


@pytest.fixture
def store(data_dir):
    s = Store.open(data_dir)
    yield s
    s.close()


def log(store: Store, question: str, answered: bool, passage: int | None = None, user: int = USER) -> int:
    return store.log_question(question, answered=answered, chat_id=user, user_id=user, source="private", passage=passage)


def items(data_dir, annotations=None):
    reader = History.of_data_dir(data_dir)
    try:
        return reader.review_items(annotations or read_annotations(library_dir(data_dir)))
    finally:
        reader.close()


def test_unanswered_and_disliked_questions_most_frequent_first(store, data_dir):
    for _ in range(3):
        log(store, SEAL, False)
    log(store, "单位公章由谁保管？", False)  # the same question
    disliked = log(store, OBEY, True, passage=10)
    store.record_feedback(disliked, 10, USER, -1)
    store.record_feedback(disliked, 10, OTHER, -1)
    log(store, "信息报送时限是多少", True, passage=18)  # answered, no complaint: not for review
    log(store, "话题", False)
    store.log_question("某个话题", answered=False, source="topic")  # topic buttons are not questions
    listed = items(data_dir)
    assert [i.question for i in listed] == ["单位公章由谁保管？", OBEY, "话题"]
    assert (listed[0].asked, listed[0].unanswered) == (4, 4) and listed[1].disliked == 2


def test_a_like_below_the_first_answer_is_a_suggestion_after_the_rest(store, data_dir):
    liked = log(store, "对谁忠诚", True, passage=8)
    store.record_feedback(liked, 9, OTHER, 1)  # 👍 on a passage of a 更多 page
    top = log(store, "信息报送时限是多少", True, passage=18)
    store.record_feedback(top, 18, OTHER, 1)  # 👍 on the first answer: nothing to learn
    log(store, SEAL, False)
    listed = items(data_dir)
    assert [i.question for i in listed] == [SEAL, "对谁忠诚"]
    assert listed[1].suggestion and listed[1].liked_passages == [9]


def test_decided_questions_leave_the_list(store, data_dir):
    log(store, SEAL, False)
    log(store, OBEY, False)
    mark_not_covered(library_dir(data_dir), "单位公章由谁保管？")
    assert [i.question for i in items(data_dir)] == [OBEY]
    assert items(data_dir, Annotations(bound={("d", 1): [OBEY]}, not_covered=[SEAL])) == []


def test_no_database_yet_is_an_empty_list(data_dir):
    assert items(data_dir) == []


def test_candidates_put_the_liked_passage_first(kb, store, data_dir):
    qid = log(store, "对谁忠诚", True, passage=8)
    store.record_feedback(qid, 40, OTHER, 1)
    (item,) = items(data_dir)
    found = candidates(kb, item, 3)
    assert found[0].id == 40 and len(found) == 3
    assert len({(p.doc_id, p.paragraph) for p in found}) == 3


# ---- the terminal -------------------------------------------------------------------------------

def test_cli_lists_binds_marks_and_exports(store, data_dir, capsys, tmp_path):
    log(store, OBEY, False)
    log(store, SEAL, False)
    log(store, SEAL, False)
    assert main(["review", "--list"]) == 0
    out = capsys.readouterr().out
    assert out.index(SEAL) < out.index(OBEY) and "#" in out
    passage = int(out.split(OBEY, 1)[1].split("#", 1)[1].split()[0])

    assert main(["review", "--bind", OBEY, "--passage", str(passage)]) == 0
    assert main(["review", "--not-covered", SEAL]) == 0
    capsys.readouterr()
    library = library_dir(data_dir)
    assert [qs for qs in load_annotations(library).values()] == [[OBEY]]
    assert main(["review", "--list"]) == 0 and "没有待处理" in capsys.readouterr().out

    target = tmp_path / "export.yaml"
    assert main(["review", "--export", str(target)]) == 0
    assert OBEY in target.read_text(encoding="utf-8") and SEAL in target.read_text(encoding="utf-8")
    assert main(["review", "--unbind", OBEY]) == 0
    assert load_annotations(library) == {}


def test_cli_binds_by_doc_and_paragraph_and_refuses_unknown_ones(data_dir, capsys):
    assert main(["review", "--bind", OBEY, "--doc", "district-office-directors", "--paragraph", "8"]) == 0
    assert load_annotations(library_dir(data_dir)) == {("district-office-directors", 8): [OBEY]}
    assert main(["review", "--bind", OBEY, "--doc", "nosuch", "--paragraph", "8"]) == 1
    assert main(["review", "--bind", OBEY]) == 2
    assert main(["review", "--bind", OBEY, "--passage", "999999"]) == 1
    assert "没有编号" in capsys.readouterr().err
    assert main(["review", "--not-covered", "  "]) == 1


def test_cli_interactive(store, data_dir, monkeypatch, capsys):
    log(store, SEAL, False)
    log(store, SEAL, False)
    log(store, OBEY, False)
    answers = iter(["n", "x", "1"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["review"]) == 0
    annotations = read_annotations(library_dir(data_dir))
    assert annotations.not_covered == [SEAL] and annotations.binding(OBEY) is not None
    assert "请输入" in capsys.readouterr().out


# ---- the bot ------------------------------------------------------------------------------------



async def test_review_is_for_admins_in_private(bot, people):
    _, call = await say(people, USER, USER, "/review")
    assert call.result["text"] == review.ADMINS_ONLY
    _, call = await say(people, GROUP, ADMIN_ID, "/review")
    assert call.result["text"] == review.PRIVATE_ONLY
    _, call = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    assert review.NOTHING in call.result["text"]
    assert any(c.name == "review" for c in services(bot).commands)


async def test_admin_binds_a_question_and_marks_another(bot, people, data_dir):
    for _ in range(2):
        await say(people, USER, USER, SEAL)
    _, disliked = await say(people, USER, USER, "服从什么")
    await press(people, disliked.result, next(d for t, d in buttons(disliked.result).items() if t.startswith("👎")), USER)

    _, call = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    message = call.result
    assert SEAL in message["text"] and "1/2" in message["text"] and "问过 2 次" in message["text"]
    keys = buttons(message)
    assert {"关联 1", "讲话未涉及", "跳过 »"} <= set(keys) and all(len(d.encode()) <= 64 for d in keys.values())

    mark = people.mark()
    await press(people, message, keys["讲话未涉及"], ADMIN_ID)
    edit = (await people.async_wait_for("editMessageText", since=mark)).result
    assert "已标记为讲话未涉及" in edit["text"] and "服从什么" in edit["text"] and "1/1" in edit["text"]

    mark = people.mark()
    await press(people, edit, buttons(edit)["关联 2"], ADMIN_ID)
    done = (await people.async_wait_for("editMessageText", since=mark)).result
    assert "已关联" in done["text"] and review.NOTHING in done["text"]
    assert review.NOT_RELOADED in done["text"]  # a plain KnowledgeBase cannot reload: the admin is told
    annotations = read_annotations(library_dir(data_dir))
    assert annotations.not_covered == [SEAL]
    ((where, questions),) = annotations.bound.items()
    assert questions == ["服从什么"] and where[0] == "district-office-directors"


async def test_a_like_through_more_is_offered_never_applied(bot, people, data_dir):
    _, call = await say(people, USER, USER, "信息报送时限是多少")
    mark, _ = await press(people, call.result, buttons(call.result)["更多 »"], USER)
    page = (await people.async_wait_for("editMessageText", since=mark)).result
    await press(people, page, next(d for t, d in buttons(page).items() if t.startswith("👍")), USER)
    assert read_annotations(library_dir(data_dir)).bound == {}  # nothing applied by itself

    _, offer = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    assert "建议" in offer.result["text"] and "信息报送时限是多少" in offer.result["text"]
    liked = int(next(d for t, d in buttons(page).items() if t.startswith("👍")).split(":")[2])
    assert buttons(offer.result)["关联 1"].split(":")[3] == str(liked)  # the liked passage comes first


async def test_stale_review_buttons_get_a_toast(bot, people):
    _, call = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    for data in ("rv:b:99999:1", "rv:n:99999", "rv:x:1", "rv:b:abc:1", "rv:"):
        _, answer = await press(people, call.result, data, ADMIN_ID, strict=False)
        assert answer["text"] == review.EXPIRED, data


async def test_binding_calls_the_reload_hook_when_there_is_one(bot, people):
    calls = []
    services(bot).reload_knowledge = lambda: calls.append("reload") or True  # what a live knowledge holder provides
    await say(people, USER, USER, SEAL)
    _, call = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    mark = people.mark()
    await press(people, call.result, buttons(call.result)["关联 1"], ADMIN_ID)
    edit = (await people.async_wait_for("editMessageText", since=mark)).result
    assert calls == ["reload"] and review.NOT_RELOADED not in edit["text"]


class Reloading:
    """Stands in for the library's LiveKnowledge: a KnowledgeBase with `reload`."""

    def __init__(self, kb, ok=True):
        self._kb, self.ok, self.reloads = kb, ok, 0

    def reload(self):
        self.reloads += 1
        return type("Result", (), {"ok": self.ok})()

    def __getattr__(self, name):
        return getattr(self._kb, name)


@pytest.mark.parametrize("ok", [True, False])
async def test_binding_reloads_the_live_knowledge(bot, people, ok):
    live = services(bot).kb = Reloading(services(bot).kb, ok)
    await say(people, USER, USER, SEAL)
    _, call = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    mark = people.mark()
    await press(people, call.result, buttons(call.result)["关联 1"], ADMIN_ID)
    edit = (await people.async_wait_for("editMessageText", since=mark)).result
    assert live.reloads == 1 and (review.NOT_RELOADED in edit["text"]) is (not ok)
