#!/usr/bin/env python3
"""Every benchmark program answers at once, with no input: `--help` prints its
usage on stdout and exits 0; an unknown flag and a stray word print the usage
on stderr and exit 2. stdin is empty, so a program that waits on input (or
takes a word for a file and reads it) fails by timing out.

usage: check_benchmark_flags.py BENCHMARK_BINARY...
"""
import subprocess
import sys

TIMEOUT_S = 20  # each run; a correct one takes milliseconds


def run(binary, args):
    try:
        p = subprocess.run([binary] + args, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return p.returncode, p.stdout, p.stderr


def main(binaries):
    failures = []
    for binary in binaries:
        for args, want_code, stream in ((["--help"], 0, "stdout"),
                                        (["--no-such-flag"], 2, "stderr"),
                                        (["mail.log"], 2, "stderr")):
            code, out, err = run(binary, args)
            text = out if stream == "stdout" else err
            if code != want_code or "usage: " not in text:
                failures.append(f"{binary} {' '.join(args)}: exit {code} (want {want_code}), "
                                f"usage on {stream}: {'usage: ' in text}\n{out}{err}")
    for f in failures:
        print("FAIL", f)
    print(f"{len(binaries)} benchmarks, {len(failures)} failures")
    return 1 if failures or not binaries else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
