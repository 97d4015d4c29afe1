"""The non-interactive commands: init, check, set, show, list, rm, import, export, demo."""
