#!/usr/bin/python3
"""Compares one `queue_scan postfix` output (from showq or the spool) with `postqueue -j`.

usage: postfix_showq_compare.py SCAN_OUTPUT POSTQUEUE_JSON

Checks per queue (maildrop, incoming, active, deferred, hold): messages, bytes,
recipients and oldest arrival; the deferred destinations; the deferral reason
classes (by the lab's receiver per domain, as compare_postqueue.py); and that
no problems were counted. Unlike compare_postqueue.py it does not require the
corrupt queue (showq does not list it).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_postqueue import compare, read_postqueue  # noqa: E402
from scan_output import Report, read_scan  # noqa: E402


def main(scan_path, postqueue_path):
    report = Report("postqueue")
    compare(read_scan(scan_path), read_postqueue(postqueue_path), report)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
