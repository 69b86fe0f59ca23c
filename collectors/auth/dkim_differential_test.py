#!/usr/bin/python3
"""DKIM key records: our judgement against dkimpy's, on generated records.

Usage: dkim_differential_test.py DKIM_RECORD_EVAL [--cases N] [--seed S]

Generates N key records (seeded; the seed is printed so a failure can be
replayed) from real keys made by openssl (RSA 512..4096, ed25519) and random
variations of every tag and of the tag-list syntax, then judges each with our
code (dkim_record_eval: EvaluateDkimKey) and with dkimpy's evaluate_pk (Debian
python3-dkim, the key lookup its verifier uses). A record is usable for us
when its status is valid or weak, and for dkimpy when evaluate_pk returns a
key; both must agree, with the same key type and size.

Where RFC 6376 says more than evaluate_pk checks, we are stricter on purpose,
and such records are counted apart, each class with the rule we apply:
  rsa_below_1024  RSA under 1024 bits: invalid (RFC 8301 §3.2); dkimpy's
                  verifier refuses them later (minkey=1024), not evaluate_pk.
  v_not_first     v= present but not the first tag (§3.6.1: MUST be first).
  h_without_sha256  h= lists no sha256: no signature we could make verifies.
Two classes where dkimpy decides elsewhere or differently:
  s_tlsrpt_only   s=tlsrpt: evaluate_pk returns the key, and dkimpy's verify
                  then refuses it for email ("Service Type is tlsrpt"); we
                  call it invalid for mail at once.
  unpadded_base64 p= without its '=' padding: RFC 6376's base64string
                  grammar makes padding optional and we accept the key (with
                  a warning in `check dkim`); dkimpy's strict decoder fails.
                  We must judge it as dkimpy judges the padded key.
And one class where dkimpy misreads the RFC:
  s_list          s= with several service types ("email:tlsrpt"): §3.6.1
                  makes s= a colon-separated list; evaluate_pk compares the
                  whole value and returns no key. We accept the key when the
                  list holds email or *.
A class's records must get our documented result; any other disagreement is
a failure. Exit 0 when there are none.
"""

import argparse
import base64
import binascii
import os
import random
import subprocess
import sys
import tempfile

try:
    import dkim
except ImportError:
    sys.exit("FAIL: dkimpy missing (apt-get install python3-dkim python3-nacl)")

KINDS = ["rsa512", "rsa1024", "rsa2048", "rsa4096", "ed25519"]


def make_keys(directory):
    """{kind: base64 public key}: SubjectPublicKeyInfo DER for RSA, the raw 32
    bytes for ed25519 (RFC 8463)."""
    keys = {}
    for kind in KINDS:
        priv = os.path.join(directory, kind + ".pem")
        if kind == "ed25519":
            gen = ["openssl", "genpkey", "-algorithm", "ed25519", "-out", priv]
        else:
            gen = ["openssl", "genpkey", "-algorithm", "rsa", "-pkeyopt",
                   "rsa_keygen_bits:" + kind[3:], "-out", priv]
        subprocess.run(gen, check=True, capture_output=True, timeout=120)
        der = subprocess.run(["openssl", "pkey", "-in", priv, "-pubout", "-outform", "DER"],
                             check=True, capture_output=True, timeout=60).stdout
        if kind == "ed25519":
            der = der[-32:]
        keys[kind] = base64.b64encode(der).decode()
    return keys


def fold(text, rng):
    """Inserts folding whitespace (allowed inside a base64 p= value)."""
    n = rng.choice([16, 40, 64])
    chunks = [text[i:i + n] for i in range(0, len(text), n)]
    return rng.choice([" ", "\r\n ", "\t"]).join(chunks)


def generate(rng, keys):
    """One case: (record bytes, set of stricter-rule classes it falls in)."""
    classes = set()
    kind = rng.choice(KINDS)
    key = keys[kind]
    tags = []
    k_choice = rng.choice(["match", "match", "omit", "wrong", "unknown", "upper"])
    if kind == "ed25519":
        k_value = {"match": "ed25519", "omit": None, "wrong": "rsa", "unknown": "dsa",
                   "upper": "ED25519"}[k_choice]
    else:
        k_value = {"match": "rsa", "omit": None, "wrong": "ed25519", "unknown": "dsa",
                   "upper": "RSA"}[k_choice]
    if k_value is not None:
        tags.append(("k", k_value))
    h = rng.choice([None] * 5 + ["sha256", "sha256", "sha1:sha256", "sha1", "sha512"])
    if h is not None:
        tags.append(("h", h))
    s = rng.choice([None] * 5 + ["email", "*", "email:tlsrpt", "tlsrpt", "foo"])
    if s is not None:
        tags.append(("s", s))
    t = rng.choice([None, None, "y", "s", "y:s", "x"])
    if t is not None:
        tags.append(("t", t))
    if rng.random() < 0.2:
        tags.append(("n", "a note"))
    p_choice = rng.choice(["key"] * 6 + ["folded", "empty", "garbage", "truncated", "unpadded"])
    p = {"key": key, "folded": fold(key, rng), "empty": "", "garbage": "not*base64!",
         "truncated": key[:len(key) // 2], "unpadded": key.rstrip("=")}[p_choice]
    tags.append(("p", p))
    rng.shuffle(tags)
    v = rng.choice([None, "first", "first", "first", "first", "later", "DKIM2"])
    if v == "first":
        tags.insert(0, ("v", "DKIM1"))
    elif v == "DKIM2":
        tags.insert(0, ("v", "DKIM2"))
    elif v == "later":
        tags.insert(rng.randrange(1, len(tags) + 1), ("v", "DKIM1"))
    # Syntax variations.
    syntax = rng.choice(["plain"] * 6 + ["spaces", "trailing", "duplicate", "noequals",
                                         "badname", "crlf"])
    if syntax == "duplicate":
        tags.append(rng.choice(tags))
    parts = []
    for name, value in tags:
        if syntax == "spaces":
            parts.append("%s = %s" % (name, value))
        elif syntax == "crlf":
            parts.append("%s=\r\n\t%s" % (name, value))
        else:
            parts.append("%s=%s" % (name, value))
    if syntax == "noequals":
        parts.insert(rng.randrange(len(parts) + 1), "oops")
    if syntax == "badname":
        parts.insert(rng.randrange(len(parts) + 1), "1x=y")
    record = "; ".join(parts) + (";" if syntax == "trailing" else "")

    usable_key = (p_choice in ("key", "folded", "unpadded") and k_choice in ("match", "omit") and
                  (kind != "ed25519" or k_choice == "match"))
    if usable_key and kind == "rsa512":
        classes.add("rsa_below_1024")
    if v == "later":
        classes.add("v_not_first")
    if h is not None and "sha256" not in h.split(":"):
        classes.add("h_without_sha256")
    if s is not None and ":" in s:
        classes.add("s_list")
    if s == "tlsrpt":
        classes.add("s_tlsrpt_only")
    if p_choice == "unpadded" and key.endswith("="):
        classes.add("unpadded_base64")
    return record.encode(), classes


def key_of(record, keys):
    """The generated key whose unpadded text the record holds."""
    for key in keys.values():
        if key.rstrip("=").encode() in record:
            return key
    raise AssertionError("no key in %r" % record)


def dkimpy_judgement(record):
    """(usable, key type, bits) by dkimpy's evaluate_pk."""
    try:
        pk, bits, ktag, _ = dkim.evaluate_pk(b"s._domainkey.example.test", record)
    except Exception:  # KeyFormatError and whatever a hostile record raises
        return False, "none", 0
    if pk is None:
        return False, "none", 0
    return True, ktag.decode(), bits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("ours")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print("dkim differential: seed %d (replay with --seed %d)" % (seed, seed))
    rng = random.Random(seed)

    with tempfile.TemporaryDirectory(prefix="mailrep-dkim-diff-") as d:
        keys = make_keys(d)
    cases = [generate(rng, keys) for _ in range(args.cases)]
    hex_lines = "".join(binascii.hexlify(r).decode() + "\n" for r, _ in cases)
    ours = subprocess.run([args.ours], input=hex_lines, capture_output=True, text=True,
                          check=True, timeout=600).stdout.splitlines()
    assert len(ours) == len(cases), "dkim_record_eval printed %d lines" % len(ours)

    agree, failures = 0, []
    stricter = {}
    for (record, classes), line in zip(cases, ours):
        status, ktype, bits = line.split()
        mine = (status in ("valid", "weak"), ktype, int(bits))
        theirs = dkimpy_judgement(record)
        if classes:
            for c in classes:
                stricter[c] = stricter.get(c, 0) + 1
            strict = classes - {"s_list", "unpadded_base64"}
            if strict and mine[0]:
                failures.append("%r: ours %s, but it breaks our rule %s" %
                                (record, status, ",".join(sorted(strict))))
            if not strict:  # judge as dkimpy judges the record it would accept
                plain = record.replace(b"email:tlsrpt", b"email")
                if "unpadded_base64" in classes:
                    plain = plain.replace(key_of(record, keys).rstrip("=").encode(),
                                          key_of(record, keys).encode())
                theirs = dkimpy_judgement(plain)
                if mine[0] != theirs[0] or (mine[0] and mine[1:] != theirs[1:]):
                    failures.append("%r: ours %s %s %s, dkimpy with s=email %s" %
                                    (record, status, ktype, bits, theirs))
            continue
        if mine[0] != theirs[0] or (mine[0] and mine[1:] != theirs[1:]):
            failures.append("%r: ours %s %s %s, dkimpy %s" % (record, status, ktype, bits,
                                                              theirs))
        else:
            agree += 1
    usable = sum(1 for (r, c), l in zip(cases, ours) if not c and l.split()[0] in ("valid", "weak"))
    print("dkim differential: %d cases, %d compared (%d usable keys), %d agree, %d differ; "
          "apart by rule: %s" % (len(cases), len(cases) - sum(1 for _, c in cases if c),
                                    usable, agree, len(failures),
                                    ", ".join("%s %d" % kv for kv in sorted(stricter.items()))))
    for f in failures[:30]:
        print("DIFF " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
