"""The Telegram side of office-bot: settings, state, rendering and handlers."""
