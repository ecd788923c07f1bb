"""Fake Telegram Bot API server for end-to-end tests (standard library only)."""

from .server import ApiError, Call, FakeBotAPI, UploadedFile

__all__ = ["ApiError", "Call", "FakeBotAPI", "UploadedFile"]
