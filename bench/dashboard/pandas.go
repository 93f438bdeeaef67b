package main

// pandasScript computes what the Buyers dashboard computes (current and
// previous period KPIs, weekly series, category breakdowns) with pandas,
// the way an analyst would in a notebook. Loading (read_csv, parsing money
// and dates, normalizing emails) and the per-customer work that no filter changes (each
// customer's first purchase row and 90-day revenue, which the app does
// once at import) are timed separately from computing.
const pandasScript = `
import json, sys, time
import pandas as pd

args = json.loads(sys.argv[1])
f = args["filters"]
t0 = time.perf_counter()
cats = ["channel", "gender", "age_range", "income_range", "state"]
df = pd.read_csv(args["file"], usecols=["order_id", "order_date", "customer_email", "revenue", "refund", "cost"] + cats,
                 dtype={c: "category" for c in cats}, parse_dates=["order_date"])
for c in ["revenue", "refund", "cost"]:
    df[c] = pd.to_numeric(df[c].astype(str).str.replace(r"[$,]", "", regex=True), errors="coerce")
df["customer_email"] = df["customer_email"].str.strip().str.lower()
load = time.perf_counter() - t0

# Once per file: each customer's first dated purchase row (ties: lowest
# order id) carries their revenue over the 90 days from that day.
t1 = time.perf_counter()
dated = df.dropna(subset=["customer_email", "order_date"])
first_rows = dated.sort_values(["order_date", "order_id"], kind="stable").drop_duplicates("customer_email")
fd = first_rows.set_index("customer_email")["order_date"].rename("fd")
m = dated.join(fd, on="customer_email")
r90 = m[m["order_date"] < m["fd"] + pd.Timedelta(days=90)].groupby("customer_email")["revenue"].sum()
df["new90"] = float("nan")
df.loc[first_rows.index, "new90"] = r90.reindex(first_rows["customer_email"]).fillna(0).to_numpy()
prepare = time.perf_counter() - t1

cur_from, cur_to = pd.Timestamp(f["dateFrom"]), pd.Timestamp(f["dateTo"])
days = (cur_to - cur_from).days + 1
prev_to = cur_from - pd.Timedelta(days=1)
prev_from = prev_to - pd.Timedelta(days=days - 1)

def gender(s):
    low = s.astype(str).str.strip().str.lower()
    out = pd.Series("Other", index=s.index)
    out[low.isin(["m", "male", "man"])] = "Male"
    out[low.isin(["f", "female", "woman"])] = "Female"
    out[s.isna()] = None
    return out

def compute(df):
    vf = df
    for col, vals in (f.get("values") or {}).items():
        vf = vf[vf[col].isin(vals)]
    d = vf["order_date"]
    cur = vf[(d >= cur_from) & (d <= cur_to)]
    prev = vf[(d >= prev_from) & (d <= prev_to)]
    out = {}
    for name, x in (("", cur), ("prev_", prev)):
        rev = x["revenue"].sum()
        new = x["new90"].count()
        out[name + "total_revenue"] = rev
        out[name + "aov"] = rev / x["order_id"].nunique()
        out[name + "refunds"] = x["refund"].sum()
        out[name + "net_revenue"] = rev - x["refund"].sum()
        out[name + "ltv_90"] = x["new90"].sum() / new
        out[name + "cac"] = x["cost"].sum() / new
        for c in cats:
            col = gender(x[c]) if c == "gender" else x[c]
            x.groupby(col, observed=True)["revenue"].agg(["size", "sum"])
    cur.groupby(cur["order_date"].dt.to_period("W"))["revenue"].agg(["size", "sum"])
    return out

times = []
for _ in range(args["runs"]):
    s = time.perf_counter()
    kpis = compute(df)
    times.append(time.perf_counter() - s)
times.sort()
print(json.dumps({"load": load, "prepare": prepare, "computeMedian": times[len(times) // 2], "kpis": {k: float(v) for k, v in kpis.items()}}))
`
