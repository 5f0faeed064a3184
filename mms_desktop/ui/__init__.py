"""The desktop window (PySide6 widgets). Calls services; never issues SQL itself."""
