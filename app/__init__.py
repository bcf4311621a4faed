"""Process entry points: the CLI, settings, logging, and the start-up of the bot, the worker and the demo."""
