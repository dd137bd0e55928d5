"""/influencers: AI influencers, their reference images, reference packs and preview looks."""
