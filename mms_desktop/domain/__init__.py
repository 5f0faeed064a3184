"""The domain: organisations, calls, applications, budgets and their rules.

Pure Python. Nothing here may import Qt, SQL, HTTP or PDF code, or do I/O
(import-linter checks this in CI).
"""
