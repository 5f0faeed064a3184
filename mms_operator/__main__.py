"""``python -m mms_operator`` is ``mms-operator``."""

import sys

from mms_operator.cli import main

sys.exit(main())
