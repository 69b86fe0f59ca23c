"""Runs pyspf (Debian python3-spf) over in-memory zones, for the SPF
benchmark and the differential test of mailrep_exporter.

  spf_pyspf_driver.py bench SUITE.yml[.gz] ITERATIONS
      Evaluates every case of an OpenSPF suite ITERATIONS times with the
      scenario's zonedata as the DNS; prints "checks=N cpu_seconds=S".
  spf_pyspf_driver.py json
      Reads JSON lines {"zone": {name: [[type, value], ...]}, "checks":
      [[ip, mail_from, helo], ...]} from stdin and writes one JSON line per
      input: [[result, explanation], ...]. A ["TIMEOUT", null] entry makes
      every later-listed type of that name time out (as in the suites).
"""
import gzip
import json
import socket
import sys
import time

import spf

ZONE = {}


def lookup(name, qtype, strict=True, timeout=None, level=0):
    labels = [label for label in name.split('.') if label]
    entries = ZONE.get('.'.join(labels).lower())
    if entries is None:
        return
    answered = False
    for rtype, value in entries:
        if rtype == 'TIMEOUT':
            if not answered:
                raise spf.TempError('DNS timeout (zone data)')
            return
        if rtype != qtype and rtype != 'CNAME':
            continue
        answered = True
        if rtype == 'AAAA':
            value = socket.inet_pton(socket.AF_INET6, value)
        elif rtype == 'TXT':
            value = tuple(part.encode('utf-8') for part in value)
        elif rtype == 'MX':
            value = (value[0], value[1])
        yield ((name, rtype), value)


spf.DNSLookup = lookup


def check(ip, mail_from, helo):
    query = spf.query(i=ip, s=mail_from, h=helo)
    query.set_default_explanation('DEFAULT')
    result, _, explanation = query.check()
    result = {'unknown': 'permerror', 'error': 'temperror'}.get(result, result)
    return result, explanation if result == 'fail' else ''


def zone_from_suite(zonedata):
    zone = {}
    for name, items in zonedata.items():
        entries = []
        spf_texts = []
        has_txt = any(isinstance(i, dict) and 'TXT' in i for i in items)
        for item in items:
            if item == 'TIMEOUT':
                entries.append(('TIMEOUT', None))
                continue
            (rtype, value), = item.items()
            if rtype in ('TXT', 'SPF'):
                if value == 'NONE':
                    continue
                value = [value] if isinstance(value, str) else list(value)
                if rtype == 'SPF':
                    if not has_txt:
                        spf_texts.append(('TXT', value))
                    continue
            entries.append((rtype, value))
        zone[name.lower()] = entries + spf_texts
    return zone


def bench(path, iterations):
    import yaml
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        scenarios = [s for s in yaml.safe_load_all(f) if s]
    prepared = [(zone_from_suite(s.get('zonedata') or {}),
                 [(t['host'], t['mailfrom'], t['helo']) for t in s['tests'].values()])
                for s in scenarios]
    global ZONE
    checks = 0
    start = time.process_time()
    for _ in range(iterations):
        for zone, cases in prepared:
            ZONE = zone
            for ip, mail_from, helo in cases:
                check(ip, mail_from, helo)
                checks += 1
    print('checks=%d cpu_seconds=%.6f' % (checks, time.process_time() - start))


def json_mode():
    global ZONE
    for line in sys.stdin:
        request = json.loads(line)
        ZONE = {name.lower(): [tuple(e) for e in entries]
                for name, entries in request['zone'].items()}
        out = []
        for ip, mail_from, helo in request['checks']:
            try:
                out.append(list(check(ip, mail_from, helo)))
            except Exception as e:  # pyspf crash: report, do not stop the run
                out.append(['crash', repr(e)])
        sys.stdout.write(json.dumps(out) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    if sys.argv[1] == 'bench':
        bench(sys.argv[2], int(sys.argv[3]))
    else:
        json_mode()
