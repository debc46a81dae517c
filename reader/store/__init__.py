"""SQLite persistence (SQLAlchemy 2.0 typed ORM, Alembic migrations)."""
