"""The Textual interface: screens, widgets and styles. Nothing outside this package imports it."""
