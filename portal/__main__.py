"""`python -m portal admin …`: curator accounts (portal/admin/cli.py)."""

import sys

from portal.admin.cli import main

if __name__ == "__main__":
    sys.exit(main())
