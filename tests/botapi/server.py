"""A small, faithful fake of the Telegram Bot API for end-to-end tests.

Standard library only: :class:`http.server.ThreadingHTTPServer` in a background
thread, one :class:`threading.Condition` for long polling and for waiting on calls.

Point python-telegram-bot at it with ``base_url=server.base_url``::

    with FakeBotAPI() as server:
        async with Bot(server.token, base_url=server.base_url) as bot:
            await bot.send_message(...)

What is emulated (see the individual methods for details):

* transport: ``/bot<token>/<method>`` over GET or POST, parameters from the query
  string, JSON bodies, ``application/x-www-form-urlencoded`` and
  ``multipart/form-data`` bodies (python-telegram-bot 22 always POSTs a form whose
  values are strings, nested objects JSON-encoded); method names are
  case-insensitive; responses are ``{"ok": true, "result": ...}`` or
  ``{"ok": false, "error_code": N, "description": "..."}`` with HTTP status N.
* text: HTML, MarkdownV2 and legacy Markdown are parsed with ports of tdlib's
  parsers (same error texts, byte offsets, UTF-16 entity offsets), followed by
  tdlib's clean-up (``\\r`` dropped, control characters become spaces, leading and
  trailing spaces/newlines trimmed, whitespace-only entities dropped), then the
  4096-character limit, then automatic entities (mention, hashtag, cashtag,
  bot_command, url, email) as Telegram adds them.
* updates: a queue with increasing ``update_id``; ``getUpdates`` honours
  ``offset`` (confirmation, negative offsets), ``limit``, ``timeout`` (long poll,
  woken by new updates and by :meth:`FakeBotAPI.stop`) and ``allowed_updates``
  (persistent, applied when an update is created, as Telegram does); a newer
  ``getUpdates`` terminates an older pending one with 409 Conflict, and
  ``getUpdates`` while a webhook is set is a 409 Conflict too.
* privacy mode (``can_read_all_group_messages`` is false): in groups the bot only
  receives commands (``/cmd`` or ``/cmd@this_bot``), replies to its messages and
  messages mentioning it, unless it is an administrator.

Files: users send documents (``send_document``), the bot gets them with getFile and
the download URL, as from Telegram. Faults (issue 9): ``fail`` (status codes, 429 with retry_after, nginx HTML error pages),
``drop`` (connection closed without an answer), ``slow`` (answer delayed after the call took
effect), every n-th call or the next n, and ``push_raw_update`` (any JSON as an update).

Not emulated: webhook delivery (setWebhook is only recorded), sending files and media
methods, channels, forum topics, business connections, payments, rate limits
(inject them with :meth:`FakeBotAPI.inject_error` or :meth:`FakeBotAPI.fail`), query/edit time limits,
phone numbers and bank cards among automatic entities, tdlib's full URL grammar.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email import policy as _email_policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["ApiError", "Call", "FakeBotAPI", "UploadedFile"]

JSON = dict[str, Any]

# --------------------------------------------------------------------------------------
# errors


class ApiError(Exception):
    """An error answer of the Bot API (HTTP status == error_code)."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        out: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def _bad(msg: str) -> ApiError:
    return ApiError(400, f"Bad Request: {msg}")


def _forbidden(msg: str) -> ApiError:
    return ApiError(403, f"Forbidden: {msg}")


class _ParseError(Exception):
    """An entity parsing error (becomes "can't parse entities: ...")."""


# --------------------------------------------------------------------------------------
# UTF-16 helpers


def _u16(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def u16len(s: str) -> int:
    """Length of *s* in UTF-16 code units, the unit of Telegram entity offsets."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def _u16_prefix(s: str) -> list[int]:
    """pos[i] = UTF-16 offset of code point i (len(pos) == len(s) + 1)."""
    pos = [0]
    for c in s:
        pos.append(pos[-1] + _u16(c))
    return pos


def _u16_to_index(s: str) -> dict[int, int]:
    return {off: i for i, off in enumerate(_u16_prefix(s))}


def _byte_offset(s: str, index: int) -> int:
    return len(s[:index].encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------------------
# links (simplified LinkManager::get_checked_link / get_link_user_id)

_TG_USER_RE = re.compile(r"^tg://user\?id=(\d+)$", re.IGNORECASE)
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


def _link_user_id(url: str) -> int | None:
    m = _TG_USER_RE.match(url.strip())
    return int(m.group(1)) if m else None


def _checked_link(url: str) -> str:
    """Normalised URL, or "" if Telegram would drop the link."""
    url = url.strip()
    if not url or any(c.isspace() for c in url):
        return ""
    m = _SCHEME_RE.match(url)
    if m:
        scheme = m.group(1).lower()
        if scheme in ("tg", "ton"):
            return url
        if scheme not in ("http", "https", "ftp"):
            return ""
        rest = url[len(m.group(0)) :]
        if not rest.startswith("//"):
            return ""
        rest = rest[2:]
    else:
        scheme, rest = "http", url
    host, sep, path = rest.partition("/")
    host_only = host.rsplit("@", 1)[-1].split(":", 1)[0]
    if not host_only or not re.fullmatch(r"[A-Za-z0-9\-._~%\u0080-\uffff]+", host_only):
        return ""
    if "." not in host_only and host_only.lower() != "localhost":
        return ""
    if not path and "?" not in host and "#" not in host:
        return f"{scheme}://{host}/"
    return f"{scheme}://{host}{sep}{path}"


# --------------------------------------------------------------------------------------
# entity helpers

_PRIORITY = {
    "mention": 50, "hashtag": 50, "bot_command": 50, "url": 50, "email": 50, "cashtag": 50,
    "phone_number": 50, "bold": 90, "italic": 91, "code": 20, "pre": 11, "text_link": 49,
    "text_mention": 49, "underline": 92, "strikethrough": 93, "blockquote": 0,
    "expandable_blockquote": 0, "spoiler": 94, "custom_emoji": 99,
}
_HIDDEN_DATA = {"text_link", "text_mention", "pre", "code"}
_SPLITTABLE = {"bold", "italic", "underline", "strikethrough", "spoiler"}
_BLOCKQUOTES = {"blockquote", "expandable_blockquote"}
ENTITY_TYPES = set(_PRIORITY)


def _sort_entities(entities: list[JSON]) -> list[JSON]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def _entity(type_: str, offset: int, length: int, **extra: Any) -> JSON:
    out: JSON = {"offset": offset, "length": length, "type": type_}
    out.update({k: v for k, v in extra.items() if v not in (None, "")})
    return out


# --------------------------------------------------------------------------------------
# HTML (port of td::parse_html)

_HTML_TAGS = {
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji",
    "span", "pre", "code", "blockquote",
}


def _is_space(c: str) -> bool:
    return c in " \t\r\n\0\v\f"


def _decode_html_entity(text: str, pos: int) -> tuple[int, int]:
    """(code point, new position) or (0, pos) if text[pos:] is not a valid entity."""
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    end = pos + 1
    res = 0
    if at(pos + 1) == "#":
        end += 1
        if at(pos + 2) == "x":
            end += 1
            while at(end) in "0123456789abcdefABCDEF" and at(end) != "\0":
                res = res * 16 + int(at(end), 16)
                end += 1
        else:
            while at(end).isascii() and at(end).isdigit():
                res = res * 10 + int(at(end))
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while at(end).isascii() and at(end).isalpha():
            end += 1
        name = text[pos + 1 : end]
        res = {"lt": 0x3C, "gt": 0x3E, "amp": 0x26, "quot": 0x22}.get(name, 0)
        if not res:
            return 0, pos
    if at(end) == ";":
        end += 1
    return res, end


def parse_html(text: str, *, strict_ampersand: bool = True, users: dict[int, JSON] | None = None
               ) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML. Returns (plain text, entities with UTF-16 offsets).

    ``strict_ampersand``: the Bot API documentation requires every ``&`` that does
    not start an entity to be written ``&amp;``; tdlib itself silently keeps such an
    ``&``. With ``True`` (default) a bare ``&`` is rejected.
    """
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    def bo(k: int) -> int:
        return _byte_offset(text, k)

    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    stack: list[list[Any]] = []  # [tag, argument, utf16 offset, out index]
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            code, new_i = _decode_html_entity(text, i)
            if code:
                if 0xD800 <= code <= 0xDFFF:
                    raise _ParseError(
                        "Text contains invalid Unicode characters after decoding HTML entities, "
                        "check for unmatched surrogate code units")
                out.append(chr(code))
                u16 += 2 if code > 0xFFFF else 1
                i = new_i
                continue
            if strict_ampersand:
                raise _ParseError(
                    f"Character '&' at byte offset {bo(i)} doesn't start an HTML entity; "
                    "use &amp; instead")
        if c != "<":
            out.append(c)
            u16 += _u16(c)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != "/":
            while not _is_space(at(i)) and at(i) != ">":
                i += 1
            if at(i) == "\0":
                raise _ParseError(f"Unclosed start tag at byte offset {bo(begin)}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise _ParseError(f'Unsupported start tag "{tag}" at byte offset {bo(begin)}')
            argument = ""
            while at(i) != ">":
                while at(i) != "\0" and _is_space(at(i)):
                    i += 1
                if at(i) == ">":
                    break
                if at(i) == "\0":
                    raise _ParseError(f"Unclosed start tag at byte offset {bo(begin)}")
                attr_begin = i
                while not _is_space(at(i)) and at(i) not in "=>":
                    i += 1
                attr_name = text[attr_begin:i]
                if not attr_name:
                    raise _ParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {bo(begin)}')
                while at(i) != "\0" and _is_space(at(i)):
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and attr_name.lower() == "expandable":
                        argument = "1"
                        continue
                    raise _ParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {bo(begin)}')
                i += 1
                while at(i) != "\0" and _is_space(at(i)):
                    i += 1
                if at(i) == "\0":
                    raise _ParseError(f'Unclosed start tag "{tag}" at byte offset {bo(begin)}')
                if at(i) not in "'\"":
                    token_begin = i
                    while (at(i).isascii() and at(i).isalnum()) or at(i) in ".-":
                        if at(i) == "\0":
                            break
                        i += 1
                    value = text[token_begin:i].lower()
                    if not _is_space(at(i)) and at(i) != ">":
                        raise _ParseError(
                            f"Unexpected end of name token at byte offset {bo(token_begin)}")
                else:
                    quote = at(i)
                    i += 1
                    chars: list[str] = []
                    while at(i) != quote and at(i) != "\0":
                        if at(i) == "&":
                            code, new_i = _decode_html_entity(text, i)
                            if code:
                                chars.append(chr(code))
                                i = new_i
                                continue
                        chars.append(at(i))
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = "".join(chars)
                if at(i) == "\0":
                    raise _ParseError(f"Unclosed start tag at byte offset {bo(begin)}")
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
            if tag == "span" and argument != "spoiler":
                raise _ParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {bo(begin)}')
            stack.append([tag, argument, u16, len(out)])
            i += 1  # skip '>'
            continue

        # end tag
        if not stack:
            raise _ParseError(f"Unexpected end tag at byte offset {bo(begin)}")
        while not _is_space(at(i)) and at(i) != ">":
            i += 1
        end_tag = text[begin + 2 : i].lower()
        while _is_space(at(i)) and at(i) != "\0":
            i += 1
        if at(i) != ">":
            raise _ParseError(f"Unclosed end tag at byte offset {bo(begin)}")
        tag, argument, offset, out_index = stack[-1]
        if end_tag and end_tag != tag:
            raise _ParseError(
                f'Unmatched end tag at byte offset {bo(begin)}, expected "</{tag}>", '
                f'found "</{end_tag}>"')
        if u16 > offset:
            length = u16 - offset
            if tag in ("i", "em"):
                entities.append(_entity("italic", offset, length))
            elif tag in ("b", "strong"):
                entities.append(_entity("bold", offset, length))
            elif tag in ("s", "strike", "del"):
                entities.append(_entity("strikethrough", offset, length))
            elif tag in ("u", "ins"):
                entities.append(_entity("underline", offset, length))
            elif tag == "tg-spoiler" or tag == "span":
                entities.append(_entity("spoiler", offset, length))
            elif tag == "tg-emoji":
                if not argument.isdigit() or int(argument) == 0:
                    raise _ParseError("Invalid custom emoji identifier specified")
                entities.append(_entity("custom_emoji", offset, length, custom_emoji_id=argument))
            elif tag == "a":
                url = argument or "".join(out[out_index:])
                user_id = _link_user_id(url)
                if user_id is not None:
                    user = (users or {}).get(user_id) or {
                        "id": user_id, "is_bot": False, "first_name": "User"}
                    entities.append(_entity("text_mention", offset, length, user=dict(user)))
                else:
                    url = _checked_link(url)
                    if url:
                        entities.append(_entity("text_link", offset, length, url=url))
            elif tag == "pre":
                last = entities[-1] if entities else None
                if (last and last["type"] == "code" and last["offset"] == offset
                        and last["length"] == length and last.get("language")):
                    last["type"] = "pre"
                else:
                    entities.append(_entity("pre", offset, length))
            elif tag == "code":
                last = entities[-1] if entities else None
                if (last and last["type"] == "pre" and last["offset"] == offset
                        and last["length"] == length and argument):
                    last["language"] = argument
                else:
                    entities.append(_entity("code", offset, length, language=argument))
            elif tag == "blockquote":
                kind = "expandable_blockquote" if argument else "blockquote"
                entities.append(_entity(kind, offset, length))
        stack.pop()
        i += 1
    if stack:
        raise _ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for e in entities:
        if e["type"] == "code":
            e.pop("language", None)
    return "".join(out), _sort_entities(entities)


# --------------------------------------------------------------------------------------
# MarkdownV2 and Markdown (ports of td::parse_markdown_v2 / td::parse_markdown)

_MDV2_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "text_link": "TextUrl", "code": "Code", "pre": "Pre",
    "pre_code": "PreCode", "custom_emoji": "CustomEmoji", "blockquote": "BlockQuote",
}


def parse_markdown_v2(text: str, *, users: dict[int, JSON] | None = None) -> tuple[str, list[JSON]]:
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    def reserved(ch: str) -> _ParseError:
        return _ParseError(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")

    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    stack: list[dict[str, Any]] = []
    have_bq = False
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        reserved_chars = "_*[]()~`>#+-=|{}.!\n"
        if stack and stack[-1]["type"] in ("code", "pre", "pre_code"):
            reserved_chars = "`"
        if c not in reserved_chars:
            out.append(c)
            u16 += _u16(c)
            i += 1
            continue

        is_end = False
        if stack:
            top = stack[-1]["type"]
            if have_bq and c == "\n" and (i + 1 == n or text[i + 1] != ">"):
                is_end = True
            else:
                is_end = {
                    "bold": c == "*",
                    "italic": c == "_" and at(i + 1) != "_",
                    "code": c == "`",
                    "pre": c == "`" and at(i + 1) == "`" and at(i + 2) == "`",
                    "pre_code": c == "`" and at(i + 1) == "`" and at(i + 2) == "`",
                    "text_link": c == "]",
                    "underline": c == "_" and at(i + 1) == "_",
                    "strikethrough": c == "~",
                    "spoiler": c == "|" and at(i + 1) == "|",
                    "custom_emoji": c == "]",
                    "blockquote": False,
                }[top]

        if not is_end:
            byte_pos = _byte_offset(text, i)
            argument = ""
            type_: str | None
            if c == "_":
                if at(i + 1) == "_":
                    type_ = "underline"
                    i += 1
                else:
                    type_ = "italic"
            elif c == "*":
                type_ = "bold"
            elif c == "~":
                type_ = "strikethrough"
            elif c == "|":
                if at(i + 1) != "|":
                    raise reserved(c)
                i += 1
                type_ = "spoiler"
            elif c == "[":
                type_ = "text_link"
            elif c == "`":
                if at(i + 1) == "`" and at(i + 2) == "`":
                    i += 3
                    type_ = "pre"
                    lang_end = i
                    while not _is_space(at(lang_end)) and at(lang_end) != "`":
                        lang_end += 1
                    if i != lang_end and lang_end < n and at(lang_end) != "`":
                        type_ = "pre_code"
                        argument = text[i:lang_end]
                        i = lang_end
                    if at(i) in "\n\r" and i < n:
                        if at(i + 1) in "\n\r" and at(i + 1) != "\0" and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    type_ = "code"
            elif c == "!":
                if at(i + 1) != "[":
                    raise reserved(c)
                i += 1
                type_ = "custom_emoji"
            elif c == "\n":
                u16 += 1
                out.append("\n")
                type_ = None
                if i + 1 < n and text[i + 1] == ">":
                    i += 1
                    if not have_bq:
                        type_ = "blockquote"
                        have_bq = True
            elif c == ">":
                if i != 0:
                    raise reserved(c)
                type_ = "blockquote"
                have_bq = True
            else:
                raise reserved(c)
            if type_ is not None:
                stack.append({"type": type_, "arg": argument, "offset": u16,
                              "byte": byte_pos, "out": len(out)})
            i += 1
            continue

        # end of an entity
        top_e = stack[-1]
        type_ = top_e["type"]
        if c == "\n" and type_ != "blockquote":
            raise _ParseError(
                f"Can't find end of {_MDV2_NAMES[type_]} entity at byte offset {top_e['byte']}")
        argument = top_e["arg"]
        skip = u16 == top_e["offset"]
        extra: JSON = {}
        entity_type = type_
        if type_ in ("underline", "spoiler"):
            i += 1
        elif type_ in ("pre", "pre_code"):
            i += 2
        elif type_ in ("text_link", "custom_emoji"):
            if at(i + 1) != "(":
                if type_ == "custom_emoji":
                    raise _ParseError("Custom emoji entity must contain a tg://emoji URL")
                url = "".join(out[top_e["out"]:])
            else:
                i += 2
                url_begin = i
                chars = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                        chars.append(text[i + 1])
                        i += 2
                        continue
                    chars.append(text[i])
                    i += 1
                if at(i) != ")":
                    what = "a custom emoji URL" if type_ == "custom_emoji" else "a URL"
                    raise _ParseError(
                        f"Can't find end of {what} at byte offset {_byte_offset(text, url_begin)}")
                url = "".join(chars)
            if type_ == "custom_emoji":
                m = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                if not m or int(m.group(1)) == 0:
                    raise _ParseError("Invalid custom emoji URL specified")
                extra["custom_emoji_id"] = m.group(1)
            else:
                user_id = _link_user_id(url)
                if user_id is not None:
                    entity_type = "text_mention"
                    extra["user"] = dict((users or {}).get(user_id) or {
                        "id": user_id, "is_bot": False, "first_name": "User"})
                else:
                    url = _checked_link(url)
                    if not url:
                        skip = True
                    extra["url"] = url
        elif type_ == "blockquote":
            have_bq = False
            out.append(text[i])
            u16 += 1
        if not skip:
            if type_ == "pre_code":
                entity_type = "pre"
                extra["language"] = argument
            entities.append(_entity(entity_type, top_e["offset"], u16 - top_e["offset"], **extra))
        stack.pop()
        i += 1

    if have_bq and stack and stack[-1]["type"] == "blockquote":
        top_e = stack.pop()
        if u16 != top_e["offset"]:
            entities.append(_entity("blockquote", top_e["offset"], u16 - top_e["offset"]))
    if stack:
        top_e = stack[-1]
        raise _ParseError(
            f"Can't find end of {_MDV2_NAMES[top_e['type']]} entity at byte offset {top_e['byte']}")
    return "".join(out), _sort_entities(entities)


def parse_markdown(text: str, *, users: dict[int, JSON] | None = None) -> tuple[str, list[JSON]]:
    """Legacy ``Markdown`` parse mode."""
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else "\0"

    out: list[str] = []
    u16 = 0
    entities: list[JSON] = []
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and at(i + 1) in "_*`[" and i + 1 < n:
            out.append(text[i + 1])
            u16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            u16 += _u16(c)
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = False
        i += 1
        language = ""
        if c == "`" and at(i) == "`" and at(i + 1) == "`":
            i += 2
            is_pre = True
            lang_end = i
            while not _is_space(at(lang_end)) and at(lang_end) != "`":
                lang_end += 1
            if i != lang_end and lang_end < n and at(lang_end) != "`":
                language = text[i:lang_end]
                i = lang_end
            if at(i) in "\n\r" and i < n:
                if at(i + 1) in "\n\r" and at(i + 1) != "\0" and at(i) != at(i + 1):
                    i += 2
                else:
                    i += 1
        offset = u16
        start_out = len(out)
        while i < n and (text[i] != end_char or (is_pre and not (at(i + 1) == "`" and at(i + 2) == "`"))):
            out.append(text[i])
            u16 += _u16(text[i])
            i += 1
        if i == n:
            raise _ParseError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}")
        if offset != u16:
            length = u16 - offset
            if c == "_":
                entities.append(_entity("italic", offset, length))
            elif c == "*":
                entities.append(_entity("bold", offset, length))
            elif c == "[":
                if at(i + 1) != "(":
                    url = "".join(out[start_out:])
                else:
                    i += 2
                    chars = []
                    while i < n and text[i] != ")":
                        chars.append(text[i])
                        i += 1
                    url = "".join(chars)
                user_id = _link_user_id(url)
                if user_id is not None:
                    user = (users or {}).get(user_id) or {"id": user_id, "is_bot": False, "first_name": "User"}
                    entities.append(_entity("text_mention", offset, length, user=dict(user)))
                else:
                    url = _checked_link(url)
                    if url:
                        entities.append(_entity("text_link", offset, length, url=url))
            elif c == "`":
                if is_pre:
                    entities.append(_entity("pre", offset, length, language=language))
                else:
                    entities.append(_entity("code", offset, length))
        if is_pre:
            i += 2
        i += 1
    return "".join(out), _sort_entities(entities)


# --------------------------------------------------------------------------------------
# automatic entities (td::find_entities, simplified for URLs)


def _is_word(c: str) -> bool:
    if c == "_":
        return True
    return unicodedata.category(c)[0] in "LN"


def _is_ascii_word(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def _is_hashtag_letter(c: str) -> bool:
    if c in "_\u200c\u00b7" or "\u0d80" <= c <= "\u0dff":
        return True
    cat = unicodedata.category(c)
    return cat[0] == "L" or cat == "Nd"


_SHORT_USERNAMES = {"gif", "vid", "pic"}
_COMMON_TLDS = {
    "com", "net", "org", "ru", "io", "me", "info", "biz", "edu", "gov", "dev", "app", "ai", "co",
    "uk", "de", "us", "tv", "xyz", "online", "site", "tech", "ly", "gl", "gg", "fm", "to", "in",
    "eu", "fr", "it", "es", "nl", "ch", "pl", "ua", "by", "kz", "jp", "cn", "br", "ca", "au",
    "cloud", "page", "link", "pro", "store", "shop", "blog", "news", "space", "world",
}
_URL_RE = re.compile(
    r"(?:(?:https?|ftp|tg|ton)://[^\s<>\"]+)"
    r"|(?:(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?::\d{1,5})?(?:[/?#][^\s<>\"]*)?)",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")


def _trim_url(s: str) -> str:
    while s and s[-1] in ".,:;!?'\"":
        s = s[:-1]
    while s and s[-1] in ")]}" and s.count(s[-1]) > s.count({")": "(", "]": "[", "}": "{"}[s[-1]]):
        s = s[:-1]
        while s and s[-1] in ".,:;!?'\"":
            s = s[:-1]
    return s


def find_entities(text: str, *, skip_bot_commands: bool = False) -> list[JSON]:
    """Entities Telegram detects by itself (code point positions -> UTF-16)."""
    found: list[tuple[str, int, int]] = []  # (type, start index, end index) in code points
    n = len(text)

    # mentions
    for m in re.finditer("@", text):
        p = m.start()
        if p > 0 and _is_word(text[p - 1]):
            continue
        q = p + 1
        while q < n and _is_ascii_word(text[q]):
            q += 1
        size = q - p - 1
        if size < 2 or size > 32:
            continue
        if q < n and _is_word(text[q]):
            continue
        name = text[p + 1 : q]
        if size < 4 and name.lower() not in _SHORT_USERNAMES:
            continue
        found.append(("mention", p, q))

    # bot commands
    if not skip_bot_commands:
        for m in re.finditer("/", text):
            p = m.start()
            if p > 0 and (_is_word(text[p - 1]) or text[p - 1] in "/<>"):
                continue
            q = p + 1
            while q < n and _is_ascii_word(text[q]):
                q += 1
            if not 1 <= q - p - 1 <= 64:
                continue
            end = q
            if q < n and text[q] == "@":
                r = q + 1
                while r < n and _is_ascii_word(text[r]):
                    r += 1
                if not 3 <= r - q - 1 <= 32:
                    continue
                q = end = r
            if q < n and (_is_word(text[q]) or text[q] in "/<>"):
                continue
            found.append(("bot_command", p, end))

    # hashtags
    for m in re.finditer("#", text):
        p = m.start()
        if p > 0 and _is_hashtag_letter(text[p - 1]):
            continue
        q = p + 1
        size = 0
        end = None
        was_letter = False
        while q < n and _is_hashtag_letter(text[q]):
            q += 1
            if size == 255:
                end = q
            if size != 256:
                was_letter |= unicodedata.category(text[q - 1])[0] == "L"
                size += 1
        if end is None:
            end = q
        if size < 1 or (q < n and text[q] == "#") or not was_letter:
            continue
        found.append(("hashtag", p, end))

    # cashtags
    for m in re.finditer(r"\$", text):
        p = m.start()
        if p > 0 and (_is_hashtag_letter(text[p - 1]) or text[p - 1] == "$"):
            continue
        q = p + 1
        if text[q : q + 5] == "1INCH":
            q += 5
        else:
            while q < n and "A" <= text[q] <= "Z":
                q += 1
        if not 1 <= q - p - 1 <= 8:
            continue
        if q < n and (_is_hashtag_letter(text[q]) or text[q] == "$"):
            continue
        found.append(("cashtag", p, q))

    # e-mail addresses and URLs (simplified)
    for m in _EMAIL_RE.finditer(text):
        p = m.start()
        if p > 0 and (_is_word(text[p - 1]) or text[p - 1] in ".@/"):
            continue
        found.append(("email", p, m.end()))
    for m in _URL_RE.finditer(text):
        p = m.start()
        if p > 0 and (_is_word(text[p - 1]) or text[p - 1] in "@.-/$#"):
            continue
        s = _trim_url(m.group(0))
        if not s:
            continue
        if "://" not in s:
            host = re.split(r"[:/?#]", s, maxsplit=1)[0]
            if host.rsplit(".", 1)[-1].lower() not in _COMMON_TLDS:
                continue
        end = p + len(s)
        if end < n and text[end] == "@":
            continue
        found.append(("url", p, end))

    # keep non-intersecting (td::remove_intersecting_entities)
    found.sort(key=lambda t: (t[1], -(t[2] - t[1])))
    kept: list[tuple[str, int, int]] = []
    last_end = 0
    for t in found:
        if t[1] >= last_end:
            kept.append(t)
            last_end = t[2]
    pos = _u16_prefix(text)
    return [_entity(t, pos[a], pos[b] - pos[a]) for t, a, b in kept]


# --------------------------------------------------------------------------------------
# td::fix_formatted_text (simplified)


def _clean_text(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Drop \\r, U+2028..U+202E and some combining marks; control chars -> space."""
    out: list[str] = []
    old_to_new: dict[int, int] = {}
    old = new = 0
    for c in text:
        old_to_new[old] = new
        o = ord(c)
        w = _u16(c)
        if c == "\r" or 0x2028 <= o <= 0x202E or o in (0x0333, 0x033F, 0x030A):
            old += w
            continue
        if c != "\n" and o <= 32:
            c = " "
        out.append(c)
        old += w
        new += w
    old_to_new[old] = new
    fixed = []
    for e in entities:
        start = old_to_new.get(e["offset"])
        end = old_to_new.get(e["offset"] + e["length"])
        if start is None or end is None:
            continue
        e = dict(e, offset=start, length=end - start)
        if e["length"] > 0:
            fixed.append(e)
    return "".join(out), fixed


def _validate_entities(text: str, entities: Any) -> list[JSON]:
    if not isinstance(entities, list):
        raise _bad("can't parse entities JSON object")
    total = u16len(text)
    out = []
    for raw in entities:
        if not isinstance(raw, dict):
            raise _bad("can't parse MessageEntity: Object expected")
        etype = raw.get("type")
        if not isinstance(etype, str):
            raise _bad('can\'t parse MessageEntity: Field "type" must be of type String')
        if etype not in ENTITY_TYPES:
            raise _bad(f'can\'t parse MessageEntity: Unsupported type "{etype}"')
        try:
            offset = int(raw["offset"])
            length = int(raw["length"])
        except (KeyError, TypeError, ValueError):
            raise _bad("can't parse MessageEntity: Field \"offset\" or \"length\" must be of type Number") from None
        if offset < 0 or offset > 1000000:
            raise _bad(f"can't parse entities: Receive an entity with incorrect offset {offset}")
        if length < 0 or length > 1000000:
            raise _bad(f"can't parse entities: Receive an entity with incorrect length {length}")
        if length == 0:
            continue
        if offset >= total:
            raise _bad(f"can't parse entities: Entity begins after the end of the text at UTF-16 offset {offset}")
        if offset + length > total:
            raise _bad(
                f"can't parse entities: Entity beginning at UTF-16 offset {offset} ends after the end "
                f"of the text at UTF-16 offset {offset + length}")
        e = _entity(etype, offset, length)
        if etype == "text_link":
            url = _checked_link(str(raw.get("url", "")))
            if not url:
                continue
            e["url"] = url
        elif etype == "text_mention":
            user = raw.get("user")
            if not isinstance(user, dict) or "id" not in user:
                raise _bad('can\'t parse MessageEntity: Field "user" must be of type Object')
            e["user"] = user
        elif etype == "pre" and raw.get("language"):
            e["language"] = str(raw["language"])
        elif etype == "custom_emoji":
            e["custom_emoji_id"] = str(raw.get("custom_emoji_id", ""))
        out.append(e)
    return _sort_entities(out)


def fix_formatted_text(text: str, entities: list[JSON], *, max_length: int | None = 4096,
                       empty_error: str = "message text is empty",
                       long_error: str = "message is too long", allow_empty: bool = False,
                       auto_entities: bool = True) -> tuple[str, list[JSON]]:
    text, entities = _clean_text(text, entities)
    idx = _u16_to_index(text)

    def chars(e: JSON) -> str:
        start = idx.get(e["offset"], idx.get(e["offset"] - 1, 0))
        end = idx.get(e["offset"] + e["length"], idx.get(e["offset"] + e["length"] + 1, len(text)))
        return text[start:end]

    # whitespace-only entities are removed, leading whitespace is moved out of entities
    kept = []
    for e in entities:
        if e["type"] not in _HIDDEN_DATA:
            content = chars(e)
            stripped = content.lstrip(" \n")
            if not stripped:
                continue
            shift = u16len(content) - u16len(stripped)
            e = dict(e, offset=e["offset"] + shift, length=e["length"] - shift)
        kept.append(e)
    entities = kept

    stripped_right = text.rstrip(" \n")
    if not stripped_right:
        if allow_empty:
            return "", []
        raise _bad(empty_error)
    end = u16len(stripped_right)
    entities = [dict(e, length=min(e["length"], end - e["offset"])) for e in entities if e["offset"] < end]
    text = stripped_right
    first_entity = min((e["offset"] for e in entities), default=None)
    lead = 0
    for c in text:
        if c not in " \n" or (first_entity is not None and lead >= first_entity):
            break
        lead += 1
    if lead:
        text = text[lead:]
        entities = [dict(e, offset=e["offset"] - lead) for e in entities]
    if max_length is not None and len(text) > max_length:
        raise _bad(long_error)
    entities = _sort_entities(entities)
    if auto_entities:
        blockers = [e for e in entities if e["type"] not in _SPLITTABLE | _BLOCKQUOTES]
        for found in find_entities(text):
            f0, f1 = found["offset"], found["offset"] + found["length"]
            if any(f0 < b["offset"] + b["length"] and b["offset"] < f1 for b in blockers):
                continue
            entities.append(found)
        entities = _sort_entities(entities)
    return text, entities


# --------------------------------------------------------------------------------------
# records


@dataclass
class UploadedFile:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One request the bot made. ``params`` are decoded to Python objects."""

    method: str
    params: dict[str, Any]
    status: int = 200
    response: JSON = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    seq: int = 0
    time: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def error(self) -> str | None:
        return self.response.get("description")

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


# parameters that are strings even when they look like numbers / JSON
_STRING_KEYS = {
    "text", "caption", "query", "question", "explanation", "description", "title", "parse_mode",
    "caption_parse_mode", "explanation_parse_mode", "question_parse_mode", "description_parse_mode",
    "text_parse_mode", "callback_query_id", "inline_query_id", "shipping_query_id",
    "pre_checkout_query_id", "inline_message_id", "business_connection_id", "url", "action",
    "language_code", "next_offset", "switch_pm_text", "switch_pm_parameter", "secret_token",
    "ip_address", "message_effect_id", "emoji", "name", "short_description", "custom_title",
    "first_name", "last_name", "phone_number", "vcard", "address", "payload", "currency",
    "start_parameter", "game_short_name", "web_app_query_id", "result_id", "sticker",
    "photo", "document", "audio", "video", "voice", "animation", "thumbnail", "certificate",
    "error_message", "provider_token", "foursquare_id", "google_place_id",
}

_DEFAULT_UPDATE_TYPES = None  # all except the three below
_NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}

_CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
}

_NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                 "exactly the same as a current content and reply markup of the message")
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_KEYS:
        return value
    s = value.strip()
    if not s:
        return value
    try:
        decoded = json.loads(s)
    except ValueError:
        return value
    if isinstance(decoded, float) and not re.fullmatch(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", s):
        return value
    return decoded


# --------------------------------------------------------------------------------------
# HTTP layer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.18.0"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        try:  # headers and body are separate writes: avoid Nagle/delayed-ACK stalls
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.server.fake._conn_opened(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.fake._conn_closed(self.connection)  # type: ignore[attr-defined]

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        fake: FakeBotAPI = self.server.fake  # type: ignore[attr-defined]
        fault: _Fault | None = None
        try:
            body = self._read_body()
            status, payload, fault = fake._handle_with_faults(self.path, self.headers, body)
        except Exception as exc:  # noqa: BLE001 - answer 500 instead of dropping the connection
            status, payload = 500, {"ok": False, "error_code": 500,
                                    "description": f"Internal Server Error: {exc!r}"}
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if isinstance(payload, bytes):  # an error page that is not JSON
            data, ctype = payload, "text/html; charset=utf-8"
        else:
            try:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: Telegram sends it \u-escaped
                data = json.dumps(payload).encode("ascii")
            ctype = "application/json"
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def do_GET(self) -> None:
        if self.path.startswith("/file/"):
            self._download()
        else:
            self._handle()

    def _download(self) -> None:
        status, data = self.server.fake._file_download(self.path)  # type: ignore[attr-defined]
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if status == 200 else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    do_POST = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # Telegram accepts a burst of connections (socketserver's default is 5)
    fake: FakeBotAPI


# --------------------------------------------------------------------------------------
# fault injection (see FakeBotAPI.fail / drop / slow / push_raw_update)


@dataclass
class _Fault:
    method: str | None  # lower-case method name; None: any method except getUpdates
    kind: str  # "status" (JSON error), "html" (an error page), "drop" (no answer), "slow"
    code: int = 500
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    processed: bool = False  # the call takes effect before the fault (slow, drop after the work)
    times: int = 1  # faults left; -1: no end
    every: int = 1  # only every n-th matching call
    seen: int = 0

    def matches(self, method: str) -> bool:
        if self.times == 0:
            return False
        if self.method is None:
            return method != "getupdates"
        return self.method == method


def _error_page(code: int, path: str) -> bytes:
    """What a reverse proxy in front of the Bot API answers: HTML that quotes the request URL
    (with the token %-encoded, as nginx does)."""
    quoted = path.replace(":", "%3A")
    return (f"<html>\r\n<head><title>{code} Bad Gateway</title></head>\r\n<body>\r\n"
            f"<center><h1>{code} Bad Gateway</h1></center>\r\n<p>upstream failed for {quoted}</p>\r\n"
            f"<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n").encode()


class _FaultsMixin:
    """Fault injection for FakeBotAPI, kept in one block."""

    _faults: list[_Fault]
    _lock: threading.RLock

    def fail(self, method: str | None, code: int = 500, *, times: int = 1, every: int = 1,
             html: bool = False, retry_after: int | None = None, description: str | None = None) -> None:
        """The next *times* (every *every*-th) calls of *method* fail with *code* and change nothing:
        a JSON error (``retry_after`` for 429), or with ``html`` an nginx error page."""
        text = description or {429: f"Too Many Requests: retry after {retry_after or 1}",
                               500: "Internal Server Error", 502: "Bad Gateway"}.get(code, f"Error {code}")
        with self._lock:
            self._faults.append(_Fault(method.lower() if method else None, "html" if html else "status", code,
                                       text, retry_after, times=times, every=every))

    def drop(self, method: str | None, *, times: int = 1, every: int = 1, processed: bool = False) -> None:
        """Close the connection without an answer (before the call takes effect, or after it)."""
        with self._lock:
            self._faults.append(_Fault(method.lower() if method else None, "drop", processed=processed,
                                       times=times, every=every))

    def slow(self, method: str | None, delay: float, *, times: int = 1, every: int = 1) -> None:
        """Carry out the call, then answer after *delay* seconds (past a client's read timeout, the
        call has happened although the client saw a timeout)."""
        with self._lock:
            self._faults.append(_Fault(method.lower() if method else None, "slow", delay=delay, processed=True,
                                       times=times, every=every))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def push_raw_update(self, update: JSON) -> int:
        """Queue any JSON object as an update (e.g. one python-telegram-bot cannot parse); an
        ``update_id`` is assigned unless given. Returns the update id."""
        with self._cond:  # type: ignore[attr-defined]
            raw = dict(update)
            if "update_id" not in raw:
                raw["update_id"] = self._next_update_id  # type: ignore[attr-defined]
            self._next_update_id = max(self._next_update_id, raw["update_id"] + 1)  # type: ignore
            self._updates.append(raw)  # type: ignore[attr-defined]
            self._cond.notify_all()  # type: ignore[attr-defined]
            return raw["update_id"]

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method):
                    fault.seen += 1
                    if fault.seen % fault.every:
                        return None
                    if fault.times > 0:
                        fault.times -= 1
                    return fault
        return None

    def _handle_with_faults(self, path: str, headers: Any, body: bytes) -> tuple[int, Any, _Fault | None]:
        url = urlsplit(path)
        method = url.path[4:].partition("/")[2].lower() if url.path.startswith("/bot") else ""
        fault = self._take_fault(method) if method else None
        if fault is None or fault.processed:
            status, payload = self._handle_http(path, headers, body)  # type: ignore[attr-defined]
            return status, payload, fault
        call = Call(method=self._canonical.get(method, method), params={}, time=time.time())  # type: ignore
        if fault.kind == "drop":
            status, payload = 0, {"ok": False, "description": "connection dropped"}
        elif fault.kind == "html":
            status, payload = fault.code, _error_page(fault.code, url.path)
        else:
            status = fault.code
            payload = ApiError(fault.code, fault.description,
                               {"retry_after": fault.retry_after} if fault.retry_after else None).payload()
        with self._cond:  # type: ignore[attr-defined]
            call.status = status
            call.response = payload if isinstance(payload, dict) else {"ok": False, "description": "error page"}
            call.seq = next(self._seq)  # type: ignore[attr-defined]
            self._calls.append(call)  # type: ignore[attr-defined]
            self._cond.notify_all()  # type: ignore[attr-defined]
        return status, payload, fault


# --------------------------------------------------------------------------------------
# the fake


class FakeBotAPI(_FaultsMixin):
    """In-process fake Telegram Bot API server (see module docstring)."""

    BOT_FIRST_NAME = "Office Test Bot"
    BOT_USERNAME = "office_test_bot"
    # Limits of the Bot API version python-telegram-bot 22.8 speaks (Bot API 10.0).
    MAX_MESSAGE_LENGTH = 4096
    MAX_CALLBACK_DATA = 64
    MAX_CALLBACK_ANSWER = 200
    MAX_INLINE_RESULTS = 50
    POLL_MIN_OPTIONS = 2
    POLL_MAX_OPTIONS = 12  # 10 before Bot API 9.1
    POLL_MAX_QUESTION = 300
    POLL_MAX_OPTION = 100
    POLL_MAX_EXPLANATION = 200
    POLL_MIN_OPEN_PERIOD = 5
    POLL_MAX_OPEN_PERIOD = 2628000  # 600 before Bot API 9.6

    def __init__(self, token: str = "123456:TEST", *, username: str | None = None,
                 first_name: str | None = None, privacy_mode: bool = True,
                 strict_html_ampersand: bool = True, first_update_id: int = 100000001,
                 host: str = "127.0.0.1"):
        bot_id, sep, secret = token.partition(":")
        if not sep or not bot_id.isdigit() or not secret:
            raise ValueError("token must look like '<digits>:<secret>'")
        self.token = token
        self.bot_id = int(bot_id)
        self.privacy_mode = privacy_mode
        self.strict_html_ampersand = strict_html_ampersand
        self._host = host
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._stopping = False

        self.bot_user: JSON = {
            "id": self.bot_id, "is_bot": True,
            "first_name": first_name or self.BOT_FIRST_NAME,
            "username": username or self.BOT_USERNAME,
        }
        self._users: dict[int, JSON] = {self.bot_id: dict(self.bot_user)}
        self._chats: dict[int, JSON] = {}
        self._started: set[int] = set()  # private chats in which the user started the bot
        self._blocked: set[int] = set()
        self._members: dict[tuple[int, int], JSON] = {}
        self._messages: dict[int, dict[int, JSON]] = {}
        self._next_message_id: dict[int, int] = {}
        self._polls: dict[str, JSON] = {}  # poll id -> {"chat_id", "message_id", "votes"}
        self._callback_queries: dict[str, JSON] = {}
        self._inline_queries: dict[str, JSON] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._menu_buttons: dict[int | None, JSON] = {}
        self._webhook: JSON = {}
        self._logged_out = False
        self._launched = time.time()
        self._injected: list[dict[str, Any]] = []
        self._faults: list[_Fault] = []

        self._updates: list[JSON] = []
        self._next_update_id = first_update_id
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._polling_now = 0
        self._delivered_up_to = first_update_id - 1

        self._calls: list[Call] = []
        self._consumed: set[int] = set()
        self._seq = itertools.count(1)
        self._ids = itertools.count(1)

        self._methods: dict[str, Callable[[dict[str, Any]], Any]] = {}
        for name in (
            "getMe", "getUpdates", "deleteWebhook", "getWebhookInfo", "setWebhook", "close",
            "logOut", "sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
            "answerCallbackQuery", "answerInlineQuery", "setMyCommands", "getMyCommands",
            "deleteMyCommands", "sendPoll", "stopPoll", "getChatMember", "getChat",
            "sendChatAction", "setChatMenuButton", "getChatMenuButton",
        ):
            self._methods[name.lower()] = getattr(self, "_m_" + name)
        self._canonical = {name.lower(): name for name in (
            "getMe", "getUpdates", "deleteWebhook", "getWebhookInfo", "setWebhook", "close",
            "logOut", "sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage",
            "answerCallbackQuery", "answerInlineQuery", "setMyCommands", "getMyCommands",
            "deleteMyCommands", "sendPoll", "stopPoll", "getChatMember", "getChat",
            "sendChatAction", "setChatMenuButton", "getChatMenuButton")}
        self._init_files()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeBotAPI:
        if self._server is not None:
            return self
        self._stopping = False
        server = _Server((self._host, 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05},
            name="FakeBotAPI", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving. Pending long polls are answered at once (empty result)."""
        server = self._server
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            deadline = time.monotonic() + min(timeout, 0.5)
            while self._polling_now and time.monotonic() < deadline:
                self._cond.wait(0.05)
        server.shutdown()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotAPI is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/bot`` - python-telegram-bot appends ``<token>/<method>``."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    def _conn_opened(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.add(conn)

    def _conn_closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.discard(conn)

    # ------------------------------------------------------------------ HTTP handling

    def _handle_http(self, path: str, headers: Any, body: bytes) -> tuple[int, JSON]:
        url = urlsplit(path)
        if not url.path.startswith("/bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, _, method = url.path[4:].partition("/")
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        raw: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
        files: dict[str, UploadedFile] = {}
        try:
            raw.update(self._parse_body(headers, body, files))
        except ValueError as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
        params = {k: _decode_value(k, v) for k, v in raw.items()}
        if self._stopping:
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        name = self._canonical.get(method.lower(), method)
        call = Call(method=name, params=params, files=files, time=time.time())
        try:
            status, payload = self._dispatch(method.lower(), params)
        finally:
            with self._cond:
                call.status, call.response = status, copy.deepcopy(payload)
                call.seq = next(self._seq)
                self._calls.append(call)
                self._cond.notify_all()
        return status, payload

    @staticmethod
    def _parse_body(headers: Any, body: bytes, files: dict[str, UploadedFile]) -> dict[str, Any]:
        if not body:
            return {}
        ctype = (headers.get_content_type() or "").lower()
        if ctype == "application/json":
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("JSON object expected")
            return data
        if ctype == "multipart/form-data":
            msg = BytesParser(policy=_email_policy.HTTP).parsebytes(
                b"Content-Type: " + headers.get("Content-Type", "").encode("latin-1")
                + b"\r\n\r\n" + body)
            out: dict[str, Any] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not name:
                    continue
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename is not None:
                    files[name] = UploadedFile(filename, part.get_content_type(), payload)
                    out.setdefault(name, f"attach://{name}")
                else:
                    out[name] = payload.decode("utf-8")
            return out
        # application/x-www-form-urlencoded (and anything else form-like)
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))

    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, JSON]:
        handler = self._methods.get(method)
        with self._cond:
            if self._logged_out:
                return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            for inj in self._injected:
                if inj["method"] is None or inj["method"] == method:
                    inj["times"] -= 1
                    if inj["times"] <= 0:
                        self._injected.remove(inj)
                    return inj["code"], ApiError(inj["code"], inj["description"], inj["parameters"]).payload()
            if handler is None:
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            try:
                result = handler(params)
            except ApiError as err:
                return err.code, err.payload()
            return 200, {"ok": True, "result": copy.deepcopy(result)}

    # ------------------------------------------------------------------ parameter helpers

    @staticmethod
    def _has(p: dict[str, Any], key: str) -> bool:
        return p.get(key) not in (None, "")

    def _str(self, p: dict[str, Any], key: str, *, required: bool = False, empty: str | None = None
             ) -> str | None:
        if not self._has(p, key):
            if required:
                raise _bad(empty or f"{key} is empty")
            return None
        value = p[key]
        return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)

    def _int(self, p: dict[str, Any], key: str, *, required: bool = False, default: int | None = None
             ) -> int | None:
        if not self._has(p, key):
            if required:
                raise _bad(f"{key} is empty" if key != "message_id" else "message identifier is not specified")
            return default
        value = p[key]
        if isinstance(value, bool):
            raise _bad(f'parameter "{key}" must be a Number')
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(f'parameter "{key}" must be a Number') from None

    def _bool(self, p: dict[str, Any], key: str, default: bool = False) -> bool:
        if not self._has(p, key):
            return default
        value = p[key]
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return bool(value)
        return str(value).strip().lower() in ("true", "1", "yes")

    def _json(self, p: dict[str, Any], key: str, what: str | None = None) -> Any:
        if not self._has(p, key):
            return None
        value = p[key]
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise _bad(f"can't parse {what or key} JSON object") from None
        return value

    # ------------------------------------------------------------------ chats & users

    def _chat_by_id(self, chat_id: Any, *, send: bool = False) -> JSON:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == chat_id[1:].lower():
                    return chat
            raise _bad("chat not found")
        try:
            cid = int(chat_id)
        except (TypeError, ValueError):
            raise _bad("chat not found") from None
        chat = self._chats.get(cid)
        if chat is None:
            if cid in self._users and cid > 0 and not send:
                u = self._users[cid]
                return {"id": cid, "type": "private", "first_name": u["first_name"],
                        **{k: u[k] for k in ("last_name", "username") if k in u}}
            if cid in self._users and cid > 0:
                if self._users[cid].get("is_bot"):
                    raise _forbidden("bot can't send messages to bots")
                raise _forbidden("bot can't initiate conversation with a user")
            raise _bad("chat not found")
        return chat

    def _writable_chat(self, p: dict[str, Any]) -> JSON:
        if not self._has(p, "chat_id"):
            raise _bad("chat_id is empty")
        chat = self._chat_by_id(p["chat_id"], send=True)
        self._check_not_blocked(chat)
        return chat

    def _check_not_blocked(self, chat: JSON) -> None:
        if chat["id"] in self._blocked:
            if chat["type"] == "private":
                raise _forbidden("bot was blocked by the user")
            if chat["type"] == "channel":
                raise _forbidden("bot is not a member of the channel chat")
            raise _forbidden(f"bot was kicked from the {chat['type']} chat")
        if chat["type"] != "private":
            status = self._bot_status(chat["id"])
            if status == "kicked":
                raise _forbidden(f"bot was kicked from the {chat['type']} chat")
            if status == "left":
                raise _forbidden(f"bot is not a member of the {chat['type']} chat")

    def _chat_short(self, chat: JSON) -> JSON:
        return {k: v for k, v in chat.items()
                if k in ("id", "type", "title", "username", "first_name", "last_name", "is_forum")}

    def _bot_status(self, chat_id: int) -> str:
        return self._members.get((chat_id, self.bot_id), {}).get("status", "member")

    # ------------------------------------------------------------------ messages

    def _store_message(self, chat: JSON, sender: JSON, content: JSON, *, reply_to: JSON | None = None
                       ) -> JSON:
        cid = chat["id"]
        mid = self._next_message_id.get(cid, 1)
        self._next_message_id[cid] = mid + 1
        msg: JSON = {"message_id": mid, "from": dict(sender), "chat": self._chat_short(chat),
                     "date": int(time.time())}
        if reply_to is not None:
            parent = copy.deepcopy(reply_to)
            parent.pop("reply_to_message", None)
            msg["reply_to_message"] = parent
        msg.update(content)
        self._messages.setdefault(cid, {})[mid] = msg
        return msg

    def _find_message(self, chat_id: int, message_id: int) -> JSON | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def _reply_target(self, chat: JSON, p: dict[str, Any]) -> JSON | None:
        reply = self._json(p, "reply_parameters", "reply parameters")
        allow = self._bool(p, "allow_sending_without_reply")
        if isinstance(reply, dict):
            mid = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply", allow))
            target_chat = chat
            if reply.get("chat_id") not in (None, ""):
                target_chat = self._chat_by_id(reply["chat_id"])
        elif reply is not None:
            raise _bad("can't parse reply parameters JSON object")
        else:
            mid = p.get("reply_to_message_id")
            target_chat = chat
        if mid in (None, "", 0):
            return None
        try:
            mid = int(mid)
        except (TypeError, ValueError):
            raise _bad("message to be replied not found") from None
        msg = self._find_message(target_chat["id"], mid)
        if msg is None and not allow:
            raise _bad("message to be replied not found")
        return msg

    def _formatted(self, p: dict[str, Any], text_key: str = "text", mode_key: str = "parse_mode",
                   entities_key: str = "entities", **kw: Any) -> tuple[str, list[JSON]]:
        text = self._str(p, text_key)
        if text is None:
            text = ""
        return self.format_text(text, self._str(p, mode_key), self._json(p, entities_key), **kw)

    def format_text(self, text: str, parse_mode: str | None = None, entities: Any = None,
                    **kw: Any) -> tuple[str, list[JSON]]:
        """Parse *text* the way the Bot API does. Raises :class:`ApiError`."""
        try:
            if entities is not None:
                ents = _validate_entities(text, entities)
            elif not parse_mode:
                ents = []
            else:
                mode = parse_mode.lower()
                if mode == "html":
                    text, ents = parse_html(text, strict_ampersand=self.strict_html_ampersand,
                                            users=self._users)
                elif mode == "markdownv2":
                    text, ents = parse_markdown_v2(text, users=self._users)
                elif mode == "markdown":
                    text, ents = parse_markdown(text, users=self._users)
                else:
                    raise _bad(f"unsupported parse_mode {parse_mode!r}".replace("'", '"'))
        except _ParseError as err:
            raise _bad(f"can't parse entities: {err}") from None
        return fix_formatted_text(text, ents, **kw)

    def _check_markup(self, markup: Any, *, inline_only: bool = False) -> JSON | None:
        """Validate reply_markup. Returns what Telegram echoes in the Message (inline only)."""
        if markup is None:
            return None
        if isinstance(markup, str):
            try:
                markup = json.loads(markup)
            except ValueError:
                raise _bad("can't parse reply keyboard markup JSON object") from None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
            for row in rows:
                for button in row:
                    self._check_inline_button(button)
            return {"inline_keyboard": copy.deepcopy(rows)}
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad('Field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
            for row in rows:
                for button in row:
                    text = button if isinstance(button, str) else button.get("text") if isinstance(button, dict) else None
                    if not isinstance(text, str):
                        raise _bad("can't parse keyboard button: Field \"text\" must be of type String")
            return None
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return None
        raise _bad("can't parse reply keyboard markup JSON object")

    def _check_inline_button(self, button: Any) -> None:
        if not isinstance(button, dict):
            raise _bad("can't parse inline keyboard button: Object expected")
        if "text" not in button:
            raise _bad('can\'t parse inline keyboard button: Can\'t find field "text"')
        if not isinstance(button["text"], str):
            raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
        if not button["text"].strip():
            raise _bad("BUTTON_TEXT_INVALID")
        actions = [k for k in ("url", "callback_data", "web_app", "login_url", "switch_inline_query",
                               "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                               "copy_text", "callback_game", "pay") if k in button]
        if not actions:
            raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str):
                raise _bad('can\'t parse inline keyboard button: Field "callback_data" must be of type String')
            if not 1 <= len(data.encode("utf-8")) <= self.MAX_CALLBACK_DATA:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str):
                raise _bad('can\'t parse inline keyboard button: Field "url" must be of type String')
            if not _checked_link(url):
                raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")

    # ------------------------------------------------------------------ updates

    def _enqueue(self, kind: str, payload: JSON) -> JSON | None:
        allowed = self._allowed_updates
        if allowed:
            if kind not in allowed:
                return None
        elif kind in _NOT_BY_DEFAULT:
            return None
        update = {"update_id": self._next_update_id, kind: copy.deepcopy(payload)}
        self._next_update_id += 1
        self._updates.append(update)
        self._cond.notify_all()
        return copy.deepcopy(update)

    # ================================================================== Bot API methods

    def _m_getMe(self, p: dict[str, Any]) -> JSON:
        return dict(self.bot_user, can_join_groups=True, can_read_all_group_messages=not self.privacy_mode,
                    supports_inline_queries=True, can_connect_to_business=False, has_main_web_app=False)

    def _m_getUpdates(self, p: dict[str, Any]) -> list[JSON]:
        if self._webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = self._int(p, "offset", default=0) or 0
        limit = self._int(p, "limit", default=100) or 100
        limit = max(1, min(100, limit))
        timeout = self._int(p, "timeout", default=0) or 0
        timeout = max(0, min(timeout, 50))
        allowed = self._json(p, "allowed_updates", "allowed updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise _bad("can't parse allowed updates JSON object")
            self._allowed_updates = [str(a) for a in allowed]
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]  # the last -offset updates; older ones are forgotten
        self._poll_generation += 1
        generation = self._poll_generation
        deadline = time.monotonic() + timeout
        self._polling_now += 1
        self._cond.notify_all()
        try:
            while True:
                if self._updates or self._stopping:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
                if generation != self._poll_generation:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure "
                                        "that only one bot instance is running")
        finally:
            self._polling_now -= 1
        result = self._updates[:limit]
        if result:
            self._delivered_up_to = max(self._delivered_up_to, result[-1]["update_id"])
            self._cond.notify_all()
        return result

    def _m_setWebhook(self, p: dict[str, Any]) -> bool:
        url = self._str(p, "url") or ""
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https":
                raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
            if parts.port not in (None, 80, 88, 443, 8443):
                raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        if self._bool(p, "drop_pending_updates"):
            self._updates.clear()
        allowed = self._json(p, "allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        self._webhook = {"url": url} if url else {}
        if url:
            for key in ("max_connections", "ip_address", "secret_token"):
                if self._has(p, key):
                    self._webhook[key] = p[key]
        self._cond.notify_all()  # pending getUpdates continue until their timeout, like Telegram
        return True

    def _m_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self._webhook = {}
        if self._bool(p, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_getWebhookInfo(self, p: dict[str, Any]) -> JSON:
        info: JSON = {"url": self._webhook.get("url", ""), "has_custom_certificate": False,
                      "pending_update_count": len(self._updates)}
        if self._webhook.get("url"):
            info["max_connections"] = int(self._webhook.get("max_connections", 40))
            if self._webhook.get("ip_address"):
                info["ip_address"] = self._webhook["ip_address"]
            if self._allowed_updates is not None:
                info["allowed_updates"] = list(self._allowed_updates)
        return info

    def _m_close(self, p: dict[str, Any]) -> bool:
        # "The method will return error 429 in the first 10 minutes after the bot is launched."
        remaining = int(self._launched + 600 - time.time())
        if remaining > 0:
            raise ApiError(429, f"Too Many Requests: retry after {remaining}", {"retry_after": remaining})
        return True

    def _m_logOut(self, p: dict[str, Any]) -> bool:
        self._logged_out = True
        return True

    # ------------------------------------------------------------------ messages

    def _m_sendMessage(self, p: dict[str, Any]) -> JSON:
        chat = self._writable_chat(p)
        text, entities = self._formatted(p, max_length=self.MAX_MESSAGE_LENGTH)
        markup = self._check_markup(self._json(p, "reply_markup", "reply keyboard markup"))
        reply_to = self._reply_target(chat, p)
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        if self._bool(p, "protect_content"):
            content["has_protected_content"] = True
        if markup:
            content["reply_markup"] = markup
        msg = self._store_message(chat, self.bot_user, content, reply_to=reply_to)
        return msg

    def _message_for_edit(self, p: dict[str, Any]) -> JSON:
        if self._has(p, "inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        if not self._has(p, "chat_id"):
            raise _bad("chat_id is empty")
        chat = self._chat_by_id(p["chat_id"])
        self._check_not_blocked(chat)
        mid = self._int(p, "message_id", required=True)
        msg = self._find_message(chat["id"], mid)
        if msg is None:
            raise _bad("message to edit not found")
        if msg.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return msg

    def _m_editMessageText(self, p: dict[str, Any]) -> JSON:
        msg = self._message_for_edit(p)
        if "text" not in msg:
            raise _bad("there is no text in the message to edit")
        text, entities = self._formatted(p, max_length=self.MAX_MESSAGE_LENGTH,
                                         empty_error="text must be non-empty")
        markup = self._check_markup(self._json(p, "reply_markup", "reply keyboard markup"), inline_only=True)
        if (text == msg.get("text") and entities == msg.get("entities", [])
                and markup == msg.get("reply_markup")):
            raise _bad(_NOT_MODIFIED)
        msg["text"] = text
        if entities:
            msg["entities"] = entities
        else:
            msg.pop("entities", None)
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        msg["edit_date"] = int(time.time())
        return msg

    def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> JSON:
        msg = self._message_for_edit(p)
        markup = self._check_markup(self._json(p, "reply_markup", "reply keyboard markup"), inline_only=True)
        if markup == msg.get("reply_markup"):
            raise _bad(_NOT_MODIFIED)
        if markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        msg["edit_date"] = int(time.time())
        return msg

    def _m_deleteMessage(self, p: dict[str, Any]) -> bool:
        if not self._has(p, "chat_id"):
            raise _bad("chat_id is empty")
        chat = self._chat_by_id(p["chat_id"])
        mid = self._int(p, "message_id", required=True)
        msg = self._find_message(chat["id"], mid)
        if msg is None:
            raise _bad("message to delete not found")
        if (chat["type"] != "private" and msg.get("from", {}).get("id") != self.bot_id):
            member = self._members.get((chat["id"], self.bot_id), {})
            if member.get("status") != "creator" and not (
                    member.get("status") == "administrator" and member.get("can_delete_messages", True)):
                raise _bad("message can't be deleted")
        del self._messages[chat["id"]][mid]
        return True

    # ------------------------------------------------------------------ queries

    def _m_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        qid = self._str(p, "callback_query_id", required=True, empty="query_id is empty")
        query = self._callback_queries.get(qid)
        if query is None or query["answered"]:
            raise _bad(_QUERY_INVALID)
        text = self._str(p, "text") or ""
        if len(text) > self.MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        url = self._str(p, "url")
        if url and not _checked_link(url):
            raise _bad("URL_INVALID")
        query["answered"] = True
        query["answer"] = {"text": text, "show_alert": self._bool(p, "show_alert"), "url": url,
                           "cache_time": self._int(p, "cache_time", default=0)}
        return True

    def _m_answerInlineQuery(self, p: dict[str, Any]) -> bool:
        qid = self._str(p, "inline_query_id", required=True, empty="query_id is empty")
        query = self._inline_queries.get(qid)
        if query is None or query["answered"]:
            raise _bad(_QUERY_INVALID)
        results = self._json(p, "results", "inline query results")
        if results is None:
            results = []
        if not isinstance(results, list):
            raise _bad("can't parse inline query results JSON object")
        if len(results) > self.MAX_INLINE_RESULTS:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._check_inline_result(result, seen)
        next_offset = self._str(p, "next_offset") or ""
        if len(next_offset.encode("utf-8")) > 64:
            raise _bad("NEXT_OFFSET_INVALID")
        query["answered"] = True
        query["answer"] = {"results": results, "cache_time": self._int(p, "cache_time", default=300),
                           "is_personal": self._bool(p, "is_personal"), "next_offset": next_offset}
        return True

    def _check_inline_result(self, result: Any, seen: set[str]) -> None:
        prefix = "can't parse inline query result: "
        if not isinstance(result, dict):
            raise _bad(prefix + "Object expected")
        if not isinstance(result.get("type"), str):
            raise _bad(prefix + 'Can\'t find field "type"')
        rid = result.get("id")
        if not isinstance(rid, str):
            raise _bad(prefix + 'Field "id" must be of type String')
        if not 1 <= len(rid.encode("utf-8")) <= 64:
            raise _bad("RESULT_ID_INVALID")
        if rid in seen:
            raise _bad("RESULT_ID_DUPLICATE")
        seen.add(rid)
        rtype = result["type"].lower()
        known = {"article", "photo", "gif", "mpeg4_gif", "video", "audio", "voice", "document",
                 "location", "venue", "contact", "game", "sticker"}
        if rtype not in known:
            raise _bad(prefix + f'Unsupported inline query result type "{result["type"]}"')
        if rtype == "article":
            if not isinstance(result.get("title"), str):
                raise _bad(prefix + 'Can\'t find field "title"')
            if "input_message_content" not in result:
                raise _bad(prefix + 'Can\'t find field "input_message_content"')
        if "reply_markup" in result:
            self._check_markup(result["reply_markup"], inline_only=True)
        content = result.get("input_message_content")
        if content is not None:
            if not isinstance(content, dict):
                raise _bad(prefix + 'Field "input_message_content" must be of type Object')
            if "message_text" in content:
                text = content["message_text"]
                if not isinstance(text, str):
                    raise _bad(prefix + 'Field "message_text" must be of type String')
                self.format_text(text, content.get("parse_mode"), content.get("entities"),
                                 max_length=self.MAX_MESSAGE_LENGTH, empty_error="MESSAGE_EMPTY",
                                 long_error="MESSAGE_TOO_LONG")

    # ------------------------------------------------------------------ commands & menu

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if scope is None:
            scope = {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise _bad("can't parse BotCommandScope JSON object")
        if scope["type"] not in ("default", "all_private_chats", "all_group_chats",
                                 "all_chat_administrators", "chat", "chat_administrators", "chat_member"):
            raise _bad(f'can\'t parse BotCommandScope JSON object: Unsupported type "{scope["type"]}"')
        return json.dumps(scope, sort_keys=True)

    def _m_setMyCommands(self, p: dict[str, Any]) -> bool:
        commands = self._json(p, "commands", "bot commands")
        if not isinstance(commands, list):
            raise _bad("can't parse bot commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        clean = []
        for cmd in commands:
            if not isinstance(cmd, dict) or not isinstance(cmd.get("command"), str) \
                    or not isinstance(cmd.get("description"), str):
                raise _bad("can't parse BotCommand JSON object")
            name = cmd["command"].strip()
            name = name.removeprefix("/")
            if not 1 <= len(name) <= 32 or not re.fullmatch(r"[a-z0-9_]+", name):
                raise _bad("BOT_COMMAND_INVALID")
            description = cmd["description"].strip()
            if not 1 <= len(description) <= 256:
                raise _bad("command description must be non-empty and at most 256 characters long")
            clean.append({"command": name, "description": description})
        key = (self._scope_key(self._json(p, "scope")), self._str(p, "language_code") or "")
        if clean:
            self._commands[key] = clean
        else:
            self._commands.pop(key, None)
        return True

    def _m_getMyCommands(self, p: dict[str, Any]) -> list[JSON]:
        key = (self._scope_key(self._json(p, "scope")), self._str(p, "language_code") or "")
        return self._commands.get(key, [])

    def _m_deleteMyCommands(self, p: dict[str, Any]) -> bool:
        key = (self._scope_key(self._json(p, "scope")), self._str(p, "language_code") or "")
        self._commands.pop(key, None)
        return True

    def _m_setChatMenuButton(self, p: dict[str, Any]) -> bool:
        chat_id = None
        if self._has(p, "chat_id"):
            chat = self._chat_by_id(p["chat_id"])
            if chat["type"] != "private":
                raise _bad("chat_id must be a private chat")
            chat_id = chat["id"]
        button = self._json(p, "menu_button", "menu button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in ("default", "commands", "web_app"):
            raise _bad("can't parse menu button JSON object")
        if button["type"] == "web_app":
            web_app = button.get("web_app")
            if not isinstance(button.get("text"), str) or not isinstance(web_app, dict) \
                    or not str(web_app.get("url", "")).startswith("https://"):
                raise _bad("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = button
        return True

    def _m_getChatMenuButton(self, p: dict[str, Any]) -> JSON:
        chat_id = None
        if self._has(p, "chat_id"):
            chat_id = self._chat_by_id(p["chat_id"])["id"]
        button = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        if not button or button.get("type") == "default":
            return {"type": "commands"}
        return button

    # ------------------------------------------------------------------ polls

    def _m_sendPoll(self, p: dict[str, Any]) -> JSON:
        chat = self._writable_chat(p)
        question, question_entities = self.format_text(
            self._str(p, "question") or "", self._str(p, "question_parse_mode"),
            self._json(p, "question_entities"), max_length=None,
            empty_error="poll question must be non-empty", auto_entities=False)
        if len(question) > self.POLL_MAX_QUESTION:
            raise _bad(f"poll question length must not exceed {self.POLL_MAX_QUESTION}")
        raw_options = self._json(p, "options", "poll options")
        if not isinstance(raw_options, list):
            raise _bad("can't parse poll options JSON object")
        allow_adding = self._bool(p, "allow_adding_options")
        if len(raw_options) < (1 if allow_adding else self.POLL_MIN_OPTIONS):
            raise _bad(f"poll must have at least {self.POLL_MIN_OPTIONS} option")
        if len(raw_options) > self.POLL_MAX_OPTIONS:
            raise _bad(f"poll can't have more than {self.POLL_MAX_OPTIONS} options")
        options = []
        for idx, raw in enumerate(raw_options):
            if isinstance(raw, str):
                text, mode, ents = raw, None, None
            elif isinstance(raw, dict) and isinstance(raw.get("text"), str):
                text, mode, ents = raw["text"], raw.get("text_parse_mode"), raw.get("text_entities")
            else:
                raise _bad("can't parse InputPollOption JSON object")
            text, ents = self.format_text(text, mode, ents, max_length=None,
                                          empty_error="poll options must be non-empty",
                                          auto_entities=False)
            if len(text) > self.POLL_MAX_OPTION:
                raise _bad(f"poll options length must not exceed {self.POLL_MAX_OPTION}")
            option: JSON = {"text": text, "voter_count": 0, "persistent_id": str(idx)}
            ents = [e for e in ents if e["type"] == "custom_emoji"]
            if ents:
                option["text_entities"] = ents
            options.append(option)
        if len({o["text"] for o in options}) != len(options):
            raise _bad("POLL_OPTION_DUPLICATE")
        ptype = self._str(p, "type") or "regular"
        if ptype not in ("regular", "quiz"):
            raise _bad("wrong poll type specified")
        multiple = self._bool(p, "allows_multiple_answers")
        anonymous = self._bool(p, "is_anonymous", True)
        poll: JSON = {
            "id": str(5000000000000000000 + next(self._ids)), "question": question,
            "options": options, "total_voter_count": 0, "is_closed": self._bool(p, "is_closed"),
            "is_anonymous": anonymous, "type": ptype, "allows_multiple_answers": multiple,
            "allows_revoting": self._bool(p, "allows_revoting", ptype != "quiz"),
            "members_only": self._bool(p, "members_only"),
        }
        question_entities = [e for e in question_entities if e["type"] == "custom_emoji"]
        if question_entities:
            poll["question_entities"] = question_entities
        if ptype == "quiz":
            correct = self._json(p, "correct_option_ids")
            if correct is None and self._has(p, "correct_option_id"):
                correct = [self._int(p, "correct_option_id")]
            if (not isinstance(correct, list) or not correct
                    or not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c < len(options)
                               for c in correct)
                    or correct != sorted(set(correct))
                    or (len(correct) > 1 and not multiple)):
                raise _bad("wrong correct option ID specified")
            poll["correct_option_ids"] = correct
            if self._has(p, "explanation"):
                explanation, exp_entities = self.format_text(
                    self._str(p, "explanation") or "", self._str(p, "explanation_parse_mode"),
                    self._json(p, "explanation_entities"), max_length=None, allow_empty=True)
                if len(explanation) > self.POLL_MAX_EXPLANATION or explanation.count("\n") > 2:
                    raise _bad("explanation is too long")
                if explanation:
                    poll["explanation"] = explanation
                    if exp_entities:
                        poll["explanation_entities"] = exp_entities
        if self._has(p, "description"):
            description, desc_entities = self.format_text(
                self._str(p, "description") or "", self._str(p, "description_parse_mode"),
                self._json(p, "description_entities"), max_length=1024, allow_empty=True,
                long_error="poll description is too long")
            if description:
                poll["description"] = description
                if desc_entities:
                    poll["description_entities"] = desc_entities
        if self._has(p, "open_period") and self._has(p, "close_date"):
            raise _bad("can't specify both open_period and close_date")
        now = int(time.time())
        if self._has(p, "open_period"):
            period = self._int(p, "open_period") or 0
            if not self.POLL_MIN_OPEN_PERIOD <= period <= self.POLL_MAX_OPEN_PERIOD:
                raise _bad("wrong open_period specified")
            poll["open_period"] = period
            poll["close_date"] = now + period
        elif self._has(p, "close_date"):
            close_date = self._int(p, "close_date") or 0
            if not self.POLL_MIN_OPEN_PERIOD <= close_date - now <= self.POLL_MAX_OPEN_PERIOD:
                raise _bad("wrong close_date specified")
            poll["close_date"] = close_date
        markup = self._check_markup(self._json(p, "reply_markup", "reply keyboard markup"))
        reply_to = self._reply_target(chat, p)
        content: JSON = {"poll": poll}
        if markup:
            content["reply_markup"] = markup
        msg = self._store_message(chat, self.bot_user, content, reply_to=reply_to)
        self._polls[poll["id"]] = {"chat_id": chat["id"], "message_id": msg["message_id"], "votes": {}}
        return msg

    def _poll_message(self, poll_id: str) -> JSON | None:
        info = self._polls.get(poll_id)
        if info is None:
            return None
        return self._find_message(info["chat_id"], info["message_id"])

    def _refresh_poll(self, poll: JSON) -> None:
        if not poll["is_closed"] and poll.get("close_date") and poll["close_date"] <= time.time():
            poll["is_closed"] = True

    def _m_stopPoll(self, p: dict[str, Any]) -> JSON:
        if not self._has(p, "chat_id"):
            raise _bad("chat_id is empty")
        chat = self._chat_by_id(p["chat_id"])
        self._check_not_blocked(chat)
        mid = self._int(p, "message_id", required=True)
        msg = self._find_message(chat["id"], mid)
        if msg is None or "poll" not in msg:
            raise _bad("message with poll to stop not found")
        if msg.get("from", {}).get("id") != self.bot_id:
            raise _bad("poll can't be stopped")
        poll = msg["poll"]
        self._refresh_poll(poll)
        if poll["is_closed"]:
            raise _bad("poll has already been closed")
        markup = self._check_markup(self._json(p, "reply_markup", "reply keyboard markup"), inline_only=True)
        poll["is_closed"] = True
        if markup:
            msg["reply_markup"] = markup
        self._enqueue("poll", poll)
        return poll

    # ------------------------------------------------------------------ chat info

    def _member_object(self, chat: JSON, user: JSON) -> JSON:
        stored = self._members.get((chat["id"], user["id"]))
        status = stored["status"] if stored else "member"
        base: JSON = {"user": dict(user), "status": status}
        extra = {k: v for k, v in (stored or {}).items() if k != "status"}
        if status == "creator":
            base.update(is_anonymous=False)
        elif status == "administrator":
            base.update(
                can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                can_delete_messages=True, can_manage_video_chats=True, can_restrict_members=True,
                can_promote_members=False, can_change_info=True, can_invite_users=True,
                can_post_stories=True, can_edit_stories=True, can_delete_stories=True,
                can_pin_messages=True)
            if chat["type"] == "supergroup":
                base["can_manage_topics"] = True
        elif status == "restricted":
            base.update(
                is_member=True, can_send_messages=False, can_send_audios=False,
                can_send_documents=False, can_send_photos=False, can_send_videos=False,
                can_send_video_notes=False, can_send_voice_notes=False, can_send_polls=False,
                can_send_other_messages=False, can_add_web_page_previews=False,
                can_react_to_messages=False, can_change_info=False, can_invite_users=False,
                can_pin_messages=False, can_manage_topics=False, can_edit_tag=False, until_date=0)
        elif status == "kicked":
            base.update(until_date=0)
        elif status not in ("member", "left"):
            raise ValueError(f"unknown chat member status {status!r}")
        base.update(extra)
        return base

    def _m_getChatMember(self, p: dict[str, Any]) -> JSON:
        if not self._has(p, "chat_id"):
            raise _bad("chat_id is empty")
        chat = self._chat_by_id(p["chat_id"])
        if chat["type"] != "private" and chat["id"] in self._blocked:
            self._check_not_blocked(chat)
        user_id = self._int(p, "user_id", required=True)
        user = self._users.get(user_id)
        if user is None:
            raise _bad("user not found")
        if chat["type"] == "private" and user_id not in (chat["id"], self.bot_id):
            raise _bad("user not found")
        return self._member_object(chat, user)

    def _m_getChat(self, p: dict[str, Any]) -> JSON:
        if not self._has(p, "chat_id"):
            raise _bad("chat_id is empty")
        chat = self._chat_by_id(p["chat_id"])
        if chat["type"] != "private" and chat["id"] in self._blocked:
            self._check_not_blocked(chat)
        full = self._chat_short(chat)
        full.update(
            accent_color_id=chat.get("accent_color_id", chat["id"] % 7),
            max_reaction_count=11,
            accepted_gift_types={"unlimited_gifts": False, "limited_gifts": False,
                                 "unique_gifts": False, "premium_subscription": False,
                                 "gifts_from_channels": False},
        )
        for key in ("description", "bio", "invite_link"):
            if chat.get(key):
                full[key] = chat[key]
        if chat["type"] in ("group", "supergroup"):
            full["permissions"] = {
                "can_send_messages": True, "can_send_audios": True, "can_send_documents": True,
                "can_send_photos": True, "can_send_videos": True, "can_send_video_notes": True,
                "can_send_voice_notes": True, "can_send_polls": True,
                "can_send_other_messages": True, "can_add_web_page_previews": True,
                "can_change_info": False, "can_invite_users": True, "can_pin_messages": False,
                "can_manage_topics": False}
        return full

    def _m_sendChatAction(self, p: dict[str, Any]) -> bool:
        chat = self._writable_chat(p)
        action = self._str(p, "action")
        if action is None:
            raise _bad("action is empty")
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._chats[chat["id"]].setdefault("_actions", []).append(action)
        return True

    # ================================================================== simulation API

    # ------------------------------------------------------------------ files: getFile and downloads
    # Users send documents (`send_document`); the bot asks getFile for a file_path and downloads
    # GET /file/bot<token>/<file_path>, as from Telegram. Files over 20 MB cannot be downloaded
    # by bots: getFile answers "Bad Request: file is too big".

    MAX_DOWNLOAD = 20 * 1024 * 1024

    def _init_files(self) -> None:
        self._files: dict[str, JSON] = {}  # file_id -> {"file_unique_id", "data", "file_path"}
        self.downloads: list[str] = []  # file_paths the bot downloaded, in order
        self._methods["getfile"] = self._m_getFile
        self._canonical["getfile"] = "getFile"

    def _m_getFile(self, p: dict[str, Any]) -> JSON:
        file_id = self._str(p, "file_id", required=True)
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored["data"]) > self.MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {"file_id": file_id, "file_unique_id": stored["file_unique_id"], "file_size": len(stored["data"]),
                "file_path": stored["file_path"]}

    def _file_download(self, path: str) -> tuple[int, bytes]:
        url = urlsplit(path)
        url = url._replace(path=unquote(url.path))  # python-telegram-bot quotes the path (":" -> %3A)
        prefix = f"/file/bot{self.token}/"
        not_found = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()
        if not url.path.startswith(prefix):
            return 404, not_found
        wanted = url.path[len(prefix):]
        with self._lock:
            for stored in self._files.values():
                if stored["file_path"] == wanted and len(stored["data"]) <= self.MAX_DOWNLOAD:
                    self.downloads.append(wanted)
                    return 200, stored["data"]
        return 404, not_found

    def send_document(self, chat: JSON | int, user: JSON | int, file_name: str, data: bytes, *,
                      caption: str | None = None, mime_type: str | None = None) -> JSON:
        """A user sends a file as a document (with an optional caption). Returns the Update."""
        with self._cond:
            u = self._user(user)
            c = self._resolve_chat(chat, u)
            n = next(self._ids)
            suffix = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
            file_id = f"BQACAgIAAxkBAAI{n:08d}"
            unique = f"AgAD{n:06d}"
            self._files[file_id] = {"file_unique_id": unique, "data": bytes(data),
                                    "file_path": f"documents/file_{n}{suffix}"}
            document: JSON = {"file_id": file_id, "file_unique_id": unique, "file_name": file_name,
                              "file_size": len(data)}
            if mime_type:
                document["mime_type"] = mime_type
            content: JSON = {"document": document}
            if caption:
                content["caption"] = caption
                entities = find_entities(caption)
                if entities:
                    content["caption_entities"] = _sort_entities(entities)
            msg = self._store_message(c, u, content)
            if self._delivers(c, msg):
                return self._enqueue("message", msg) or {"update_id": None, "message": copy.deepcopy(msg)}
            return {"update_id": None, "message": copy.deepcopy(msg)}

    def user(self, id: int, first_name: str, username: str | None = None, *,
             last_name: str | None = None, language_code: str | None = None,
             is_premium: bool | None = None, is_bot: bool = False) -> JSON:
        """Create (or update) a Telegram user; returns the User object as a dict."""
        if id <= 0:
            raise ValueError("user ids are positive")
        user: JSON = {"id": id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        if is_premium:
            user["is_premium"] = True
        with self._lock:
            self._users[id] = user
        return dict(user)

    def private_chat(self, user: JSON | int) -> JSON:
        """The private chat with *user* (marks the bot as started by the user)."""
        with self._lock:
            u = self._user(user)
            chat = {"id": u["id"], "type": "private", "first_name": u["first_name"]}
            for key in ("last_name", "username"):
                if key in u:
                    chat[key] = u[key]
            old = self._chats.get(u["id"], {})
            chat.update({k: v for k, v in old.items() if k.startswith("_")})
            self._chats[u["id"]] = chat
            self._started.add(u["id"])
            return self._chat_short(chat)

    def group(self, chat_id: int, title: str = "Office", *, type: str = "supergroup",
              username: str | None = None, is_forum: bool = False,
              bot_status: str | None = None) -> JSON:
        """Create a group/supergroup (negative id) the bot is a member of."""
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        if type not in ("group", "supergroup", "channel"):
            raise ValueError("type must be 'group', 'supergroup' or 'channel'")
        chat: JSON = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        if is_forum:
            chat["is_forum"] = True
        with self._lock:
            self._chats[chat_id] = chat
            if bot_status:
                self._members[(chat_id, self.bot_id)] = {"status": bot_status}
        return self._chat_short(chat)

    def _user(self, user: JSON | int | Any) -> JSON:
        uid = user if isinstance(user, int) else user["id"] if isinstance(user, dict) else user.id
        if uid not in self._users:
            raise ValueError(f"unknown user {uid}; create it with server.user(...)")
        return self._users[uid]

    def _resolve_chat(self, chat: JSON | int | Any, user: JSON) -> JSON:
        if isinstance(chat, dict) and chat.get("is_bot") is not None and "type" not in chat:
            chat = chat["id"]  # a User -> private chat
        cid = chat if isinstance(chat, int) else chat["id"] if isinstance(chat, dict) else chat.id
        if cid > 0:
            if cid != user["id"]:
                raise ValueError("a private chat's id is the id of the user writing in it")
            self.private_chat(user)
            return self._chats[cid]
        if cid not in self._chats:
            if isinstance(chat, dict) and chat.get("type") in ("group", "supergroup", "channel"):
                self.group(cid, chat.get("title", "Group"), type=chat["type"], username=chat.get("username"))
            else:
                raise ValueError(f"unknown group {cid}; create it with server.group(...)")
        return self._chats[cid]

    def _resolve_message(self, ref: Any, chat_id: int | None = None) -> JSON:
        """Find a stored message from a dict/Message/Update/Call/(chat, id)/id."""
        if isinstance(ref, Call):
            ref = ref.result
        if isinstance(ref, dict) and "update_id" in ref:
            ref = next((ref[k] for k in ("message", "edited_message", "channel_post") if k in ref), ref)
            if "callback_query" in ref:
                ref = ref["callback_query"]["message"]
        if isinstance(ref, tuple):
            chat_id, ref = ref
        if isinstance(ref, dict):
            chat_id, mid = ref["chat"]["id"], ref["message_id"]
        elif isinstance(ref, int):
            mid = ref
        elif hasattr(ref, "message_id"):
            mid = ref.message_id
            chat_id = ref.chat_id if hasattr(ref, "chat_id") else ref.chat.id
        else:
            raise TypeError(f"can't find a message from {ref!r}")
        if chat_id is None:
            raise ValueError("pass the chat too: (chat_id, message_id)")
        msg = self._find_message(int(chat_id), int(mid))
        if msg is None:
            raise ValueError(f"message {mid} not found in chat {chat_id}")
        return msg

    def _delivers(self, chat: JSON, msg: JSON) -> bool:
        """Privacy mode: which group messages a bot without admin rights receives."""
        if chat["type"] == "private":
            return True
        if chat["id"] in self._blocked:
            return False
        if chat["type"] == "channel" or not self.privacy_mode:
            return True
        if self._bot_status(chat["id"]) in ("administrator", "creator"):
            return True
        reply = msg.get("reply_to_message")
        if reply and reply.get("from", {}).get("id") == self.bot_id:
            return True
        text = msg.get("text", "")
        for e in msg.get("entities", []):
            idx = _u16_to_index(text)
            piece = text[idx[e["offset"]] : idx[e["offset"] + e["length"]]]
            if e["type"] == "bot_command" and e["offset"] == 0:
                _, _, at_bot = piece.partition("@")
                if not at_bot or at_bot.lower() == self.bot_user["username"].lower():
                    return True
            if e["type"] == "mention" and piece[1:].lower() == self.bot_user["username"].lower():
                return True
        return False

    def send_text(self, chat: JSON | int, user: JSON | int, text: str, reply_to: Any = None, *,
                  entities: list[JSON] | None = None) -> JSON:
        """A user writes *text* in *chat*. Returns the Update (``update_id`` is None if
        privacy mode keeps it from the bot). Entities for commands, mentions, hashtags,
        cashtags, URLs and e-mails are added the way Telegram does (UTF-16 offsets)."""
        with self._cond:
            u = self._user(user)
            c = self._resolve_chat(chat, u)
            if c["type"] == "private" and c["id"] in self._blocked:
                self._unblock(c, u)  # writing to a blocked bot restarts it
            parent = None
            if reply_to is not None:
                parent = self._resolve_message(reply_to, c["id"])
                if parent["chat"]["id"] != c["id"]:
                    raise ValueError("reply_to must be a message of the same chat")
            if entities is None:
                entities = find_entities(text)
            content: JSON = {"text": text}
            if entities:
                content["entities"] = _sort_entities(entities)
            msg = self._store_message(c, u, content, reply_to=parent)
            if self._delivers(c, msg):
                return self._enqueue("message", msg) or {"update_id": None, "message": copy.deepcopy(msg)}
            return {"update_id": None, "message": copy.deepcopy(msg)}

    def press_button(self, message: Any, data: str, user: JSON | int, *, strict: bool = True) -> JSON:
        """A user presses the inline button with ``callback_data == data`` on *message*.
        With ``strict`` the button must really be on the (current) message."""
        with self._cond:
            u = self._user(user)
            msg = self._resolve_message(message)
            if strict:
                buttons = [b for row in msg.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
                if not any(b.get("callback_data") == data for b in buttons):
                    raise ValueError(f"message {msg['message_id']} has no button with callback_data={data!r}; "
                                     f"buttons: {buttons}")
            chat = self._chats[msg["chat"]["id"]]
            if chat["type"] == "private" and chat["id"] != u["id"]:
                raise ValueError("only the private chat's user can press its buttons")
            qid = str(4000000000000000000 + next(self._ids))
            self._callback_queries[qid] = {"answered": False, "answer": None}
            query = {"id": qid, "from": dict(u), "message": copy.deepcopy(msg),
                     "chat_instance": str(abs(hash((self.bot_id, chat["id"]))) % 10**19),
                     "data": data}
            return self._enqueue("callback_query", query) or {"update_id": None, "callback_query": query}

    def inline_query(self, user: JSON | int, query: str, *, offset: str = "",
                     chat_type: str | None = "sender") -> JSON:
        """A user types ``@bot query``; returns the inline_query Update."""
        with self._cond:
            u = self._user(user)
            qid = str(3000000000000000000 + next(self._ids))
            self._inline_queries[qid] = {"answered": False, "answer": None}
            payload: JSON = {"id": qid, "from": dict(u), "query": query, "offset": offset}
            if chat_type:
                payload["chat_type"] = chat_type
            return self._enqueue("inline_query", payload) or {"update_id": None, "inline_query": payload}

    def poll_answer(self, poll_id: Any, user: JSON | int, option_ids: Iterable[int]) -> JSON:
        """A user votes. Enqueues ``poll_answer`` (non-anonymous polls only) and ``poll``
        (new state). Returns the poll_answer Update, or the poll Update if anonymous."""
        with self._cond:
            u = self._user(user)
            if not isinstance(poll_id, str):
                msg = self._resolve_message(poll_id)
                poll_id = msg["poll"]["id"]
            msg = self._poll_message(poll_id)
            if msg is None:
                raise ValueError(f"unknown poll {poll_id}")
            poll = msg["poll"]
            self._refresh_poll(poll)
            if poll["is_closed"]:
                raise ValueError("the poll is closed")
            ids = list(option_ids)
            if any(not 0 <= i < len(poll["options"]) for i in ids) or len(set(ids)) != len(ids):
                raise ValueError(f"invalid option ids {ids}")
            if len(ids) > 1 and not poll["allows_multiple_answers"]:
                raise ValueError("this poll allows only one answer")
            votes = self._polls[poll_id]["votes"]
            previous = votes.get(u["id"])
            if previous and not poll["allows_revoting"]:
                raise ValueError("this poll doesn't allow changing the vote")
            for i in previous or []:
                poll["options"][i]["voter_count"] -= 1
            for i in ids:
                poll["options"][i]["voter_count"] += 1
            if ids:
                votes[u["id"]] = ids
            else:
                votes.pop(u["id"], None)
            poll["total_voter_count"] = len(votes)
            answer = None
            if not poll["is_anonymous"]:
                payload = {"poll_id": poll_id, "user": dict(u), "option_ids": ids,
                           "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in ids]}
                answer = self._enqueue("poll_answer", payload)
            poll_update = self._enqueue("poll", poll)
            return answer or poll_update or {"update_id": None, "poll": copy.deepcopy(poll)}

    def member_status(self, chat_id: int, user_id: int, status: str, **fields: Any) -> None:
        """Set what getChatMember returns: creator, administrator, member, restricted,
        left or kicked (extra fields override the defaults, e.g. can_delete_messages=False)."""
        if status not in ("creator", "administrator", "member", "restricted", "left", "kicked"):
            raise ValueError(f"unknown status {status!r}")
        with self._lock:
            self._members[(chat_id, user_id)] = {"status": status, **fields}

    def block_chat(self, chat_id: int, by: JSON | int | None = None) -> JSON | None:
        """The user blocks the bot (private chat) or the bot is kicked (group).
        Sending there then fails with 403; a my_chat_member update is enqueued."""
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                raise ValueError(f"unknown chat {chat_id}")
            actor = self._user(by if by is not None else chat_id) if (by is not None or chat_id > 0) else None
            old = self._member_object(chat, self.bot_user)
            self._blocked.add(chat_id)
            self._members[(chat_id, self.bot_id)] = {"status": "kicked"}
            new = self._member_object(chat, self.bot_user)
            return self._enqueue("my_chat_member", {
                "chat": self._chat_short(chat), "from": dict(actor or self.bot_user),
                "date": int(time.time()), "old_chat_member": old, "new_chat_member": new})

    def unblock_chat(self, chat_id: int, by: JSON | int | None = None) -> JSON | None:
        with self._cond:
            chat = self._chats[chat_id]
            actor = self._user(by if by is not None else chat_id) if (by is not None or chat_id > 0) else self.bot_user
            return self._unblock(chat, actor)

    def _unblock(self, chat: JSON, actor: JSON) -> JSON | None:
        old = self._member_object(chat, self.bot_user)
        self._blocked.discard(chat["id"])
        self._members.pop((chat["id"], self.bot_id), None)
        new = self._member_object(chat, self.bot_user)
        return self._enqueue("my_chat_member", {
            "chat": self._chat_short(chat), "from": dict(actor), "date": int(time.time()),
            "old_chat_member": old, "new_chat_member": new})

    def add_bot_to_group(self, chat_id: int, by: JSON | int, *, title: str = "Office",
                         type: str = "supergroup", status: str = "member") -> JSON | None:
        """An admin adds the bot to a group: my_chat_member update left -> *status*."""
        with self._cond:
            actor = self._user(by)
            if chat_id not in self._chats:
                self.group(chat_id, title, type=type)
            chat = self._chats[chat_id]
            self._blocked.discard(chat_id)
            self._members[(chat_id, self.bot_id)] = {"status": "left"}
            old = self._member_object(chat, self.bot_user)
            self._members[(chat_id, self.bot_id)] = {"status": status}
            new = self._member_object(chat, self.bot_user)
            return self._enqueue("my_chat_member", {
                "chat": self._chat_short(chat), "from": dict(actor), "date": int(time.time()),
                "old_chat_member": old, "new_chat_member": new})

    def inject_error(self, method: str | None, code: int, description: str, *, times: int = 1,
                     retry_after: int | None = None) -> None:
        """Make the next *times* calls of *method* (any method if None) fail, e.g.
        ``inject_error("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)``."""
        params = {"retry_after": retry_after} if retry_after is not None else None
        with self._lock:
            self._injected.append({"method": method.lower() if method else None, "code": code,
                                   "description": description, "times": times, "parameters": params})

    # ------------------------------------------------------------------ inspection

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_of(self, method: str) -> list[Call]:
        m = method.lower()
        with self._lock:
            return [c for c in self._calls if c.method.lower() == m]

    def clear_calls(self) -> None:
        with self._lock:
            self._calls.clear()
            self._consumed.clear()

    def mark(self) -> int:
        """A position for ``wait_for(..., since=mark)``: only calls made after it count."""
        with self._lock:
            return self._calls[-1].seq if self._calls else 0

    def _matching(self, method: str, predicate: Callable[[Call], bool] | None, since: int | None
                  ) -> Iterable[Call]:
        m = method.lower()
        for call in self._calls:
            if call.method.lower() != m or (since is not None and call.seq <= since):
                continue
            if predicate is not None:
                try:
                    if not predicate(call):
                        continue
                except (KeyError, IndexError, TypeError, AttributeError):
                    continue
            yield call

    def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None,
                 timeout: float = 10.0, *, since: int | None = None) -> Call:
        """Block until the bot makes a matching call that no earlier ``wait_for``
        returned; return it. Calls made before ``wait_for`` was called count too
        (no race with a fast bot); pass ``since=server.mark()`` to only accept later ones.
        Blocking: in an async test use :meth:`async_wait_for`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self._matching(method, predicate, since):
                    if call.seq not in self._consumed:
                        self._consumed.add(call.seq)
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [f"{c.method}({c.status})" for c in self._calls[-15:]]
                    raise TimeoutError(f"no new {method} call within {timeout}s; last calls: {seen}")
                self._cond.wait(remaining)

    def wait_for_count(self, method: str, count: int, predicate: Callable[[Call], bool] | None = None,
                       timeout: float = 10.0, *, since: int | None = None) -> list[Call]:
        """Block until at least *count* matching calls exist; return all of them."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = list(self._matching(method, predicate, since))
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"only {len(found)} of {count} {method} calls within {timeout}s")
                self._cond.wait(remaining)

    async def async_wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None,
                             timeout: float = 10.0, *, since: int | None = None) -> Call:
        """:meth:`wait_for` without blocking the event loop the bot runs on."""
        return await asyncio.to_thread(self.wait_for, method, predicate, timeout, since=since)

    async def async_wait_for_count(self, method: str, count: int,
                                   predicate: Callable[[Call], bool] | None = None,
                                   timeout: float = 10.0, *, since: int | None = None) -> list[Call]:
        return await asyncio.to_thread(self.wait_for_count, method, count, predicate, timeout, since=since)

    def wait_until_polling(self, timeout: float = 10.0) -> None:
        """Block until a getUpdates request is waiting (the bot is long polling)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._polling_now:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("nobody is polling getUpdates")
                self._cond.wait(remaining)

    def wait_delivered(self, update: JSON | int | None = None, timeout: float = 10.0) -> None:
        """Block until *update* (default: every queued update) was returned by getUpdates."""
        deadline = time.monotonic() + timeout
        with self._cond:
            target = (update["update_id"] if isinstance(update, dict) else update)
            if target is None:
                target = self._next_update_id - 1
            while self._delivered_up_to < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"update {target} not fetched by the bot")
                self._cond.wait(remaining)

    async def async_wait_delivered(self, update: JSON | int | None = None, timeout: float = 10.0) -> None:
        """:meth:`wait_delivered` without blocking the event loop the bot runs on."""
        await asyncio.to_thread(self.wait_delivered, update, timeout)

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return copy.deepcopy(self._updates)

    def messages(self, chat_id: int) -> list[JSON]:
        with self._lock:
            return copy.deepcopy(list(self._messages.get(chat_id, {}).values()))

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        with self._lock:
            return copy.deepcopy(self._find_message(chat_id, message_id))

    def bot_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Messages the bot sent (and that still exist), oldest first."""
        with self._lock:
            chats = [chat_id] if chat_id is not None else list(self._messages)
            return copy.deepcopy([m for c in chats for m in self._messages.get(c, {}).values()
                                  if m.get("from", {}).get("id") == self.bot_id])

    def callback_answer(self, query_id: str) -> JSON | None:
        """What the bot answered to a callback query (None if not answered yet)."""
        with self._lock:
            return copy.deepcopy(self._callback_queries.get(query_id, {}).get("answer"))

    def inline_answer(self, query_id: str) -> JSON | None:
        with self._lock:
            return copy.deepcopy(self._inline_queries.get(query_id, {}).get("answer"))

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        with self._lock:
            return copy.deepcopy(self._commands.get((self._scope_key(scope), language_code), []))

    @property
    def webhook(self) -> JSON:
        with self._lock:
            return dict(self._webhook)

    def chat_actions(self, chat_id: int) -> list[str]:
        with self._lock:
            return list(self._chats.get(chat_id, {}).get("_actions", []))
