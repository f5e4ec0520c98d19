import sys

from bgtasks.cli import main

sys.exit(main())
