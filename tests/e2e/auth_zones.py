"""Zones of the senders the auth end-to-end tests and the dashboard fixture
world check, for a LocalNsd (see test_auth.py for what each one exercises).

  good.test    SPF allows 192.0.2.10, DKIM key s1 made by opendkim-genkey,
               DMARC p=reject.
  broken.test  SPF includes a name that does not exist (permerror), DKIM key
               revoked, no DMARC record.
  flaky.test   SPF includes outside.invalid, which NSD refuses (temperror).
  2.0.192.in-addr.arpa  .10 -> mail.good.test, .11 -> a generic name, .12 none.
"""

import os
import re
import subprocess

OPENDKIM_GENKEY = "/usr/sbin/opendkim-genkey"

GOOD_IP, GENERIC_IP, BARE_IP = "192.0.2.10", "192.0.2.11", "192.0.2.12"


def genkey(directory):
    """An RSA-2048 DKIM key for good.test, selector s1: (zone text, key file)."""
    if not os.access(OPENDKIM_GENKEY, os.X_OK):
        raise AssertionError("FAIL: %s missing (apt-get install opendkim-tools)" % OPENDKIM_GENKEY)
    subprocess.run([OPENDKIM_GENKEY, "-b", "2048", "-d", "good.test", "-s", "s1", "-D", directory],
                   check=True, timeout=60)
    with open(os.path.join(directory, "s1.txt"), encoding="ascii") as f:
        record = f.read()
    # "s1._domainkey IN TXT ( "v=DKIM1; ..." "..." )  ; ----- DKIM key ...": split strings.
    record = re.sub(r";\s*-----.*$", "", record, flags=re.S).strip()
    return record, os.path.join(directory, "s1.private")


def zones(dkim_record):
    return {
        "good.test": [
            '@ IN TXT "v=spf1 ip4:192.0.2.10 -all"',
            'mail IN A 192.0.2.10',
            'mail IN TXT "v=spf1 a -all"',
            '11-2-0-192.dyn IN A 192.0.2.11',
            '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"',
            dkim_record,
        ],
        "broken.test": [
            '@ IN TXT "v=spf1 include:nothing.broken.test -all"',
            's1._domainkey IN TXT "v=DKIM1; k=rsa; p="',
        ],
        "flaky.test": [
            '@ IN TXT "v=spf1 include:outside.invalid -all"',
        ],
        "2.0.192.in-addr.arpa": [
            "10 IN PTR mail.good.test.",
            "11 IN PTR 11-2-0-192.dyn.good.test.",
        ],
    }
