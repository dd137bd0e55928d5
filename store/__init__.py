"""Persistence: models, the async engine, repositories (all SQL lives here) and migrations."""
