"""`make bench`: figures measured against a real server, kept out of the test suite."""
