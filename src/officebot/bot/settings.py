"""Bot settings: environment variables, with an optional YAML settings file underneath.

    TELEGRAM_BOT_TOKEN         required; the token @BotFather gave (never printed or logged)
    OFFICE_BOT_API_URL         Bot API base URL (default https://api.telegram.org/bot)
    OFFICE_BOT_FILE_URL        where files are downloaded (default: the API URL's …/bot as …/file/bot)
    OFFICE_BOT_DATA            state directory (default ./data)
    OFFICE_BOT_TZ              time zone of schedules (default Asia/Shanghai)
    OFFICE_BOT_ADMINS          user ids allowed admin commands, comma-separated
    OFFICE_BOT_MAX_QUESTION    longest question accepted, in characters (default 500)
    OFFICE_BOT_FLOOD           per-sender flood limit "replies/seconds" (default 30/30)
    OFFICE_BOT_FLOOD_CHAT      replies a group may get in the same window (default 60)
    OFFICE_BOT_RETENTION_DAYS  days questions and feedback are kept, then deleted (default 180)
    OFFICE_BOT_ALLOWLIST       on: only allowed users and groups may use the bot (default off)
    OFFICE_BOT_ALLOWED         user and group ids allowed from the start, comma-separated
    OFFICE_BOT_FOLLOWUP        seconds within which a private question may continue the previous one (default 300; 0: never)
    OFFICE_BOT_WEBHOOK_LISTEN  webhook listen address (default 0.0.0.0)
    OFFICE_BOT_WEBHOOK_PORT    webhook port (default 8443)
    OFFICE_BOT_WEBHOOK_URL     public HTTPS URL Telegram posts updates to (required for --webhook)
    OFFICE_BOT_WEBHOOK_PATH    local path the webhook server answers on (default: the URL's path)
    OFFICE_BOT_WEBHOOK_SECRET  secret token Telegram sends back (default: a random one per run)
    OFFICE_BOT_SETTINGS        YAML settings file (or `office-bot run --settings FILE`)

The settings file uses the keys of `FILE_KEYS`; environment variables win over the file. Relative
paths in the file are relative to the file. Every mistake is one `SettingsError` naming the file
and the line, or the variable.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it

DEFAULT_API_URL = "https://api.telegram.org/bot"
TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
SETTINGS_ENV = "OFFICE_BOT_SETTINGS"
_TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

EXAMPLE_TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the example in Telegram's documentation
TOKEN_MISSING = f"缺少 {TOKEN_ENV}：请把 @BotFather 发给你的令牌设为环境变量，例如 export {TOKEN_ENV}={EXAMPLE_TOKEN}"
TOKEN_MALFORMED = (
    f"{TOKEN_ENV} 格式不对（应为“数字:字母数字串”）：请从 @BotFather 复制完整令牌，"
    f"例如 export {TOKEN_ENV}={EXAMPLE_TOKEN}"
)


class SettingsError(Exception):
    """A settings mistake, worded for the person who runs the bot. Never contains the token."""

    def __init__(self, message: str, where: str | None = None, line: int | None = None):
        self.message = message
        self.where = where
        self.line = line
        place = f"{where}:{line}" if where and line else where
        super().__init__(f"{place}: {message}" if place else message)


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    file_url: str = ""  # base_file_url when set; else derived from api_url
    data_dir: Path = Path("data")
    tz: str = "Asia/Shanghai"
    admins: frozenset[int] = frozenset()
    max_question_chars: int = 500
    flood_limit: int = 30  # questions a user may ask at once; refilled over flood_window seconds
    flood_window: float = 30.0
    flood_chat_limit: int = 60  # replies a group may get in flood_window seconds
    retention_days: int = 180  # questions and feedback older than this are deleted
    allowlist: bool = False  # only `allowed` ids (and ids added by /allow) and admins may use the bot
    allowed: frozenset[int] = frozenset()
    followup_window: int = 300  # seconds: "那书面报告呢" within this of a question is read with it
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_url: str = ""
    webhook_path: str = ""
    webhook_secret: str = field(default="", repr=False)

    @property
    def base_file_url(self) -> str:
        """Where files are downloaded: `file_url`, else Telegram's .../bot becomes .../file/bot."""
        if self.file_url:
            return self.file_url
        url = self.api_url.rstrip("/")
        head, _, last = url.rpartition("/")
        return f"{head}/file/{last}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def url_path(self) -> str:
        """The path the local webhook server answers on."""
        return (self.webhook_path or urlsplit(self.webhook_url).path).strip("/")

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


# key in the settings file -> (environment variable, parser)
def _text(value: str) -> str:
    return str(value).strip()


def _integer(low: int, high: int):
    def parse(value: str) -> int:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError(f"应为整数，而不是“{value}”") from None
        if not low <= number <= high:
            raise ValueError(f"应在 {low} 到 {high} 之间")
        return number

    return parse


def _switch(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("1", "on", "true", "yes", "开", "是"):
        return True
    if word in ("0", "off", "false", "no", "关", "否"):
        return False
    raise ValueError(f"应为 on 或 off，而不是“{value}”")


def _admins(value) -> frozenset[int]:
    items = value if isinstance(value, list) else re.split(r"[\s,，;]+", str(value).strip())
    ids = set()
    for item in items:
        if str(item).strip() == "":
            continue
        try:
            ids.add(int(str(item).strip()))
        except ValueError:
            raise ValueError(f"应为用户 id（整数），而不是“{item}”") from None
    return frozenset(ids)


def _flood(value: str) -> tuple[int, float]:
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", str(value))
    if not m or int(m.group(1)) < 1 or float(m.group(2)) <= 0:
        raise ValueError(f"应为“次数/秒数”，如 30/30，而不是“{value}”")
    return int(m.group(1)), float(m.group(2))


def _api_url(value: str) -> str:
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("应为 http:// 或 https:// 开头的地址，如 http://127.0.0.1:8081/bot")
    return url


def _zone(value: str) -> str:
    name = str(value).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"未知时区“{name}”，如 Asia/Shanghai") from None
    return name


def _secret(value: str) -> str:
    secret = str(value).strip()
    if not _SECRET.fullmatch(secret):
        raise ValueError("只能由 1–256 个字母、数字、_ 和 - 组成")
    return secret


FILE_KEYS: dict[str, tuple[str, object]] = {
    "token": (TOKEN_ENV, _text),
    "api_url": ("OFFICE_BOT_API_URL", _api_url),
    "file_url": ("OFFICE_BOT_FILE_URL", _api_url),
    "data_dir": ("OFFICE_BOT_DATA", _text),
    "tz": ("OFFICE_BOT_TZ", _zone),
    "admins": ("OFFICE_BOT_ADMINS", _admins),
    "max_question_chars": ("OFFICE_BOT_MAX_QUESTION", _integer(10, 4000)),
    "flood": ("OFFICE_BOT_FLOOD", _flood),
    "flood_chat": ("OFFICE_BOT_FLOOD_CHAT", _integer(1, 100_000)),
    "retention_days": ("OFFICE_BOT_RETENTION_DAYS", _integer(1, 36_500)),
    "allowlist": ("OFFICE_BOT_ALLOWLIST", _switch),
    "allowed": ("OFFICE_BOT_ALLOWED", _admins),
    "followup_window": ("OFFICE_BOT_FOLLOWUP", _integer(0, 86400)),
}
WEBHOOK_KEYS: dict[str, tuple[str, object]] = {
    "listen": ("OFFICE_BOT_WEBHOOK_LISTEN", _text),
    "port": ("OFFICE_BOT_WEBHOOK_PORT", _integer(1, 65535)),
    "url": ("OFFICE_BOT_WEBHOOK_URL", _api_url),
    "path": ("OFFICE_BOT_WEBHOOK_PATH", _text),
    "secret_token": ("OFFICE_BOT_WEBHOOK_SECRET", _secret),
}


def _read_file(path: Path) -> dict[str, tuple[object, int]]:
    """The settings file as {key: (value, line)}; `webhook.port` style keys for the section."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError("设置文件不存在", where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"读不了设置文件：{exc.__class__.__name__}", where) from None
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SettingsError(f"YAML 格式错误：{exc.problem or exc.context}", where, mark.line + 1 if mark else None)
    except yaml.YAMLError as exc:
        raise SettingsError(f"YAML 格式错误：{exc}", where) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise SettingsError("应为“键: 值”的映射", where, root.start_mark.line + 1)
    loader = yaml.SafeLoader("")
    values: dict[str, tuple[object, int]] = {}

    def walk(node: yaml.MappingNode, allowed: dict, prefix: str) -> None:
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if prefix == "" and key == "webhook":
                if not isinstance(value_node, yaml.MappingNode):
                    raise SettingsError("webhook 应为映射（listen、port、url、path、secret_token）", where, line)
                walk(value_node, WEBHOOK_KEYS, "webhook.")
                continue
            if key not in allowed:
                known = ", ".join(sorted(allowed) + (["webhook"] if not prefix else []))
                raise SettingsError(f"未知设置“{prefix}{key}”（可用：{known}）", where, line)
            if isinstance(value_node, yaml.MappingNode):
                raise SettingsError(f"“{prefix}{key}”的值不应是映射", where, line)
            value = loader.construct_object(value_node, deep=True)
            values[prefix + key] = ("" if value is None else value, line)

    walk(root, FILE_KEYS, "")
    return values


def load_settings(settings_file: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment over the optional file; raises `SettingsError`."""
    env = os.environ if environ is None else environ
    file_name = settings_file or env.get(SETTINGS_ENV, "").strip() or None
    path = Path(file_name).expanduser() if file_name else None
    from_file = _read_file(path) if path else {}
    raw: dict[str, object] = {}
    for table, prefix in ((FILE_KEYS, ""), (WEBHOOK_KEYS, "webhook.")):
        for key, (var, parse) in table.items():
            name = prefix + key
            if env.get(var, "").strip():
                where, line, value = var, None, env[var]
            elif name in from_file:
                value, line = from_file[name]
                where = str(path)
            else:
                continue
            if name == "token":
                raw[name] = (value, where, line)
                continue
            try:
                parsed = parse(value)  # type: ignore[operator]
            except ValueError as exc:
                if where == var:
                    raise SettingsError(f"{var} {exc}") from None
                raise SettingsError(f"{name} {exc}", where, line) from None
            if name == "data_dir" and where != var and path is not None and not Path(parsed).expanduser().is_absolute():
                parsed = str(path.parent / parsed)
            raw[name] = parsed

    token_value, token_where, token_line = raw.pop("token", ("", None, None))  # type: ignore[misc]
    token = str(token_value).strip()
    if not token:
        raise SettingsError(TOKEN_MISSING)
    if not _TOKEN.fullmatch(token):
        if token_where and token_where != TOKEN_ENV:
            raise SettingsError(TOKEN_MALFORMED, token_where, token_line)
        raise SettingsError(TOKEN_MALFORMED)

    settings = Settings(token=token)
    flood = raw.pop("flood", None)
    if flood:
        settings = replace(settings, flood_limit=flood[0], flood_window=flood[1])  # type: ignore[index]
    if "flood_chat" in raw:
        settings = replace(settings, flood_chat_limit=raw.pop("flood_chat"))  # type: ignore[arg-type]
    if "data_dir" in raw:
        settings = replace(settings, data_dir=Path(str(raw.pop("data_dir"))).expanduser())
    for key in list(raw):
        if key.startswith("webhook."):
            name = "webhook_" + {"secret_token": "secret"}.get(key[8:], key[8:])
            settings = replace(settings, **{name: raw.pop(key)})
    return replace(settings, **raw)  # type: ignore[arg-type]


def check_webhook(settings: Settings) -> Settings:
    """Settings ready for webhook mode: a public URL is required, a secret is made if missing."""
    if not settings.webhook_url:
        raise SettingsError("webhook 模式需要公网地址：请设置 OFFICE_BOT_WEBHOOK_URL=https://你的域名/路径")
    if not settings.webhook_secret:
        settings = replace(settings, webhook_secret=secrets.token_urlsafe(32))
    return settings
