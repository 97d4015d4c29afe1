"""Records as text, Markdown, JSON and SVG for people to read outside the app; pure, no I/O, no Textual."""
