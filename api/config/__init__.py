"""/config: feature flags, pricing and aesthetic grades."""
