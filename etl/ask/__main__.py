"""python -m etl.ask "问题" --db DB [--json] | --eval QUESTIONS.jsonl --db DB: see etl/ask/cli.py."""
import sys

from etl.ask.cli import main

sys.exit(main())
