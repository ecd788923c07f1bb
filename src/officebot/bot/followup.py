"""Follow-up questions in the bot: which earlier question a new one may lean on.

- A reply (private or group) to one of the bot's answers leans on that answer's question; the
  answer's buttons carry its question id ("fb:1234:…"), so nothing more needs storing.
- In a private chat, a question within `followup_window` seconds (setting OFFICE_BOT_FOLLOWUP,
  default 300) of the user's previous one leans on it.

Whether it does lean on it, and how the two are read together, is `retrieval.followup`'s call: a
question with a topic of its own starts fresh. The query returned is what gets searched and logged,
so 更多 and a further follow-up work on the question as it was understood.
"""

from __future__ import annotations

import logging
import math

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from officebot.bot.core import services
from officebot.bot.history import History, seconds_since
from officebot.retrieval.followup import followup_query

logger = logging.getLogger(__name__)

HISTORY = "officebot.history"  # key of the History reader in bot_data
_ANSWER_ACTIONS = ("fb", "more", "ctx")  # buttons under an answer that carry its question id


def history(context: ContextTypes.DEFAULT_TYPE) -> History:
    reader = context.bot_data.get(HISTORY)
    if reader is None:
        reader = context.bot_data[HISTORY] = History(services(context).store.path)
    return reader


def answered_question_id(message: Message | None) -> int | None:
    """The question id an answer message was sent for, read from its buttons."""
    markup = message.reply_markup if message else None
    for row in (markup.inline_keyboard if markup else ()):
        for button in row:
            data = button.callback_data if isinstance(button.callback_data, str) else ""
            action, _, rest = data.partition(":")
            number = rest.split(":", 1)[0]
            if action in _ANSWER_ACTIONS and number.isdigit():
                return int(number)
    return None


def resolve_followup(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> str:
    """The query to search for the question: itself, or read together with the one it follows."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None:
        return question
    try:
        parent = message.reply_to_message
        if parent is not None and parent.from_user is not None and parent.from_user.id == context.bot.id:
            question_id = answered_question_id(parent)
            asked = history(context).asked(question_id) if question_id is not None else None
            if asked is None:
                return question
            return followup_query(asked.question, question, services(context).kb.tokenizer, 0.0, math.inf)
        window = services(context).settings.followup_window
        if chat.type != ChatType.PRIVATE or user is None or window <= 0:
            return question
        asked = history(context).last_question(chat.id, user.id)
        if asked is None:
            return question
        return followup_query(
            asked.question, question, services(context).kb.tokenizer, seconds_since(asked.ts), float(window)
        )
    except Exception:  # the question is still answered as it stands
        logger.exception("could not read the previous question")
        return question
