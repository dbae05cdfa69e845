import Foundation
import ServiceKitTesting

/// A server the tests run as a Python subprocess (aiosmtpd, moto) on a free loopback port: the script writes the
/// port to a file once it listens; `stop()` ends it.
final class PythonServer {
    let port: Int
    private let process: Process
    let folder: String

    private init(port: Int, process: Process, folder: String) {
        self.port = port
        self.process = process
        self.folder = folder
    }

    /// Whether `python3` can import `module`.
    static func hasModule(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Starts `script` (given the port file and a folder of its own as `sys.argv[1]` and `sys.argv[2]`, then
    /// `arguments`) and waits until it has written its port.
    static func start(_ script: String, arguments: [String] = []) async throws -> PythonServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-python-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let portFile = folder + "/port"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-W", "ignore", "-c", script, portFile, folder] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/stderr")
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return PythonServer(port: port, process: process, folder: folder)
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestSetupError("the Python server did not start (is its module installed? `make test` installs it)")
    }

    /// Ends the server (SIGKILL: the child inherits the test runner's blocked signals, SIGTERM among them) and
    /// removes its folder.
    func stop() async {
        kill(self.process.processIdentifier, SIGKILL)
        for _ in 0..<100 where self.process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        try? FileManager.default.removeItem(atPath: self.folder)
    }

    /// Runs `body` with a started server, stopped afterwards.
    static func with<Result>(
        _ script: String, arguments: [String] = [], _ body: (PythonServer) async throws -> Result
    ) async throws -> Result {
        let server = try await Self.start(script, arguments: arguments)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// Whether the provider servers' tests run: their Python modules are there, or CI requires them (and fails
/// without them).
enum ProviderServers {
    static let smtpTestsRun = ServiceTestEnvironment.isCI || PythonServer.hasModule("aiosmtpd")
    static let sesTestsRun = ServiceTestEnvironment.isCI || PythonServer.hasModule("moto.server")

    /// An aiosmtpd server that requires a login (`mailer` / `s3cret`, over AUTH PLAIN and LOGIN unless an argument
    /// excludes one) and, given `--tls=CERT,KEY`, STARTTLS before anything else; it answers 451 to recipients at
    /// `busy.test` and writes each message it accepts as JSON (`from`, `to`, `data`) to `<n>.json` in its folder.
    static let smtpScript = #"""
        import asyncio, json, os, socket, ssl, sys, time
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword
        port_file, folder = sys.argv[1], sys.argv[2]
        excluded = [m for m in sys.argv[3:] if not m.startswith("--tls=")]
        tls = [m[6:].split(",") for m in sys.argv[3:] if m.startswith("--tls=")]
        options = {}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(tls[0][0], tls[0][1])
            options = {"tls_context": context, "require_starttls": True}

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.endswith("@busy.test"):
                    return "451 4.3.0 mailbox busy, try later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                count = len([n for n in os.listdir(folder) if n.endswith(".json")])
                path = os.path.join(folder, "%d.json" % count)
                with open(path + ".tmp", "w") as f:
                    json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                               "data": envelope.content.decode("utf-8", "replace")}, f)
                os.rename(path + ".tmp", path)
                return "250 OK queued"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer"
                  and auth_data.password == b"s3cret")
            return AuthResult(success=ok, handled=False)

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                                auth_required=True, auth_require_tls=False, auth_exclude_mechanism=excluded,
                                **options)
        controller.start()
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.rename(port_file + ".tmp", port_file)
        while True:
            time.sleep(1)
        """#

    /// moto's server on a free loopback port.
    static let motoScript = #"""
        import os, socket, sys, threading, time, urllib.request
        from moto.server import ThreadedMotoServer
        port_file = sys.argv[1]
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.rename(port_file + ".tmp", port_file)
        while True:
            time.sleep(1)
        """#
}
