"""Run the reader with `python -m ketaguide_tui`."""

from ketaguide_tui.cli import main

raise SystemExit(main())
