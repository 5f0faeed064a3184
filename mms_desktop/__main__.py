import sys

from mms_desktop import collector

collector.hold_back()  # before the imports: see mms_desktop.collector

from mms_desktop.cli import main  # noqa: E402

sys.exit(main())
