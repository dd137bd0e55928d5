"""``/webhooks``: endpoints that receive signed events, their secrets, and the log of their deliveries."""
