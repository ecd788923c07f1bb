"""Retrieval core of office-bot: speeches in, cited passages out. No Telegram here."""

from .knowledge import KnowledgeError
from .search import KnowledgeBase, Settings
from .types import Answer, Hit, Passage, Speech

__all__ = ["Answer", "Hit", "KnowledgeBase", "KnowledgeError", "Passage", "Settings", "Speech"]
