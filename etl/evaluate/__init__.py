"""Evaluation: a database's claims scored against hand annotations (`scoring`, the shared
scorer's rules) and the command line that builds a corpus and scores it (`cli`)."""
