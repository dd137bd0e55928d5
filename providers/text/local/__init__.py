"""The embedded text generator: captions, wardrobe and directions, offline and deterministic."""
