"""A real SMTP server on loopback for the mail tests (aiosmtpd, installed by
scripts/setup.sh --tests). Each message it accepts is kept as a file in DIR, written
whole and then renamed, so a reader never sees half a message.

    python3 smtp_sink.py DIR [--stall-at N]

Prints "PORT <n>" once it listens. With --stall-at N, the N-th message's RCPT is held
(after writing DIR/stalled) for a minute, once: long enough for a test to kill the
sender mid-delivery. A message whose sender went away before DATA is never kept,
as with any SMTP server.
"""

import argparse
import asyncio
import itertools
import os
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, stall_at):
        self.directory = directory
        self.stall_at = stall_at
        self.transactions = itertools.count(1)
        self.kept = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        number = next(self.transactions)
        if number == self.stall_at:
            with open(os.path.join(self.directory, "stalled"), "w") as marker:
                marker.write(str(number))
            await asyncio.sleep(60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.kept)
        final = os.path.join(self.directory, f"message-{number:05}.eml")
        partial = final + ".part"
        with open(partial, "wb") as out:
            out.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            out.write(envelope.content)
        os.rename(partial, final)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--stall-at", type=int, default=0)
    arguments = parser.parse_args()
    # aiosmtpd's controller checks its own port, so it needs a real one: ask the kernel.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        Sink(arguments.directory, arguments.stall_at), hostname="127.0.0.1", port=port
    )
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        # Until the test kills us or closes our stdin.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
