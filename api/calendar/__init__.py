"""/calendar: scheduled, published and upcoming campaign posts in one window."""
