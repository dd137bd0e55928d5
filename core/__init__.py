"""Shared foundations: settings, ids, errors, Temporal client factory, logging. Imports nothing of ours."""
