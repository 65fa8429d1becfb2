"""The organisation registry shared by affiliation resolution and the stack audit."""
