"""Sinks: each module's `start` streams a DataFrame into one kind of store."""
