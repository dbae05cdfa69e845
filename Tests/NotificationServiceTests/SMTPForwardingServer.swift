/// An aiosmtpd server without login that answers `251 user not local; will forward` to recipients at
/// `forward.test` (and 250 to the others), and writes each message it accepts as JSON (`from`, `to`, `data`) to
/// `<n>.json` in its folder; started with `PythonServer`.
enum SMTPForwardingServer {
    static let script = #"""
        import json, os, socket, sys, time
        from aiosmtpd.controller import Controller
        port_file, folder = sys.argv[1], sys.argv[2]

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                envelope.rcpt_tos.append(address)
                if address.endswith("@forward.test"):
                    return "251 2.1.5 user not local; will forward"
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                count = len([n for n in os.listdir(folder) if n.endswith(".json")])
                path = os.path.join(folder, "%d.json" % count)
                with open(path + ".tmp", "w") as f:
                    json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                               "data": envelope.content.decode("utf-8", "replace")}, f)
                os.rename(path + ".tmp", path)
                return "250 OK queued"

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.rename(port_file + ".tmp", port_file)
        while True:
            time.sleep(1)
        """#
}
