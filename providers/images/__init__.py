"""Images providers."""
