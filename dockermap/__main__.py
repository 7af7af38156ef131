"""``python -m dockermap``: the ``dockermap`` command."""

from dockermap.cli import main

raise SystemExit(main())
