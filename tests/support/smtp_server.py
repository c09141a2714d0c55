"""A real SMTP server on 127.0.0.1 for the tests of `chorus digest --send` (aiosmtpd).

Usage: smtp_server.py OUT_DIR [--auth USER:PASSWORD] [--reject ADDRESS]...

Prints `PORT <n>` once it listens on a free port. Every SMTP event is appended to
OUT_DIR/events.jsonl; every accepted message is written to OUT_DIR/message-<n>.eml exactly as
received (after SMTP's dot-unstuffing), and read with Python's own `email` package into
OUT_DIR/message-<n>.json (headers, and each part's type and decoded text).
"""

import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    out = sys.argv[1]
    auth = None
    reject = set()
    args = sys.argv[2:]
    while args:
        flag, value, args = args[0], args[1], args[2:]
        if flag == "--auth":
            auth = tuple(value.split(":", 1))
        elif flag == "--reject":
            reject.add(value.lower())
    count = [0]

    def log(**event):
        with open(os.path.join(out, "events.jsonl"), "a") as f:
            f.write(json.dumps(event) + "\n")

    class Handler:
        async def handle_MAIL(self, server, session, envelope, address, options):
            log(event="MAIL", address=address)
            envelope.mail_from = address
            return "250 OK"

        async def handle_RCPT(self, server, session, envelope, address, options):
            log(event="RCPT", address=address)
            if address.lower() in reject:
                return "550 5.1.1 <%s>: no such mailbox here" % address
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            count[0] += 1
            n = count[0]
            raw = envelope.original_content
            log(event="DATA", mail_from=envelope.mail_from, rcpt_tos=envelope.rcpt_tos, n=n)
            with open(os.path.join(out, "message-%d.eml" % n), "wb") as f:
                f.write(raw)
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            parts = []
            for part in msg.walk():
                if part.is_multipart():
                    continue
                parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(), "text": part.get_content()})
            parsed = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "headers": {k: str(v) for k, v in msg.items()},
                "content_type": msg.get_content_type(),
                "parts": parts,
                "defects": [str(d) for d in msg.defects],
            }
            with open(os.path.join(out, "message-%d.json" % n), "w") as f:
                json.dump(parsed, f)
            return "250 2.0.0 Accepted"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == auth
        log(event="AUTH", mechanism=mechanism, ok=ok)
        return AuthResult(success=ok, handled=False)

    def factory():
        if auth:
            return SMTP(Handler(), hostname="smtp.test", authenticator=authenticator, auth_required=True,
                        auth_require_tls=False)
        return SMTP(Handler(), hostname="smtp.test")

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
