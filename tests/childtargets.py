"""Work for a spawned child process in the tests: it imports this module by name, so what it runs
must live in a module, not in a test's closure."""

from __future__ import annotations

import os
import signal


def killed(*_args) -> None:
    """A child killed while it indexes, as the kernel's out-of-memory killer would."""
    os.kill(os.getpid(), signal.SIGKILL)


def failing(*_args) -> None:
    """A child whose indexing fails with an error."""
    raise RuntimeError("indexing failed")
