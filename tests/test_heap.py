"""The malloc tuning of retrieval/heap.py: done once on glibc, never where turned off."""

import platform

import pytest
from officebot.retrieval import heap


def test_turned_off_by_the_environment(monkeypatch):
    monkeypatch.setattr(heap, "_done", False)
    monkeypatch.setenv("OFFICE_BOT_SYSTEM_MALLOC", "1")
    assert heap.keep_large_blocks() is False
    assert heap._done is False


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_done_once_on_glibc(monkeypatch):
    monkeypatch.setattr(heap, "_done", False)
    monkeypatch.delenv("OFFICE_BOT_SYSTEM_MALLOC", raising=False)
    assert heap.keep_large_blocks() is True
    assert heap._done is True
    assert heap.keep_large_blocks() is True  # a second call changes nothing


def test_a_knowledge_base_asks_for_it(monkeypatch):
    calls = []
    monkeypatch.setattr("officebot.retrieval.search.keep_large_blocks", lambda: calls.append(1))
    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.text import Tokenizer

    KnowledgeBase([], [], Tokenizer())
    assert calls == [1]
