"""Voice providers."""
