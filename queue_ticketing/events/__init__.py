"""Live events: one bus per process, fed by local commits and (on PostgreSQL) LISTEN/NOTIFY."""
