import sys

from etl.evaluate.cli import main

sys.exit(main())
