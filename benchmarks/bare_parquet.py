"""The yardstick of batch's Parquet run: read the scenarios, do only the integer-cent arithmetic, write it.

Run by ``benchmarks/run.py --parquet-pairs`` beside ``xl-rollover batch in.parquet -o out.parquet``:
``python benchmarks/bare_parquet.py IN OUT``. Prorata: Form 8606 line 10's ratio to 3 places and line 11,
half-up; penalty: 10% before 59 1/2 (IRC 72(t)(1)). No checks, no explanations, no exact decimal output.
"""

import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

frame = pd.read_parquet(sys.argv[1])
out = {}
pr = (frame["function"] == "prorata_taxable").to_numpy()
conv = np.rint(frame["converted"].to_numpy()[pr] * 100).astype(np.int64)
basis = np.rint(frame["basis"].to_numpy()[pr] * 100).astype(np.int64)
yev = np.rint(frame["year_end_value"].to_numpy()[pr] * 100).astype(np.int64)
den = yev + conv
ratio = np.minimum(1000, (basis * 2000 + den) // (2 * np.maximum(den, 1)))  # line 10, 3 places half-up
nontax = (conv * ratio * 2 + 1000) // 2000
taxable = conv - nontax
pe = ~pr
amt = np.rint(frame["taxable_amount"].to_numpy()[pe] * 100).astype(np.int64)
age = frame["age"].to_numpy()[pe]
pen = np.where(age < 59.5, (amt * 10 + 50) // 100, 0)
res = np.zeros(len(frame), np.int64)
res[pr] = taxable
res[pe] = pen
pq.write_table(pa.table({"result_cents": res}), sys.argv[2])
