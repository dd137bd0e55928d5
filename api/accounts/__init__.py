"""/accounts: connected social accounts and the OAuth connection flow."""
