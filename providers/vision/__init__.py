"""Vision providers."""
