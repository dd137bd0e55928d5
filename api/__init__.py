"""The FastAPI front end: authenticates callers, starts workflows and serves resource and status reads."""
