"""Text embeddings for retrieving a profile's nearest written-voice samples."""
