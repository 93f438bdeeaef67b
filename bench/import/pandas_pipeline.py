# The same work ingest.Import does, in pandas: read with the missing-value
# tokens, type currency / percent / date / yes-no columns, drop duplicate
# rows, and profile every column (nulls, distinct, min/max, top 5).
# Prints wall and CPU seconds. Used by bench/import as the fair baseline.
import sys, time
import pandas as pd

t, c = time.time(), time.process_time()
df = pd.read_csv(sys.argv[1], na_values=["NA", "N/A", "null", "none", "-"], low_memory=False)
for col in df.columns:
    s = df[col]
    if s.dtype != object:
        continue
    sample = s.dropna().astype(str).head(20000)
    if len(sample) == 0:
        continue
    if sample.str.fullmatch(r"-?\$[\d,]+(\.\d+)?").all():
        df[col] = pd.to_numeric(s.str.replace(r"[$,]", "", regex=True), errors="coerce")
    elif sample.str.fullmatch(r"-?[\d.]+%").all():
        df[col] = pd.to_numeric(s.str.rstrip("%"), errors="coerce")
    elif sample.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
        df[col] = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    elif sample.str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}").all():
        df[col] = pd.to_datetime(s, format="%m/%d/%Y", errors="coerce")
    elif sample.str.lower().isin(["yes", "no", "y", "n", "true", "false"]).all():
        df[col] = s.str.lower().isin(["yes", "y", "true"])
df = df.drop_duplicates()
for col in df.columns:
    s = df[col]
    s.isna().sum(), s.nunique(), s.value_counts().head(5)
    if s.dtype != object:
        s.min(), s.max()
print(time.time() - t, time.process_time() - c)
