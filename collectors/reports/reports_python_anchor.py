#!/usr/bin/python3
"""The reports benchmark's anchor: report mails read with Python's standard
library, the parsing that Python DMARC tools such as parsedmarc rest on
(email for the MIME and base64, gzip/zipfile, an XML tree per report),
counting records and nothing more.

  reports_python_anchor.py DIR COUNT  ->  "<files> <records> <seconds>"

Reads the first COUNT files of DIR in name order on one thread.
"""
import email
import gzip
import io
import os
import sys
import time
import xml.etree.ElementTree as ET
import zipfile


def records_of(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f)
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if payload[:2] == b"\x1f\x8b":
            xml = gzip.decompress(payload)
        elif payload[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                xml = archive.read(archive.namelist()[0])
        else:
            continue
        return len(ET.fromstring(xml).findall("record"))
    return 0


def main():
    directory, count = sys.argv[1], int(sys.argv[2])
    names = sorted(os.listdir(directory))[:count]
    start = time.monotonic()
    records = sum(records_of(os.path.join(directory, n)) for n in names)
    print(len(names), records, time.monotonic() - start)


if __name__ == "__main__":
    main()
