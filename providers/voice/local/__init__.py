"""The embedded voice provider."""
