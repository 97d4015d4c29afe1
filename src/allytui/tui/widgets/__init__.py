"""Reusable widgets, each with its own messages."""
