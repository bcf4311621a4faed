"""`python -m app` is the same as the `noticebot` command; the start-up order lives in app/run.py."""

import sys

from app.cli import main

sys.exit(main())
