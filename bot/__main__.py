"""`python -m bot` is the same as the `noticebot` command; the start-up order lives in bot/app.py."""

import sys

from bot.cli import main

sys.exit(main())
