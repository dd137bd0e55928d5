"""/media: stored media files, served to clients and platforms."""
