"""`python -m etl.export ...`, the SPEC's name of the export command: hands over to
`python -m report.export`.

Exports render the dashboard's charts, tables and decks (report/, ui/), so the command lives in
report/; this process is replaced by it (exec) and imports none of it.
"""
import os
import sys

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-m", "report.export", *sys.argv[1:]])
