"""The one SQLite store: the only place in the program that issues SQL."""
