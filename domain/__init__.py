"""Pure rules shared by the API, workflows and activities: statuses and their transition tables, the
shared vocabulary (views, times of day, seeds), pricing and aesthetic grades. No I/O, so the Temporal
workflow sandbox can load any of it."""
