"""office-bot: answers questions about office work from the speeches in the knowledge base."""

__version__ = "0.1.0"
