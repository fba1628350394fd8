"""Use cases: one verb, one transaction each."""
