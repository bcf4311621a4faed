"""The use-case layer: every change of state happens in one function here (see docs/architecture.md)."""
