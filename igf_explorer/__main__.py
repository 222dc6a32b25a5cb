"""Allow ``python -m igf_explorer``."""

import sys

from igf_explorer.cli import main

sys.exit(main())
