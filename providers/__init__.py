"""Adapters to the outside world, one sub-package per kind, each a Protocol with a local default."""
