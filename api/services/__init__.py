"""Domain services behind the endpoints: they validate against the database, change rows and start
workflows; they never commit (the request does) and never build HTTP responses."""
