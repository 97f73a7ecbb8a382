#!/usr/bin/env python3
"""Reads a `cargo mutants` run's outcomes and says, per file, how many
viable mutants were caught, and how many of those tests older than a given
commit would have caught: a caught mutant's log names the tests that
failed, and one that only tests added since BASE failed was missed before.
A timeout counts as caught both times. Used for docs/testing.md:

    python3 tools/mutants_before.py MUTANTS_OUT BASE_COMMIT [-v]
"""

import collections
import json
import os
import re
import subprocess
import sys


def new_tests(base):
    """Names of the #[test] functions added under src/ since `base`."""
    diff = subprocess.run(
        ["git", "diff", base, "HEAD", "--", "src"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    names = set()
    for above, line in zip(diff, diff[1:]):
        m = re.match(r"^\+\s*fn (\w+)\(", line)
        if m and above.strip() == "+    #[test]":
            names.add(m.group(1))
    return names


def failed_tests(log):
    """The tests a libtest run lists under its last `failures:` heading."""
    parts = log.split("\nfailures:\n")
    if len(parts) < 2:
        return set()
    return {
        m.group(1).split("::")[-1]
        for m in (re.match(r"^    ([\w:]+)$", l) for l in parts[-1].splitlines())
        if m
    }


def main():
    out, base = sys.argv[1], sys.argv[2]
    new = new_tests(base)
    with open(os.path.join(out, "outcomes.json")) as f:
        outcomes = json.load(f)["outcomes"]
    stats = collections.defaultdict(collections.Counter)
    missed = []
    for r in outcomes:
        scenario = r["scenario"]
        if not isinstance(scenario, dict):
            continue
        mutant = scenario["Mutant"]
        c = stats[mutant["file"]]
        summary = r["summary"]
        if summary == "Unviable":
            c["unviable"] += 1
        elif summary == "MissedMutant":
            c["missed"] += 1
            missed.append(f"{mutant['file']}:{mutant['span']['start']['line']}: {mutant.get('replacement', '')}")
        elif summary == "Timeout":
            c["timeout"] += 1
            c["before"] += 1
        elif summary == "CaughtMutant":
            c["caught"] += 1
            with open(os.path.join(out, r["log_path"]), errors="replace") as f:
                names = failed_tests(f.read())
            # No names: the tests failed in a way libtest did not list (a
            # crash); older tests would have crashed too.
            if not names or names - new:
                c["before"] += 1
    for file, c in sorted(stats.items()):
        viable = c["caught"] + c["missed"] + c["timeout"]
        after = c["caught"] + c["timeout"]
        pct = lambda n: f"{100 * n / viable:.0f}%" if viable else "-"
        print(f"{file}: {viable} viable; before {c['before']} ({pct(c['before'])}), "
              f"after {after} ({pct(after)}); {c['unviable']} unviable")
    if "-v" in sys.argv:
        for m in missed:
            print("  missed", m)


if __name__ == "__main__":
    main()
