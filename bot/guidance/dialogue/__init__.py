"""Conversation rules: one module per topic, each rule a function from a Turn to a Reply."""
