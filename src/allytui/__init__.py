"""allytui: a keyboard-driven tool for building community alliances, with every record in git."""

__version__ = "0.1.0"
