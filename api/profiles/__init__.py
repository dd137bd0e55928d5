"""/profiles: AI influencer and managed profiles, and their content directions."""
