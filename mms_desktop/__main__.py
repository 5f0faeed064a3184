import sys

from mms_desktop.cli import main

sys.exit(main())
