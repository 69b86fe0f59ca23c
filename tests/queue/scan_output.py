"""Reads `queue_scan` output and reports comparisons; shared by the *compare*.py scripts.

queue_scan prints one fact per line:
  queue <name> messages <n> bytes <n> recipients <n> oldest <unix|->
  destination <domain> <n>
  reason <class> <n>
  problem <kind> <n>
  source <spool|showq>          (only with --print-source)
"""


def read_scan(path):
    """Returns {"queue": {name: {field: int or None}}, "destination": {d: n},
    "reason": {class: n}, "problem": {kind: n}, "source": str or None}."""
    scan = {"queue": {}, "destination": {}, "reason": {}, "problem": {}, "source": None}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "queue":
                scan["queue"][parts[1]] = {
                    k: None if v == "-" else int(v) for k, v in zip(parts[2::2], parts[3::2])}
            elif parts[0] == "source":
                scan["source"] = parts[1]
            else:
                scan[parts[0]][parts[1]] = int(parts[2])
    return scan


def nonzero(counts):
    """The entries of counts with a non-zero value, sorted by key."""
    return {k: v for k, v in sorted(counts.items()) if v}


class Report:
    """Prints one "ok  "/"FAIL" line per check as "<what>: ours=<got> <theirs>=<want>"."""

    def __init__(self, theirs):
        self.theirs = theirs
        self.failures = []

    def check(self, what, got, want):
        print(f"{'ok  ' if got == want else 'FAIL'} {what}: ours={got} {self.theirs}={want}")
        if got != want:
            self.failures.append(what)

    def fail(self, what):
        self.failures.append(what)

    def check_common(self, scan, destinations, reasons):
        """The deferred destinations and reasons (zero counts dropped) and no scan problems."""
        self.check("deferred destinations", dict(sorted(scan["destination"].items())),
                   dict(sorted(destinations.items())))
        self.check("deferred reasons", nonzero(scan["reason"]), dict(sorted(reasons.items())))
        self.check("scan problems", nonzero(scan["problem"]), {})

    def finish(self):
        """Prints the verdict; returns the exit status."""
        if self.failures:
            print("FAILED:", "; ".join(self.failures))
            return 1
        print("all checks passed")
        return 0
