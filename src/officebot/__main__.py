"""`python -m officebot` is `office-bot`."""

import sys

from officebot.cli import main

sys.exit(main())
