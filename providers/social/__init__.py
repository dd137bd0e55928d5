"""Social providers."""
