"""The embedded embeddings model."""
