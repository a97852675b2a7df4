"""`python -m etl.bench ...`, the SPEC's name of the benchmark: hands over to `python -m bench`.

The benchmarks measure the dashboard as well as the ETL, so they live beside etl/ in bench/;
this process is replaced by that command (exec) and imports none of it.
"""
import os
import sys

if __name__ == "__main__":
    os.execv(sys.executable, [sys.executable, "-m", "bench", *sys.argv[1:]])
