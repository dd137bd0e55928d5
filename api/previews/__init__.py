"""/previews: candidate looks of an influencer, read and adopted."""
