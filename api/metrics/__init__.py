"""GET /metrics: the API process's Prometheus metrics, and the middleware that counts requests."""
