"""/campaigns: recurring content on Temporal Schedules."""
