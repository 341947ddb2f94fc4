"""Alembic migration environment for the tidings schema (run through ``tidings.store``)."""
