"""``/collaborations``: content with several of the account's influencers together."""
