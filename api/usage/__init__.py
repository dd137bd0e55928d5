"""/usage: charges per day and billable action."""
