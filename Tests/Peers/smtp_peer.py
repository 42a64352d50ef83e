"""An SMTP server for the notification tests, built on aiosmtpd: STARTTLS (required before AUTH),
AUTH PLAIN and LOGIN against one user, 8BITMIME as aiosmtpd offers it. Prints `READY <port> <ca>`
once it listens, then one JSON line per message it accepts.

  python smtp_peer.py --user U --password P [--transient N] [--permanent]
"""
import argparse, asyncio, base64, json, os, socket, ssl, subprocess, sys, tempfile

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--transient", type=int, default=0, help="answer 451 to the first N recipients")
parser.add_argument("--permanent", action="store_true", help="answer 550 to every recipient")
options = parser.parse_args()

folder = tempfile.mkdtemp(prefix="smtp-peer-")
cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)

logins = []


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == options.user.encode() and auth_data.password == options.password.encode()
    if ok:
        logins.append(mechanism)
    return AuthResult(success=ok)


class Handler:
    transient = options.transient

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if Handler.transient > 0:
            Handler.transient -= 1
            return "451 4.3.0 Try again later"
        if options.permanent:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "mechanisms": logins,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode(),
        }), flush=True)
        return "250 2.0.0 Queued"


with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                        authenticator=authenticate, auth_require_tls=True, decode_data=False, server_hostname="localhost")
controller.start()
print(f"READY {port} {cert}", flush=True)
try:
    sys.stdin.read()  # until the test closes our stdin
finally:
    controller.stop()
