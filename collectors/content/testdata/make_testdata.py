#!/usr/bin/python3
"""Writes the hand-made messages of collectors/content/testdata/ (CRLF line
ends, 8-bit bytes and long lines are easier to get right in a script than in
an editor). Each covers some signals of `check message`; the expected
findings are in message_analysis_test.cc and message_check_command_test.cc.
Run from anywhere: python3 make_testdata.py"""
import base64
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def crlf(text):
    return text.replace("\n", "\r\n").encode("utf-8")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


def zip_of(name, payload, encrypted=False):
    """A one-member stored zip; `encrypted` sets general purpose bit 0."""
    flags = 1 if encrypted else 0
    crc = zlib.crc32(payload)
    n = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, 0, 0, crc, len(payload),
                        len(payload), len(n), 0) + n + payload
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 0, 0, 0, crc,
                          len(payload), len(payload), len(n), 0, 0, 0, 0, 0, 0) + n
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


HEAD = ("From: Sender <sender@example.com>\nTo: someone@example.net\n"
        "Date: Mon, 07 Dec 2026 10:00:00 +0000\nMessage-ID: <{id}@example.com>\n"
        "Subject: {subject}\nMIME-Version: 1.0\n")

write("transactional.eml", crlf(HEAD.format(id="t1", subject="Your receipt") + """\
Content-Type: text/plain; charset=us-ascii

Thanks for your order. See https://www.example.com/orders/1?x=1 or
http://shop.example.co.uk:8080/track, and (https://user:pw@example.com/again).
Plain text, no list headers, nothing attached.
"""))

write("bulk_one_click.eml", crlf(HEAD.format(id="b1", subject="Newsletter") + """\
List-Unsubscribe: <mailto:unsub@example.com?subject=unsubscribe>,
 <https://lists.example.com/u/abc>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;
 h=From:To:Subject:Date:Message-ID:LIST-UNSUBSCRIBE:list-unsubscribe-post:
 List-Unsubscribe-Post; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
 b=dGVzdA==
Content-Type: text/plain; charset=us-ascii

Monthly news at https://news.example.org/2026/12.
"""))

# Exim's default signed headers leave out List-Unsubscribe-Post (T355802).
write("bulk_exim_dkim.eml", crlf(HEAD.format(id="b2", subject="Digest") + """\
List-Id: <digest.lists.example.com>
List-Unsubscribe: <https://lists.example.com/u/def>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1;
 h=from:to:subject:date:message-id:list-id:list-unsubscribe; bh=YQ==; b=YQ==
Content-Type: text/plain

Digest.
"""))

write("bulk_http_one_click.eml", crlf(HEAD.format(id="b3", subject="Offers") + """\
Precedence: bulk
List-Unsubscribe: <http://lists.example.com/u/ghi>
List-Unsubscribe-Post: List-Unsubscribe=One-Click
Content-Type: text/plain

Offers.
"""))

write("bulk_no_unsubscribe.eml", crlf(HEAD.format(id="b4", subject="Announce") + """\
Precedence: list
X-Campaign: spring
Content-Type: text/plain

No way out.
"""))

html = """<html><body>
<a href="https://click.example.com/r?u=1">click</a>
<a HREF = 'h&#116;tps&colon;//hidden.example.net/x'>obfuscated</a>
<img src=//cdn.example.org/pixel.gif>
<a href="mailto:someone@mailto-only.example.com">mail</a>
<a href="http://192.0.2.7/ip-literal">ip</a>
<a href="/relative/path">relative</a>
<a href="https://[2001:db8::1]/v6">v6</a>
</body></html>
"""
qp_html = html.replace("=", "=3D")
# A soft line break in the middle of a URL, as quoted-printable encoders make.
qp_html = qp_html.replace("click.example.com/r?u=3D1", "click.exam=\nple.com/r?u=3D1")
write("html_links.eml", crlf(HEAD.format(id="h1", subject="HTML") + """\
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

""" + b64(b"Visit www.plain-text.example.com today, or WWW.Example.COM.\n") + """
--alt
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

""" + qp_html + """--alt--
"""))

exe = b"MZ\x90\x00" + b"\x00" * 60
docm = zip_of("word/vbaProject.bin", b"macro")
plain_zip = zip_of("report.txt", b"hello")
secret_zip = zip_of("secret.txt", b"\x00" * 12 + b"hidden", encrypted=True)
pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
write("nested_attachments.eml", crlf(HEAD.format(id="a1", subject="Files") + """\
Content-Type: multipart/mixed; boundary="outer"

preamble is ignored
--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain

See attached.
--inner
Content-Type: text/html

<p>See attached.</p>
--inner--
--outer
Content-Type: application/octet-stream; name="=?UTF-8?B?aW52b2ljZS5wZGYuZXhl?="
Content-Disposition: attachment
Content-Transfer-Encoding: base64

""" + b64(exe) + """
--outer
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*0*=utf-8''r%C3%A9sum; filename*1="e.docm"
Content-Transfer-Encoding: base64

""" + b64(docm) + """
--outer
Content-Type: application/zip; name="report.zip"
Content-Transfer-Encoding: base64

""" + b64(plain_zip) + """
--outer
Content-Type: application/octet-stream; name="data.zip"
Content-Transfer-Encoding: base64

""" + b64(secret_zip) + """
--outer
Content-Type: application/pdf; name="terms.pdf"
Content-Disposition: attachment; filename="terms.pdf"
Content-Transfer-Encoding: base64

""" + b64(pdf) + """
--outer--
epilogue
"""))

write("broken_boundary.eml", crlf(HEAD.format(id="m1", subject="Broken") + """\
Content-Type: multipart/mixed; boundary="declared"

--actual
Content-Type: text/plain

The boundary above is not the declared one: https://broken.example.com/
--actual--
"""))

write("unclosed_boundary.eml", crlf(HEAD.format(id="m2", subject="Unclosed") + """\
Content-Type: multipart/mixed; boundary=b1

--b1
Content-Type: text/plain

first part https://first.example.com/
--b1
Content-Type: text/plain

second part, and the message ends without --b1-- https://second.example.net/
"""))

deep = HEAD.format(id="m3", subject="Deep")
for i in range(10):
    deep += 'Content-Type: multipart/mixed; boundary="d%d"\n\n--d%d\n' % (i, i)
deep += "Content-Type: text/plain\n\ntoo deep to read: https://deep.example.com/\n"
for i in reversed(range(10)):
    deep += "--d%d--\n" % i
write("deep_nesting.eml", crlf(deep))

# Two From fields, no Date, no Message-ID, two Subjects, a line of 1200
# octets, a header line that is no field, and one line ending in LF alone.
long_line = "x" * 1200
problems = crlf("""\
From: a@example.com
From: b@example.com
To: c@example.net
Subject: one
Subject: two
this line is no header field
Content-Type: text/plain

""" + long_line + """
last line
""")
problems = problems.replace(b"last line\r\n", b"bare\nlast line\r\n")
write("format_problems.eml", problems)

# 8-bit UTF-8 in the body (Content-Transfer-Encoding: 8bit), an encoded-word
# subject; stored with LF line ends as Unix tools save mail (not bare LF).
write("eight_bit_lf.eml", (HEAD.format(id="e1", subject="=?utf-8?Q?Gr=C3=BC=C3=9Fe?=") + """\
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln: https://köln.example.de/ (IDN: its A-label is looked up) and
https://ascii.example.com/straße/ok
""").encode("utf-8"))

# Links to domains the tests' DNS lists in DBL-, URIBL- and SURBL-shaped
# zones, or answers with those lists' refusal codes (never a listing).
write("listed_links.eml", crlf(HEAD.format(id="l1", subject="Links") + """\
Content-Type: text/html; charset=us-ascii

<a href="https://www.dbl-listed.com/a">a</a> <a href="http://uribl-listed.net/">b</a>
<a href="https://go.surbl-listed.org/c">c</a> <a href="https://refused-dbl.com/">d</a>
<a href="https://refused-uribl.com/">e</a> <a href="https://refused-surbl.com/">f</a>
<a href="https://clean-site.com/">g</a>
"""))

# Internationalized link hosts: one in UTF-8 text, one percent-encoded, one
# by character references in HTML, all the A-label xn--bcher-kva.com that the
# tests' DBL-shaped zone lists, and one that has no A-label (a snowman).
write("idn_links.eml", crlf(HEAD.format(id="i1", subject="IDN") + """\
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bücher: https://shop.bücher.com/neu and https://b%C3%BCcher.com/ and https://☃.net/
--b1
Content-Type: text/html; charset=us-ascii

<a href="https://www.b&#252;cher.com/">B&uuml;cher</a> <a href="https://clean-site.com/">g</a>
--b1--
"""))
