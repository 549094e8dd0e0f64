"""``python -m letterkit``: the same as the ``letterkit`` command."""

import sys

from .cli.main import main

sys.exit(main())
