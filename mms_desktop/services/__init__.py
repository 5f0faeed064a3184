"""Use cases shared by the GUI and the command line: open, edit, validate, import, export."""
