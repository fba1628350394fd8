"""Test support: a real server on loopback, databases, tokens."""
