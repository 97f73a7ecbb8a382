#!/usr/bin/env python3
"""A real SMTP server for integration tests, built on aiosmtpd.

Listens on 127.0.0.1 (free port), writes the port to --port-file once
listening, stores every accepted message under --maildir, and can inject
faults per recipient. See README.md beside this file.
"""
import argparse
import asyncio
import json
import logging
import os
import re
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult

log = logging.getLogger("smtp-fixture")
FAULT_RE = re.compile(r"^(451-once|550|drop-data|slow-data:\d+(\.\d+)?)$")


def write_atomic(path, data):
    d, name = os.path.split(path)
    tmp = os.path.join(d, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Handler:
    """aiosmtpd handler: only the documented handle_EHLO/RCPT/DATA hooks."""

    def __init__(self, maildir, faults, data_delay):
        self.maildir = maildir
        self.faults = faults
        self.data_delay = data_delay
        self.greylisted = set()  # addresses that already got their 451
        self.dropped = set()     # addresses whose DATA was already dropped
        existing = [int(n[:6]) for n in os.listdir(maildir)
                    if re.fullmatch(r"\d{6}\.eml", n)]
        self.seq = max(existing, default=0)

    @staticmethod
    def is_tls(server):
        t = server.transport
        return t is not None and t.get_extra_info("ssl_object") is not None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # required when this hook is implemented
        log.info("EHLO %s from %s:%s tls=%s", hostname, *session.peer[:2],
                 self.is_tls(server))
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        key = address.lower()
        fault = self.faults.get(key)
        if fault == "550":
            log.info("RCPT %s -> 550 (fault)", address)
            return "550 5.1.1 No such user"
        if fault == "451-once" and key not in self.greylisted:
            self.greylisted.add(key)
            log.info("RCPT %s -> 451 (fault, once)", address)
            return "451 4.7.1 Greylisted, try again"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        log.info("RCPT %s -> 250", address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        keys = [a.lower() for a in envelope.rcpt_tos]
        for key in keys:
            if self.faults.get(key) == "drop-data" and key not in self.dropped:
                self.dropped.add(key)
                log.info("DATA for %s dropped (fault): closing without reply", key)
                server.transport.abort()
                # connection_lost() cancels this task; nothing is ever replied.
                await asyncio.sleep(3600)
                return "421 4.3.0 unreachable"
        self.seq += 1
        base = os.path.join(self.maildir, "%06d" % self.seq)
        login = getattr(session.auth_data, "login", None)
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                "auth_user": login if session.authenticated else None,
                "tls": self.is_tls(server)}
        # Sidecar first, message last: once NNNNNN.eml exists, both are complete.
        write_atomic(base + ".json", json.dumps(meta, indent=1).encode() + b"\n")
        write_atomic(base + ".eml", envelope.original_content)
        log.info("stored %06d.eml (%d bytes) from %s to %s", self.seq,
                 len(envelope.original_content), envelope.mail_from,
                 ",".join(envelope.rcpt_tos))
        delay = self.data_delay
        for key in keys:
            fault = self.faults.get(key, "")
            if fault.startswith("slow-data:"):
                delay = max(delay, float(fault.split(":", 1)[1]))
        if delay > 0:
            log.info("delaying 250 by %ss", delay)
            await asyncio.sleep(delay)
        return "250 OK"


def make_authenticator(user, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode("utf-8", "replace")
        ok = (auth_data.login == user.encode() and auth_data.password == password.encode())
        log.info("AUTH %s user=%s -> %s", mechanism, login, "ok" if ok else "535 failed")
        if ok:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)  # aiosmtpd replies 535
    return authenticator


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port-file", required=True, metavar="PATH")
    p.add_argument("--maildir", required=True, metavar="DIR")
    p.add_argument("--tls-cert", metavar="CERT")
    p.add_argument("--tls-key", metavar="KEY")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth", metavar="USER:PASSWORD")
    p.add_argument("--faults", metavar="FILE")
    p.add_argument("--data-delay", type=float, default=0.0, metavar="SECONDS")
    a = p.parse_args(argv)
    if bool(a.tls_cert) != bool(a.tls_key):
        p.error("--tls-cert and --tls-key go together")
    if a.implicit_tls and not a.tls_cert:
        p.error("--implicit-tls needs --tls-cert and --tls-key")
    if a.auth is not None and ":" not in a.auth:
        p.error("--auth must be USER:PASSWORD")
    a.fault_map = {}
    if a.faults:
        with open(a.faults) as f:
            raw = json.load(f)
        if not isinstance(raw, dict):
            p.error("--faults must hold a JSON object")
        for k, v in raw.items():
            if not isinstance(v, str) or not FAULT_RE.match(v):
                p.error("bad fault for %s: %r" % (k, v))
            a.fault_map[k.lower()] = v
    return a


async def serve(a):
    os.makedirs(a.maildir, exist_ok=True)
    handler = Handler(a.maildir, a.fault_map, a.data_delay)
    tls = None
    if a.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.tls_cert, a.tls_key)
    kwargs = dict(hostname="localhost", enable_SMTPUTF8=True)
    if tls and not a.implicit_tls:
        kwargs.update(tls_context=tls, require_starttls=True)
    if a.auth is not None:
        user, password = a.auth.split(":", 1)
        # aiosmtpd only counts STARTTLS as TLS, so implicit TLS needs this too.
        kwargs.update(authenticator=make_authenticator(user, password),
                      auth_required=True,
                      auth_require_tls=bool(tls and not a.implicit_tls))
    n = 0

    def factory():
        nonlocal n
        n += 1
        log.info("connection #%d accepted", n)
        return SMTP(handler, **kwargs)

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await loop.create_server(factory, host="127.0.0.1", port=0,
                                      ssl=tls if a.implicit_tls else None)
    port = server.sockets[0].getsockname()[1]
    mode = "implicit-tls" if a.implicit_tls else ("starttls" if tls else "plain")
    log.info("listening on 127.0.0.1:%d (%s, auth=%s, faults=%d)", port, mode,
             "on" if a.auth is not None else "off", len(a.fault_map))
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))  # no newline
    os.replace(tmp, a.port_file)

    await stop.wait()
    log.info("signal received, shutting down")
    server.close()


def main(argv=None):
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(name)s: %(message)s")
    aio_log = logging.getLogger("mail.log")  # aiosmtpd's own logger
    aio_log.setLevel(logging.WARNING)
    # Deliberate or internal to aiosmtpd 1.4 (it sets the deprecated login_data
    # itself): don't repeat these on every connection.
    aio_log.addFilter(lambda r: not any(
        s in r.getMessage() for s in ("auth_require_tls", "login_data is deprecated")))
    warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
    a = parse_args(argv)
    try:
        os.remove(a.port_file)  # a stale port file must not look like "ready"
    except FileNotFoundError:
        pass
    asyncio.run(serve(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
