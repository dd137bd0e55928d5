"""/jobs: short generation jobs and their results."""
