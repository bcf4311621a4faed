"""The HTTP side: health, metrics, the Telegram webhook and the calendar feed (aiohttp)."""
