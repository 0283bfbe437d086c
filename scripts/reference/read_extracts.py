"""Times pyarrow's CSV reader on the extracts an experience study reads, file by file, the
yardstick for carepool's own reading (the experience benchmark prints its read time on the
same files). Run by hand; see README.md here.

    python read_extracts.py DIR
"""

import sys
import time

import pyarrow as pa
import pyarrow.csv as pacsv

FILES = [
    "members.csv",
    "coverage.csv",
    "families.csv",
    "locations.csv",
    "providers.csv",
    "claims_extract.csv",
]


def main():
    folder = sys.argv[1]
    total = 0.0
    for name in FILES:
        started = time.perf_counter()
        table = pacsv.read_csv(f"{folder}/{name}")
        elapsed = time.perf_counter() - started
        total += elapsed
        print(f"{name}: {table.num_rows} rows, {elapsed:.2f} s")
    print(f"pyarrow {pa.__version__} on {pa.cpu_count()} cores: {total:.2f} s in all")


if __name__ == "__main__":
    main()
