"""The embedded image generator: draws real, prompt-dependent PNGs offline and deterministically."""
