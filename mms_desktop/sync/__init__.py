"""Talking to the operator: the HTTP client of the protocol, and the token's keeping."""
