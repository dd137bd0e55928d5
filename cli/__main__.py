"""``python -m cli``: what ``autopersonas dev`` uses to start its children with this interpreter."""

import sys

from cli.main import main

sys.exit(main())
