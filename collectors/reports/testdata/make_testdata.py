#!/usr/bin/env python3
"""Writes the report fixtures of collectors/reports/testdata/ (run from any
directory; the outputs are committed). Every report here is made up for the
tests: example domains and documentation addresses (RFC 5737, RFC 3849) only."""
import base64
import gzip
import io
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def gz(data):
    # mtime=0: the same bytes on every run.
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return buf.getvalue()


def zipped(name, data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(name, date_time=(2026, 12, 2, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    return buf.getvalue()


def b64_lines(data, widths):
    """Base64 cut into lines of the given widths, cycling: reporters' odd lengths."""
    text = base64.b64encode(data).decode()
    lines, i, k = [], 0, 0
    while i < len(text):
        w = widths[k % len(widths)]
        lines.append(text[i:i + w])
        i += w
        k += 1
    return lines


GOOGLE_LIKE = """<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>google.com</org_name>
    <email>noreply-dmarc-support@google.com</email>
    <extra_contact_info>https://support.google.com/a/answer/2466580</extra_contact_info>
    <report_id>4837261950012873645</report_id>
    <date_range>
      <begin>1796083200</begin>
      <end>1796169599</end>
    </date_range>
  </report_metadata>
  <policy_published>
    <domain>example.com</domain>
    <adkim>r</adkim>
    <aspf>r</aspf>
    <p>quarantine</p>
    <sp>quarantine</sp>
    <pct>100</pct>
  </policy_published>
  <record>
    <row>
      <source_ip>192.0.2.10</source_ip>
      <count>1520</count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>pass</dkim>
        <spf>pass</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>
      <dkim>
        <domain>example.com</domain>
        <result>pass</result>
        <selector>s2026</selector>
      </dkim>
      <spf>
        <domain>bounce.example.com</domain>
        <result>pass</result>
      </spf>
    </auth_results>
  </record>
  <record>
    <row>
      <source_ip>2001:db8::25</source_ip>
      <count>12</count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>pass</dkim>
        <spf>fail</spf>
        <reason>
          <type>forwarded</type>
        </reason>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>
      <dkim>
        <domain>example.com</domain>
        <result>pass</result>
        <selector>s2026</selector>
      </dkim>
      <spf>
        <domain>lists.example.net</domain>
        <result>pass</result>
      </spf>
    </auth_results>
  </record>
  <record>
    <row>
      <source_ip>203.0.113.77</source_ip>
      <count>3</count>
      <policy_evaluated>
        <disposition>quarantine</disposition>
        <dkim>fail</dkim>
        <spf>fail</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <header_from>example.com</header_from>
    </identifiers>
    <auth_results>
      <spf>
        <domain>example.com</domain>
        <result>softfail</result>
      </spf>
    </auth_results>
  </record>
</feedback>
"""

MICROSOFT_LIKE = """<?xml version="1.0"?>
<feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
  <version>1.0</version>
  <report_metadata>
    <org_name>Enterprise Outlook</org_name>
    <email>dmarcreport@microsoft.com</email>
    <report_id>8f3c2a61d5e04b7f9a1c0e2d4b6a8f10</report_id>
    <date_range>
      <begin>1796169600</begin>
      <end>1796256000</end>
    </date_range>
    <generator>Example Reporter 2.1</generator>
  </report_metadata>
  <policy_published>
    <domain>example.org</domain>
    <adkim>s</adkim>
    <aspf>r</aspf>
    <p>reject</p>
    <sp>reject</sp>
    <np>reject</np>
    <testing>n</testing>
    <discovery_method>treewalk</discovery_method>
    <fo>1</fo>
  </policy_published>
  <record>
    <row>
      <source_ip>198.51.100.20</source_ip>
      <count>7</count>
      <policy_evaluated>
        <disposition>none</disposition>
        <dkim>pass</dkim>
        <spf>pass</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <envelope_to>example.net</envelope_to>
      <envelope_from>example.org</envelope_from>
      <header_from>example.org</header_from>
    </identifiers>
    <auth_results>
      <dkim>
        <domain>example.org</domain>
        <selector>selector1</selector>
        <result>pass</result>
        <human_result>good signature</human_result>
      </dkim>
      <spf>
        <domain>example.org</domain>
        <scope>mfrom</scope>
        <result>pass</result>
      </spf>
    </auth_results>
  </record>
  <record>
    <row>
      <source_ip>198.51.100.99</source_ip>
      <count>2</count>
      <policy_evaluated>
        <disposition>reject</disposition>
        <dkim>fail</dkim>
        <spf>fail</spf>
      </policy_evaluated>
    </row>
    <identifiers>
      <envelope_to>example.net</envelope_to>
      <envelope_from>example.org</envelope_from>
      <header_from>example.org</header_from>
    </identifiers>
    <auth_results>
      <spf>
        <domain>example.org</domain>
        <scope>mfrom</scope>
        <result>fail</result>
      </spf>
    </auth_results>
  </record>
</feedback>
"""

TLSRPT = """{
  "organization-name": "Example Receiver Inc.",
  "date-range": {
    "start-datetime": "2026-12-01T00:00:00Z",
    "end-datetime": "2026-12-01T23:59:59Z"
  },
  "contact-info": "smtp-tls-reporting@example.net",
  "report-id": "2026-12-01T00:00:00Z_example.com",
  "policies": [
    {
      "policy": {
        "policy-type": "sts",
        "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 86400"],
        "policy-domain": "example.com",
        "mx-host": ["mx1.example.com"]
      },
      "summary": {
        "total-successful-session-count": 5326,
        "total-failure-session-count": 303
      },
      "failure-details": [
        {
          "result-type": "certificate-expired",
          "sending-mta-ip": "203.0.113.56",
          "receiving-mx-hostname": "mx1.example.com",
          "receiving-ip": "192.0.2.25",
          "failed-session-count": 300
        },
        {
          "result-type": "starttls-not-supported",
          "sending-mta-ip": "203.0.113.57",
          "receiving-mx-hostname": "mx1.example.com",
          "receiving-ip": "192.0.2.25",
          "failed-session-count": 3,
          "additional-information": "https://reports.example.net/tls/details"
        }
      ]
    },
    {
      "policy": {
        "policy-type": "no-policy-found",
        "policy-domain": "example.org"
      },
      "summary": {
        "total-successful-session-count": 40,
        "total-failure-session-count": 0
      }
    }
  ]
}
"""


def mail(headers, body):
    return "\r\n".join(headers) + "\r\n\r\n" + body


def dmarc_gzip_mail():
    att = b64_lines(gz(GOOGLE_LIKE), [61, 59, 73, 4])
    return mail([
        "Return-Path: <noreply-dmarc-support@google.com>",
        "From: noreply-dmarc-support@google.com",
        "To: dmarc-reports@example.com",
        "Subject: Report domain: example.com Submitter: google.com Report-ID: 4837261950012873645",
        "Date: Wed, 02 Dec 2026 03:59:59 -0800",
        "Message-ID: <4837261950012873645@google.com>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"000000000000abcdef0123456789\"",
    ], "\r\n".join([
        "--000000000000abcdef0123456789",
        "Content-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes",
        "Content-Transfer-Encoding: base64",
        "",
        base64.b64encode(b"This is an aggregate report from google.com.\r\n").decode(),
        "--000000000000abcdef0123456789",
        "Content-Type: application/zip;",
        "\tname=\"google.com!example.com!1796083200!1796169599.xml.gz\"",
        "Content-Disposition: attachment;",
        "\tfilename=\"google.com!example.com!1796083200!1796169599.xml.gz\"",
        "Content-Transfer-Encoding: base64",
        "",
    ] + att + ["--000000000000abcdef0123456789--", ""]))


def dmarc_zip_mail():
    att = b64_lines(zipped("example.org!enterprise.protection.outlook.com!1796169600!1796256000.xml",
                           MICROSOFT_LIKE), [57, 76, 50])
    return mail([
        "From: DMARC Aggregate Report <dmarcreport@microsoft.com>",
        "To: <dmarc@example.org>",
        "Subject: Report Domain: example.org Submitter: enterprise.protection.outlook.com",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed;",
        "\tboundary=\"_000_report_boundary_\"",
    ], "\r\n".join([
        "This is a multi-part message in MIME format.",
        "",
        "--_000_report_boundary_",
        "Content-Type: multipart/alternative; boundary=\"_001_alt_\"",
        "",
        "--_001_alt_",
        "Content-Type: text/plain; charset=\"us-ascii\"",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "This is a DMARC aggregate report from Microsoft Corporation. For more info=",
        "rmation, see the documentation.",
        "--_001_alt_",
        "Content-Type: text/html; charset=\"us-ascii\"",
        "",
        "<html><body><p>This is a DMARC aggregate report.</p></body></html>",
        "--_001_alt_--",
        "",
        "--_000_report_boundary_",
        "Content-Type: application/zip; name=\"report.zip\"",
        "Content-Description: report.zip",
        "Content-Disposition: attachment; filename=\"report.zip\"; size=1234",
        "Content-Transfer-Encoding: base64",
        "",
    ] + att + ["", "--_000_report_boundary_--", ""]))


def tlsrpt_mail_plain_json_labelled_gzip():
    # The quirk: labelled application/tlsrpt+gzip, but the bytes are plain JSON.
    att = b64_lines(TLSRPT.encode(), [76])
    return mail([
        "From: tls-reports@example.net",
        "To: tlsrpt@example.com",
        "Subject: Report Domain: example.com Submitter: example.net Report-ID: <2026.12.01@example.net>",
        "TLS-Report-Domain: example.com",
        "TLS-Report-Submitter: example.net",
        "MIME-Version: 1.0",
        "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"tlsrpt-b\"",
    ], "\n".join([
        "--tlsrpt-b",
        "Content-Type: text/plain",
        "",
        "This is an aggregate TLS report from example.net",
        "--tlsrpt-b",
        "Content-Type: application/tlsrpt+gzip",
        "Content-Disposition: attachment; filename=\"example.net!example.com!1796083200!1796169599!1.json.gz\"",
        "Content-Transfer-Encoding: base64",
        "",
    ] + att + ["--tlsrpt-b--", ""]))


ARF = mail([
    "From: <feedback@arf.example.net>",
    "Date: Thu, 03 Dec 2026 08:15:00 +0000",
    "Subject: FW: Weekly offers",
    "To: <abuse@example.com>",
    "Message-ID: <arf-2026-0001@arf.example.net>",
    "MIME-Version: 1.0",
    "Content-Type: multipart/report; report-type=feedback-report;",
    "     boundary=\"part1_13d.2e68ed54_boundary\"",
], "\r\n".join([
    "--part1_13d.2e68ed54_boundary",
    "Content-Type: text/plain; charset=\"US-ASCII\"",
    "Content-Transfer-Encoding: 7bit",
    "",
    "This is an email abuse report for an email message received from IP",
    "192.0.2.10 on Thu, 03 Dec 2026 08:00:00 +0000.",
    "",
    "--part1_13d.2e68ed54_boundary",
    "Content-Type: message/feedback-report",
    "",
    "Feedback-Type: abuse",
    "User-Agent: ExampleFBL/1.0",
    "Version: 1",
    "Original-Mail-From: <bounce-4711@bounce.example.com>",
    "Original-Rcpt-To: <someone@example.net>",
    "Arrival-Date: Thu, 03 Dec 2026 08:00:00 +0000",
    "Reporting-MTA: dns; mail.example.net",
    "Source-IP: 192.0.2.10",
    "Authentication-Results: mail.example.net;",
    "   dkim=pass header.d=example.com",
    "Reported-Domain: Example.com",
    "",
    "--part1_13d.2e68ed54_boundary",
    "Content-Type: message/rfc822",
    "Content-Disposition: inline",
    "",
    "From: <offers@example.com>",
    "Received: from mail.example.com (mail.example.com [192.0.2.10])",
    "      by mx.example.net; Thu, 03 Dec 2026 08:00:00 +0000",
    "To: <someone@example.net>",
    "Subject: Weekly offers",
    "Message-ID: <20261203080000.4711@mail.example.com>",
    "Date: Thu, 03 Dec 2026 07:59:58 +0000",
    "",
    "Private body text that must never be printed.",
    "",
    "--part1_13d.2e68ed54_boundary--",
    "",
]))

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE feedback [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE feedback SYSTEM "file:///etc/passwd">
<feedback><report_metadata><org_name>x</org_name></report_metadata></feedback>
"""


def zip_lying_about_size(data):
    """A zip whose directories claim 100 bytes for a member that inflates to len(data)."""
    raw = bytearray(zipped("report.xml", data))
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(sig)
        struct.pack_into("<I", raw, at + off, 100)
    return bytes(raw)


def deep_mime(levels):
    headers = ["From: a@example.com", "To: b@example.com", "Subject: deep", "MIME-Version: 1.0"]
    body = "leaf\r\n"
    ctype = "text/plain"
    for i in range(levels):
        b = "b%d" % i
        body = "--%s\r\nContent-Type: %s\r\n\r\n%s\r\n--%s--\r\n" % (b, ctype, body, b)
        ctype = "multipart/mixed; boundary=\"%s\"" % b
    return mail(headers + ["Content-Type: " + ctype], body)


def main():
    write("google_like_dmarc.xml", GOOGLE_LIKE)
    write("microsoft_like_dmarc.xml", MICROSOFT_LIKE)
    write("dmarc_gzip_report.eml", dmarc_gzip_mail())
    write("dmarc_zip_report.eml", dmarc_zip_mail())
    write("tlsrpt_report.json.gz", gz(TLSRPT))
    write("tlsrpt_plain_json_labelled_gzip.eml", tlsrpt_mail_plain_json_labelled_gzip())
    write("arf_complaint.eml", ARF)
    # Negatives.
    write("billion_laughs.xml", BILLION_LAUGHS)
    write("external_entity.xml", EXTERNAL_ENTITY)
    write("zip_bomb.zip", zipped("report.xml", b"<" + b"\0" * (40 << 20)))
    write("zip_lying_bomb.zip", zip_lying_about_size(b"<" + b" " * (40 << 20)))
    write("gzip_bomb.xml.gz", gz(b"<" + b" " * (40 << 20)))
    write("truncated.xml.gz", gz(GOOGLE_LIKE)[:300])
    write("deep_mime.eml", deep_mime(20))
    write("not_a_report.eml", mail([
        "From: alice@example.com", "To: bob@example.com", "Subject: lunch?",
        "Message-ID: <lunch-1@example.com>"], "Shall we meet at noon?\r\n"))


if __name__ == "__main__":
    main()
