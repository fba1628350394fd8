"""The pure domain of the queue: no framework, no database, no GUI (see DESIGN.md)."""
