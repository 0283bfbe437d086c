"""The experience study's exposure and claims by month, computed again with pandas (reading
with pyarrow) or polars, to check carepool's numbers and time it against them on the same
extracts. Run by hand (see README.md here); not part of the test suite.

    python experience_periods.py --engine pandas|polars --dir DIR --from 2025-04-01 \
        --to 2028-03-31 [--check STUDY.json]

DIR holds the registry's members.csv and coverage.csv and a claims extract, claims_extract.csv
(`cargo bench -p carepool-cli --bench experience_study -- --extracts DIR` writes them). The
rules are docs/EXPERIENCE.md's, for extracts like the benchmark's: one period of cover a
member in the coverage file (members' own start_date and end_date columns are not read), a
status for every member and a status date for the deceased and inactive (the reference refuses
other files): exact days of cover, open cover to the study's last day, which is the latest
received_date when that is earlier; pending members, and active ones before their status took
effect, count apart; a deceased member is covered through the day of death, an inactive one
until the day before; a claim counts on a day of its member's active cover, in the month it was
incurred (admission, else visit), at its claimed amount (an extract as facilities send it has
neither status nor approved amount). With --check, every month's member-years (to 1e-9),
pending member-years, claims and cost must equal the study's `periods`, else exit 1; the time
printed is the computation's, before the check.
"""

import argparse
import calendar
import json
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

EPOCH = date(1970, 1, 1)
# A day number later than any date.
NEVER = 10**9


def day_number(text):
    return (date.fromisoformat(text) - EPOCH).days


def months(first, last):
    """(label, first day, last day, days in its year) of every month from first to last."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        start = max(first, date(year, month, 1))
        end = min(last, date(year, month, calendar.monthrange(year, month)[1]))
        yield f"{year}-{month:02d}", (start - EPOCH).days, (end - EPOCH).days, 366 if calendar.isleap(year) else 365
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def refuse_what_it_does_not_handle(several_periods, no_status, no_status_date):
    """The reference's rules are carepool's for the benchmark's extracts only: it leaves out
    members' own start_date and end_date columns, and refuses what it would count otherwise."""
    for refused, why in [
        (several_periods, "several periods of cover for a member"),
        (no_status, "a member without a status (carepool takes them as active)"),
        (no_status_date, "a deceased or inactive member without status_since (carepool refuses it)"),
    ]:
        if refused:
            sys.exit(f"the reference does not handle {why}")


def with_pandas(folder, first, asked_last):
    import numpy as np
    import pandas as pd

    read = lambda name, columns: pd.read_csv(
        f"{folder}/{name}", engine="pyarrow", usecols=columns, dtype_backend="pyarrow"
    )
    members = read("members.csv", ["id", "status", "status_since"])
    cover = read("coverage.csv", ["member_id", "start_date", "end_date"])
    claims = read(
        "claims_extract.csv",
        ["member_id", "visit_date", "admission_date", "received_date", "claimed"],
    )
    refuse_what_it_does_not_handle(
        cover["member_id"].duplicated().any(),
        members["status"].isna().any(),
        (members["status"].isin(["deceased", "inactive"]) & members["status_since"].isna()).any(),
    )
    days = lambda column: (pd.to_datetime(column) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(
        dtype="float64", na_value=np.nan
    )
    received = pd.to_datetime(claims["received_date"]).max()
    last = min(asked_last, received.date()) if pd.notna(received) else asked_last
    horizon = (last - EPOCH).days
    people = members.merge(cover, left_on="id", right_on="member_id", how="inner")
    start = days(people["start_date"])
    end = np.minimum(np.nan_to_num(days(people["end_date"]), nan=horizon), horizon)
    since = np.nan_to_num(days(people["status_since"]), nan=-NEVER)
    status = people["status"].astype(str).to_numpy()
    end = np.where(status == "deceased", np.minimum(end, since), end)
    end = np.where(status == "inactive", np.minimum(end, since - 1), end)
    pending = status == "pending"
    # Active, with a status that took effect after the cover started: pending before it.
    late = (status == "active") & (since > start)
    active_start = np.where(late, since, start)
    active_start = np.where(pending, NEVER, active_start)
    pending_end = np.where(pending, end, np.where(late, np.minimum(since - 1, end), -NEVER))

    ids = people["id"].to_numpy()
    span = pd.DataFrame({"member_id": ids, "from": active_start, "to": end})
    claims = claims.merge(span, on="member_id", how="left")
    incurred = days(claims["admission_date"].fillna(claims["visit_date"]))
    counted = (incurred >= claims["from"].to_numpy()) & (incurred <= claims["to"].to_numpy())
    cents = (claims["claimed"].astype("float64") * 100).round().astype("int64").to_numpy()

    table = {}
    for label, month_start, month_end, year_days in months(first, last):
        covered = np.minimum(end, month_end) - np.maximum(active_start, month_start) + 1
        waiting = np.minimum(pending_end, month_end) - np.maximum(start, month_start) + 1
        in_month = counted & (incurred >= month_start) & (incurred <= month_end)
        table[label] = (
            covered[covered > 0].sum() / year_days,
            waiting[waiting > 0].sum() / year_days,
            int(in_month.sum()),
            int(cents[in_month].sum()),
        )
    return table


def with_polars(folder, first, asked_last):
    import polars as pl

    day = lambda name: pl.col(name).str.to_date("%Y-%m-%d").cast(pl.Int64)
    members = pl.read_csv(
        f"{folder}/members.csv", columns=["id", "status", "status_since"], infer_schema=False
    )
    cover = pl.read_csv(
        f"{folder}/coverage.csv", columns=["member_id", "start_date", "end_date"], infer_schema=False
    )
    claims = pl.read_csv(
        f"{folder}/claims_extract.csv",
        columns=["member_id", "visit_date", "admission_date", "received_date", "claimed"],
        infer_schema=False,
    )
    refuse_what_it_does_not_handle(
        cover["member_id"].is_duplicated().any(),
        members["status"].is_null().any(),
        members.filter(
            pl.col("status").is_in(["deceased", "inactive"]) & pl.col("status_since").is_null()
        ).height
        > 0,
    )
    received = claims.select(day("received_date").max()).item()
    last = min(asked_last, EPOCH + timedelta(days=received)) if received is not None else asked_last
    horizon = (last - EPOCH).days
    people = members.join(cover, left_on="id", right_on="member_id").with_columns(
        start=day("start_date"),
        since=day("status_since").fill_null(-NEVER),
        end=pl.min_horizontal(day("end_date").fill_null(horizon), pl.lit(horizon)),
    )
    status = pl.col("status")
    people = people.with_columns(
        end=pl.when(status == "deceased")
        .then(pl.min_horizontal("end", "since"))
        .when(status == "inactive")
        .then(pl.min_horizontal(pl.col("end"), pl.col("since") - 1))
        .otherwise("end"),
        late=(status == "active") & (pl.col("since") > pl.col("start")),
    ).with_columns(
        # Never and always, as days: polars' min and max across columns pass over nulls.
        active_start=pl.when(status == "pending")
        .then(pl.lit(NEVER))
        .when("late")
        .then("since")
        .otherwise("start"),
        pending_end=pl.when(status == "pending")
        .then("end")
        .when("late")
        .then(pl.min_horizontal(pl.col("since") - 1, pl.col("end")))
        .otherwise(pl.lit(-NEVER)),
    )
    claims = claims.with_columns(
        incurred=pl.coalesce(day("admission_date"), day("visit_date")),
        cents=(pl.col("claimed").cast(pl.Float64) * 100).round().cast(pl.Int64),
    ).join(people.select("id", "active_start", "end"), left_on="member_id", right_on="id", how="left")
    claims = claims.filter(
        (pl.col("incurred") >= pl.col("active_start")) & (pl.col("incurred") <= pl.col("end"))
    )
    table = {}
    for label, month_start, month_end, year_days in months(first, last):
        overlap = lambda begin, finish: (
            pl.min_horizontal(finish, pl.lit(month_end)) - pl.max_horizontal(begin, pl.lit(month_start)) + 1
        ).clip(lower_bound=0).sum()
        covered, waiting = people.select(
            overlap(pl.col("active_start"), pl.col("end")),
            overlap(pl.col("start"), pl.col("pending_end")),
        ).row(0)
        month = claims.filter(pl.col("incurred").is_between(month_start, month_end))
        table[label] = (
            (covered or 0) / year_days,
            (waiting or 0) / year_days,
            month.height,
            int(month["cents"].sum() or 0),
        )
    return table


def check(table, study_path):
    with open(study_path) as file:
        periods = {p["period"]: p for p in json.load(file)["periods"]}
    wrong = []
    if set(periods) != set(table):
        wrong.append(f"months: carepool {sorted(periods)} against {sorted(table)}")
    for label, (exposure, pending, claims, cents) in table.items():
        got = periods.get(label)
        if got is None:
            continue
        theirs = (
            got["exposure"],
            got["pending_exposure"],
            got["claims"],
            int(Decimal(got["cost"]) * 100),
        )
        close = lambda a, b: abs(a - b) <= 1e-9 * max(1.0, abs(b))
        if not (close(theirs[0], exposure) and close(theirs[1], pending) and theirs[2:] == (claims, cents)):
            wrong.append(f"{label}: carepool {theirs} against {(exposure, pending, claims, cents)}")
    return wrong


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["pandas", "polars"], required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
    parser.add_argument("--check", help="carepool's study (JSON, --split month) to compare")
    args = parser.parse_args()
    started = time.perf_counter()
    engine = with_pandas if args.engine == "pandas" else with_polars
    table = engine(args.dir, args.first, args.last)
    elapsed = time.perf_counter() - started
    total = [sum(row[i] for row in table.values()) for i in range(4)]
    print(
        f"{args.engine}: {len(table)} months, {total[0]:.1f} member-years, "
        f"{total[1]:.1f} pending, {total[2]} claims, cost {total[3] / 100:.2f}; {elapsed:.2f} s"
    )
    if args.check:
        wrong = check(table, args.check)
        for line in wrong[:20]:
            print(line, file=sys.stderr)
        if wrong:
            sys.exit(f"{len(wrong)} month(s) differ from {args.check}")
        print(f"the same numbers as {args.check}, month by month")


if __name__ == "__main__":
    main()
