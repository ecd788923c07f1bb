"""Retrieval core of office-bot: speeches in, cited passages out. No Telegram here."""

from .knowledge import KnowledgeError
from .search import KnowledgeBase, Settings
from .types import Answer, Corpus, Hit, Passage, Speech, SpeechText

__all__ = ["Answer", "Corpus", "Hit", "KnowledgeBase", "KnowledgeError", "Passage", "Settings", "Speech", "SpeechText"]
