"""``/social-import``: bring a connected account's history into its profile's media library."""
