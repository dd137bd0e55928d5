"""/characters: an influencer's ingredients, wardrobe generation and photo analysis."""
