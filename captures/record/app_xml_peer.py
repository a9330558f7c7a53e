#!/usr/bin/env python3
"""Peers for captures/record/app-xml.sh: an HTTP server on loopback that answers with XML
documents of the media types tshark hands to its XML dissector (a game server's settings,
a lobby roster, a news feed with prefixes, a document type with its own declarations, a
style sheet instruction, an SVG badge, Korean text, a long match log, and documents written
wrong in the ways tshark's reader notices), and the client that asks for each over one
connection, then posts a SOAP request and a bug report with two XML parts.

  app_xml_peer.py server HOST PORT
  app_xml_peer.py client HOST PORT
"""
import http.client

from peers import QuietHTTP, http_peer_main

DOCS = {
    "/config.xml": ("application/xml", """<?xml version="1.0" encoding="UTF-8"?>
<!-- match server settings -->
<server name="eu-1" region='eu-west' port=7777>
  <tick rate="64"/>
  <map id="3">Harbor</map>
  <motd><![CDATA[Welcome <b>back</b>!]]></motd>
  <limits players="16" spectators="4" />
</server>
"""),
    "/lobby": ("text/xml", "<lobby><player id=\"1\" ready=yes>kim</player><player id=\"2\"/>waiting for 2 more\n</lobby>"),
    "/feed": ("application/atom+xml", """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:gs="urn:example:game-stats">
 <title>Patch notes</title>
 <entry>
  <title type="text">Season 4</title>
  <gs:rank tier="gold">12</gs:rank>
  <gs : season >4</gs:season>
 </entry>
</feed>
"""),
    "/doctype": ("application/xml", """<?xml version="1.0" standalone="yes"?>
<!DOCTYPE replay [
  <!ELEMENT replay (frame*)>
  <!ATTLIST frame tick CDATA #REQUIRED>
]>
<replay><frame tick="1">MOVE 3 4</frame><frame tick="2"/></replay>
"""),
    "/public": ("application/xml", """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html><body><p>Server status: <em>up</em></p></body></html>
"""),
    "/styled": ("text/xml", """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="ladder.xsl"?>
<ladder season="4"><row rank="1" name="kim" score="2410"/></ladder>
"""),
    "/badge.svg": ("image/svg+xml", """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="20">
  <rect width="120" height="20" fill="#4c1"/>
  <text x="6" y="14">ping 12 ms</text>
</svg>
"""),
    "/ko": ("application/xml", """<?xml version="1.0" encoding="UTF-8"?>
<notice lang="ko" title="점검 안내">서버 점검: 오전 4시부터 6시까지</notice>
"""),
    "/broken": ("application/xml", """</orphan>
<score a="1 < 2" b=" padded " c="" d='it''s'>3 < 4 and 5 > 4</score>
<bad x="\\"quoted\\"">?</bad>
< spaced >text</ spaced >
<?xml version="1.0"?>
]>
<unclosed>
"""),
}

LOG = "<log match=\"981\">\n" + "".join(
    f"  <event t=\"{t}\" kind=\"{'shot' if t % 3 else 'move'}\" player=\"{t % 5}\">x={t * 7 % 100} y={t * 11 % 100}</event>\n"
    for t in range(120)) + "</log>\n"
DOCS["/match-log.xml"] = ("text/xml", LOG)

MOTD = "Season 4 is live. " * 16
LATER = {"/motd": ("application/xml", f'<motd banner="{MOTD.strip()}">\n{MOTD}</motd>\n')}
# Documents in UTF-16 with a byte-order mark (tshark decodes them first): big-endian with
# Korean text and an emoji, little-endian with a NUL in its text (tshark stops there).
UTF16 = {
    "/utf16be": ("application/xml", "\ufeff<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<chat from=\"kim\">gg \U0001F600 잘했어요</chat>\n".encode("utf-16-be")),
    "/utf16le": ("text/xml", "\ufeff<log><line>boot</line><line>x\u0000y</line></log>\n".encode("utf-16-le")),
}

SOAP = """<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">
  <soap:Body><JoinQueue><Mode>ranked</Mode></JoinQueue></soap:Body>
</soap:Envelope>
"""


class Handler(QuietHTTP):
    def do_GET(self):
        ctype, body = {**DOCS, **LATER, **UTF16}[self.path]
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def client(host, port):
    c = http.client.HTTPConnection(host, port)
    for path in DOCS:
        c.request("GET", path)
        c.getresponse().read()
    c.request("POST", "/queue", body=SOAP.encode(), headers={"Content-Type": "application/soap+xml; charset=utf-8"})
    c.getresponse().read()
    # A bug report: two XML parts (the client's settings, a screenshot as SVG) and a note.
    b = "----reportXml"
    parts = [("settings", "settings.xml", "application/xml", DOCS["/config.xml"][1]),
             ("note", None, "text/plain", "lag spikes after the patch\n"),
             ("shot", "shot.svg", "image/svg+xml", DOCS["/badge.svg"][1])]
    body = "".join(
        f"--{b}\r\nContent-Disposition: form-data; name=\"{n}\"" + (f"; filename=\"{f}\"" if f else "")
        + f"\r\nContent-Type: {t}\r\n\r\n{d}\r\n" for n, f, t, d in parts) + f"--{b}--\r\n"
    c.request("POST", "/report", body=body.encode(), headers={"Content-Type": f"multipart/form-data; boundary={b}"})
    c.getresponse().read()
    # Text and an attribute longer than a tree line holds (tshark cuts the labels).
    c.request("GET", "/motd")
    c.getresponse().read()
    for path in UTF16:
        c.request("GET", path)
        c.getresponse().read()
    c.close()


http_peer_main(Handler, client)
