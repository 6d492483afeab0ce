#!/usr/bin/env python3
"""Live table of `autoprov status --json` until every device is verified or
failed (or the timeout), then a summary. Used by `make demo` and the bring-up
benchmark. Exit 0 when every device is verified, 1 otherwise."""
import argparse, json, subprocess, sys, time

ORDER = ["new", "discovered", "leased", "config-fetched", "reachable", "pushed", "verified", "failed"]

def status(autoprov, config, summary=False):
    args = [autoprov, "status", "--config", config] + (["--summary"] if summary else ["--json"])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return json.loads(out)

def table(rows, start, now):
    lines = [f"{'DEVICE':<13} {'LABEL':<10} {'STATE':<15} {'TIME':>7}  DETAIL"]
    for r in rows:
        t = (r["updated"] if r["state"] in ("verified", "failed") else now) if r.get("updated") else None
        shown = f"{t - start:6.1f}s" if t else "      -"
        detail = r.get("reason") or r.get("last_event") or ""
        lines.append(f"{r['mac']:<13} {r['label'][:10]:<10} {r['state']:<15} {shown:>7}  {detail[:60]}")
    return lines

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--autoprov", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--start", type=float, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--timeout", type=float, default=150)
    p.add_argument("--table-limit", type=int, default=40)
    a = p.parse_args()
    live = sys.stdout.isatty()
    drawn = 0
    deadline = time.time() + a.timeout
    last_counts = None
    while True:
        now = time.time()
        if a.count <= a.table_limit:
            rows = status(a.autoprov, a.config)
            counts = {}
            for r in rows:
                counts[r["state"]] = counts.get(r["state"], 0) + 1
            screen = table(rows, a.start, now)
        else:
            counts = status(a.autoprov, a.config, summary=True)
            screen = []
        summary = f"{now - a.start:6.1f}s  " + "  ".join(f"{s} {counts[s]}" for s in ORDER if s in counts)
        if live:
            if drawn:
                sys.stdout.write(f"\x1b[{drawn}F\x1b[J")
            out = screen + [summary]
            sys.stdout.write("\n".join(out) + "\n")
            drawn = len(out)
        elif counts != last_counts:
            print(summary)
        sys.stdout.flush()
        last_counts = counts
        final = counts.get("verified", 0) + counts.get("failed", 0)
        if final >= a.count or now > deadline:
            break
        time.sleep(0.5)
    rows = status(a.autoprov, a.config)
    if not live and a.count <= a.table_limit:
        print("\n".join(table(rows, a.start, time.time())))
    verified = sorted(r["updated"] - a.start for r in rows if r["state"] == "verified" and r.get("updated"))
    failed = [r for r in rows if r["state"] == "failed"]
    print()
    print(f"summary: {len(verified)} of {a.count} phones verified, {len(failed)} failed, "
          f"{a.count - len(verified) - len(failed)} unfinished")
    if verified:
        print(f"summary: first verified after {verified[0]:.1f}s, last after {verified[-1]:.1f}s "
              f"(median {verified[len(verified) // 2]:.1f}s) from power-on")
    for r in failed[:10]:
        print(f"summary: failed {r['mac']}: {r.get('reason')}")
    return 0 if len(verified) == a.count else 1

if __name__ == "__main__":
    sys.exit(main())
