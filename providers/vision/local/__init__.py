"""The embedded vision provider: photo features measured from the pixels, offline and deterministic."""
