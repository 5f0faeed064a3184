"""The shared core: what both the desktop program and mms-operator use.

Small and free of the desktop's services, storage and window, so the operator
depends on it (and on the domain and the documents) and on nothing else of
the desktop. import-linter holds both sides to that.
"""
