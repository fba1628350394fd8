"""Persistence: SQLAlchemy Core tables, stores and the unit of work."""
