"""Routes of the Zaken API, one module per resource (translate only)."""
