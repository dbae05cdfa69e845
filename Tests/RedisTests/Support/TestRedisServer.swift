import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A redis-server of the test's own: a free loopback port, a fresh temporary directory, no persistence. Stop and
/// start it to test what clients do when the server goes away and comes back; `remove()` stops it for good.
final class TestRedisServer {
    private(set) var port: Int
    let directory: URL
    private let executable: String
    private let extraArguments: [String]
    /// The running server's process id (a child of the test process, reaped by `stop`).
    private var pid: pid_t?
    /// How many times the server was started: each start logs to its own file.
    private var starts = 0

    /// The server's Unix socket, when it was made with `unixSocket: true`.
    var socketPath: String { self.directory.appendingPathComponent("redis.sock").path }
    private var logPath: String { self.directory.appendingPathComponent("redis-\(self.starts).log").path }

    init(extraArguments: [String] = [], unixSocket: Bool = false) async throws {
        guard let executable = TestEnvironment.redisServerPath else {
            throw TestFailure("redis-server is not on the PATH")
        }
        self.executable = executable
        self.port = try await freePort()
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("redis-tests-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let socket = self.directory.appendingPathComponent("redis.sock").path
        self.extraArguments = extraArguments + (unixSocket ? ["--unixsocket", socket] : [])
        // A port free when probed may be taken by the time a busy machine starts the server: then another one.
        var attempts = 0
        while true {
            do {
                try await self.start()
                return
            } catch let failure as TestFailure where failure.description.contains("Address already in use") && attempts < 5 {
                attempts += 1
                self.port = try await freePort()
            } catch {
                try? FileManager.default.removeItem(at: self.directory)
                throw error
            }
        }
    }

    /// Starts the server and waits until it says it is ready to accept connections.
    func start() async throws {
        self.starts += 1
        let arguments =
            [
                self.executable, "--port", "\(self.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", self.directory.path, "--logfile", self.logPath,
            ] + self.extraArguments
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test process blocks signals on its threads, and a child inherits the mask: unblock them all and reset
        // the usual ones to their defaults, or redis-server would never see SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // Nor may the server inherit the test process's sockets (another test's listener, clients' connections):
        // it would keep them open, and their ports taken.
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        guard let closeFrom = Self.addCloseFrom else {
            throw TestFailure("glibc has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 and later have it)")
        }
        _ = closeFrom(&fileActions, 3)
        var pid: pid_t = 0
        let status = posix_spawn(&pid, self.executable, &fileActions, &attributes, argv, environ)
        guard status == 0 else { throw TestFailure("cannot start redis-server: error \(status)") }
        self.pid = pid
        for _ in 0..<400 {
            let log = (try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? ""
            if log.contains("Ready to accept connections") { return }
            if let status = self.reap(pid) {
                self.pid = nil
                throw TestFailure("redis-server on port \(self.port) exited (wait status \(status)):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        try await self.stop()
        throw TestFailure("redis-server on port \(self.port) was not ready within 10 s")
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does not export.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    /// Stops the server (SIGTERM, then SIGKILL if it lingers) and waits until it has exited.
    func stop() async throws {
        guard let pid = self.pid else { return }
        self.pid = nil
        kill(pid, SIGTERM)
        for _ in 0..<200 {
            if self.reap(pid) != nil { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Stops the server and removes its directory.
    func remove() async throws {
        try await self.stop()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The exit status of `pid` if it has exited (and is now reaped), nil while it runs.
    private func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid ? status : nil
    }

}

/// Runs `body` with a private redis-server, and removes the server afterwards.
func withTestRedisServer(
    extraArguments: [String] = [],
    unixSocket: Bool = false,
    _ body: (TestRedisServer) async throws -> Void
) async throws {
    let server = try await TestRedisServer(extraArguments: extraArguments, unixSocket: unixSocket)
    do {
        try await body(server)
        try await server.remove()
    } catch {
        try? await server.remove()
        throw error
    }
}
