"""Rongshu's benchmarks: `python -m bench` (the SPEC's `python -m etl.bench` hands over to it).

They measure the ETL (etl/) and the dashboard (ui/, views/), so they sit beside both, outside
etl/: nothing in etl imports them. `harness` is what every part shares; `synth` writes the
synthetic archives; `printed` prints the seeds as PDF pages and scans."""
