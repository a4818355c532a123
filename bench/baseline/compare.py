"""Whether Delta tables hold the same rows (sums of doubles to 6 decimals): one JSON line per pair.

Usage: compare.py TABLE_A TABLE_B [TABLE_A TABLE_B ...]
"""

import json
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T


def rounded(df):
    """The table with its double columns rounded (their sums depend on the order of addition)."""
    return df.select(
        *[
            F.round(F.col(f.name), 6).alias(f.name) if isinstance(f.dataType, T.DoubleType) else F.col(f.name)
            for f in df.schema.fields
        ]
    )


def main():
    paths = sys.argv[1:]
    if not paths or len(paths) % 2:
        sys.exit(__doc__)
    spark = SparkSession.builder.appName("compare-tables").getOrCreate()
    for a_path, b_path in zip(paths[::2], paths[1::2], strict=True):
        a = rounded(spark.read.format("delta").load(a_path))
        b = rounded(spark.read.format("delta").load(b_path)).select(*a.columns)
        result = {
            "a": a_path,
            "b": b_path,
            "rows_a": a.count(),
            "rows_b": b.count(),
            "only_a": a.exceptAll(b).count(),
            "only_b": b.exceptAll(a).count(),
        }
        print("COMPARE " + json.dumps(result), flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
