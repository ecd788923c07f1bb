"""Settings: environment over an optional YAML file; every mistake names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from officebot.bot.settings import (
    DEFAULT_API_URL,
    TOKEN_MALFORMED,
    TOKEN_MISSING,
    SettingsError,
    check_webhook,
    load_settings,
)

TOKEN = "123456:ABC-def_ghi"


def env(**values: str) -> dict[str, str]:
    return {"TELEGRAM_BOT_TOKEN": TOKEN, **values}


def test_defaults():
    s = load_settings(environ=env())
    assert s.token == TOKEN and s.api_url == DEFAULT_API_URL
    assert s.base_file_url == "https://api.telegram.org/file/bot"
    assert s.data_dir == Path("data") and s.tz == "Asia/Shanghai" and s.admins == frozenset()
    assert TOKEN not in repr(s)


def test_environment_variables():
    s = load_settings(environ=env(
        OFFICE_BOT_API_URL="http://127.0.0.1:8081/bot", OFFICE_BOT_DATA="/var/lib/office-bot",
        OFFICE_BOT_TZ="UTC", OFFICE_BOT_ADMINS="1, 2;3 4", OFFICE_BOT_FLOOD="5/10", OFFICE_BOT_MAX_QUESTION="300",
    ))
    assert s.api_url == "http://127.0.0.1:8081/bot" and s.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert s.data_dir == Path("/var/lib/office-bot") and s.tz == "UTC"
    assert s.admins == {1, 2, 3, 4} and s.is_admin(3) and not s.is_admin(5) and not s.is_admin(None)
    assert (s.flood_limit, s.flood_window, s.max_question_chars) == (5, 10.0, 300)


@pytest.mark.parametrize("token, message", [(None, TOKEN_MISSING), ("", TOKEN_MISSING), ("  ", TOKEN_MISSING),
                                            ("abc", TOKEN_MALFORMED), ("123:", TOKEN_MALFORMED),
                                            ("123:a b", TOKEN_MALFORMED), ("x123:abc", TOKEN_MALFORMED)])
def test_missing_or_malformed_token(token, message):
    environ = {} if token is None else {"TELEGRAM_BOT_TOKEN": token}
    with pytest.raises(SettingsError) as info:
        load_settings(environ=environ)
    assert str(info.value) == message
    assert "\n" not in message and "export TELEGRAM_BOT_TOKEN=" in message


def test_token_is_stripped():
    assert load_settings(environ={"TELEGRAM_BOT_TOKEN": f" {TOKEN}\n"}).token == TOKEN


@pytest.mark.parametrize("var, value, fragment", [
    ("OFFICE_BOT_API_URL", "ftp://x", "http://"),
    ("OFFICE_BOT_TZ", "Mars/Olympus", "未知时区"),
    ("OFFICE_BOT_ADMINS", "12,abc", "abc"),
    ("OFFICE_BOT_FLOOD", "fast", "次数/秒数"),
    ("OFFICE_BOT_MAX_QUESTION", "0", "之间"),
    ("OFFICE_BOT_WEBHOOK_PORT", "99999", "之间"),
    ("OFFICE_BOT_WEBHOOK_SECRET", "has space", "字母"),
])
def test_bad_environment_values_name_the_variable(var, value, fragment):
    with pytest.raises(SettingsError) as info:
        load_settings(environ=env(**{var: value}))
    assert str(info.value).startswith(f"{var} ") and fragment in str(info.value)


def test_settings_file_with_webhook_section(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text(
        "api_url: http://127.0.0.1:9/bot\n"
        "data_dir: state\n"
        "admins: [7, 8]\n"
        "flood: 3/9\n"
        "webhook:\n"
        "  listen: 127.0.0.1\n"
        "  port: 8443\n"
        "  url: https://bot.example.org/hook\n"
        "  secret_token: abc_DEF-1\n",
        encoding="utf-8",
    )
    s = load_settings(path, environ=env(OFFICE_BOT_ADMINS="9"))
    assert s.api_url == "http://127.0.0.1:9/bot"
    assert s.data_dir == tmp_path / "state"  # relative to the file
    assert s.admins == {9}  # the environment wins
    assert (s.flood_limit, s.flood_window) == (3, 9.0)
    assert (s.webhook_listen, s.webhook_port, s.webhook_url, s.webhook_secret) == (
        "127.0.0.1", 8443, "https://bot.example.org/hook", "abc_DEF-1")
    assert s.url_path == "hook"
    assert check_webhook(s).webhook_secret == "abc_DEF-1"


def test_settings_file_from_the_environment(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text("token: '654321:FROM-file'\ntz: UTC\n", encoding="utf-8")
    s = load_settings(environ={"OFFICE_BOT_SETTINGS": str(path)})
    assert s.token == "654321:FROM-file" and s.tz == "UTC"


@pytest.mark.parametrize("text, line, fragment", [
    ("tz: UTC\ncolour: blue\n", 2, "未知设置“colour”"),
    ("tz: UTC\nwebhook:\n  port: 80\n  host: x\n", 4, "webhook.host"),
    ("tz: UTC\nwebhook: yes\n", 2, "webhook 应为映射"),
    ("admins: [1, two]\n", 1, "two"),
    ("tz: [UTC\n", 2, "YAML"),
    ("- a\n- b\n", 1, "映射"),
    ("\n\ntoken: 'bad token'\n", 3, "TELEGRAM_BOT_TOKEN 格式不对"),
    ("flood:\n  a: 1\n", 1, "不应是映射"),
])
def test_settings_file_errors_name_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path, environ={} if "token" in text else env())
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert fragment in str(info.value)
    assert "bad token" not in str(info.value)


def test_missing_settings_file(tmp_path):
    with pytest.raises(SettingsError, match="设置文件不存在"):
        load_settings(tmp_path / "nope.yaml", environ=env())


def test_empty_settings_file_is_fine(tmp_path):
    path = tmp_path / "bot.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_settings(path, environ=env()).token == TOKEN


def test_webhook_needs_a_url_and_gets_a_secret():
    with pytest.raises(SettingsError, match="OFFICE_BOT_WEBHOOK_URL"):
        check_webhook(load_settings(environ=env()))
    s = check_webhook(load_settings(environ=env(OFFICE_BOT_WEBHOOK_URL="https://x.example.org/a/b")))
    assert len(s.webhook_secret) >= 32 and s.url_path == "a/b"
    s = check_webhook(load_settings(environ=env(OFFICE_BOT_WEBHOOK_URL="https://x.example.org/a", OFFICE_BOT_WEBHOOK_PATH="/local/")))
    assert s.url_path == "local"
