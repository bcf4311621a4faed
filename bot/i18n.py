"""The catalogs the handlers translate with: the one loader lives in ``services.translations`` (the
use cases translate too, without aiogram); here for the routers, texts and tests."""

from __future__ import annotations

from services.translations import DOMAIN, LOCALES, Words, catalogs, words

__all__ = ["DOMAIN", "LOCALES", "Words", "catalogs", "words"]
