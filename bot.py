"""Start the office-bot Telegram bot: `python bot.py [--webhook] [--settings FILE] [--knowledge DIR]`.

The same as `office-bot run`; see src/officebot/bot/app.py for what it does and src/officebot/bot/settings.py for
the environment variables (TELEGRAM_BOT_TOKEN is required).
"""

import sys

from officebot.bot.app import main
from officebot.cli import build_parser

if __name__ == "__main__":
    args = build_parser().parse_args(["run", *sys.argv[1:]])
    sys.exit(main(webhook=args.webhook, knowledge=args.knowledge, settings_file=args.settings))
