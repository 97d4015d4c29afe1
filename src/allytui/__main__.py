"""Entry point: `allytui` and `python -m allytui`."""

from __future__ import annotations

import sys

from allytui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
