"""Pure rules shared by the API, workflows and activities: statuses and their transitions, vocabulary,
seeds and pricing. No I/O here."""
