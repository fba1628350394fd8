"""HTTP API of the central service (FastAPI): routes translate, use cases decide."""
