import Foundation
import Testing

/// One finished run of the `acme` binary.
struct AcmeRun: Sendable {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Standard output's lines, without trailing spaces (the routes table pads its last column).
    var outputLines: [String] {
        self.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(line.reversed().drop { $0 == " " }.reversed())
        }
    }
}

/// Runs the `acme` executable that `swift build` built, as a user would.
enum AcmeProcess {
    /// The package's root directory: this file is `Tests/AcmeCLITests/Support/AcmeProcess.swift`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `acme` binary: next to the test bundle (the build folder of the configuration being tested), else
    /// `.build/debug/acme` under the package root.
    static func binary() throws -> URL {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(Self.packageRoot.appendingPathComponent(".build/debug"))
        let candidates = folders.map { $0.appendingPathComponent("acme") }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "no acme binary at \(candidates.map(\.path)); run swift build --build-tests")
    }

    /// Runs `acme` with `arguments` until it exits, killing it after `limit` seconds (a gateway that started
    /// instead of refusing its configuration would otherwise run forever).
    /// `directory` is the working directory (default: this process'); `environment` sets (or, with `nil`, removes)
    /// variables.
    static func run(
        _ arguments: [String], limit: Double = 120, directory: URL? = nil, environment changes: [String: String?] = [:]
    ) throws -> AcmeRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acme-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputURL = folder.appendingPathComponent("stdout")
        let errorURL = folder.appendingPathComponent("stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)

        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_FORMAT"] = "text"
        for (name, value) in changes { environment[name] = value }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        try output.close()
        try error.close()
        return AcmeRun(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        )
    }
}

/// A configuration directory in the temporary folder, removed by `remove()`.
struct ConfigDirectory {
    let url: URL

    var path: String { self.url.path }

    /// Writes `files` (paths relative to the directory, such as `routes/orders.json`) into a new directory.
    init(_ files: [String: String]) throws {
        self.url = FileManager.default.temporaryDirectory.appendingPathComponent("acme-config-\(UUID().uuidString)")
        for (name, contents) in files {
            let file = self.url.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(contents.utf8).write(to: file)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: self.url)
    }
}

/// Configurations the command tests share.
enum CLIFixtures {
    /// Errors in three files, in each file out of path order (`service` after `routes` in one, before in the
    /// other); `errors` is what `acme` must print, sorted by file then path.
    static let invalidFiles: [String: String] = [
        "plugins.json": #"{ "plugins": [], "consumers": [], "extra": 1 }"#,
        "routes/orders.json": #"""
            {
              "service": { "name": "orders", "url": "ftp://127.0.0.1:8102", "retries": -1 },
              "routes": [
                { "name": "orders", "paths": ["/api/orders"], "strip_path": "yes", "colour": "red" },
                { "name": "orders", "paths": ["/api/orders2"], "methods": [1] }
              ]
            }
            """#,
        "routes/inventory.json": #"""
            {
              "routes": [{ "name": "stock", "paths": ["/api/stock"], "hosts": [""] }],
              "service": { "name": "inventory", "url": "http://127.0.0.1:8103", "read_timeout": "slow" }
            }
            """#,
    ]

    static let errors = [
        #"plugins.json: extra: unknown field; allowed fields are consumers, plugins"#,
        #"routes/inventory.json: routes[0].hosts[0]: expected a host name, "*.example.com" or "example.*", got """#,
        #"routes/inventory.json: service.read_timeout: expected a positive integer of milliseconds up to 2147483646, got "slow""#,
        #"routes/orders.json: routes[0].colour: unknown field; allowed fields are name, paths, methods, hosts, headers, strip_path, preserve_host, regex_priority, plugins"#,
        #"routes/orders.json: routes[0].strip_path: expected true or false, got "yes""#,
        #"routes/orders.json: routes[1].methods[0]: expected a string, got 1"#,
        #"routes/orders.json: routes[1].name: expected a unique route name, got "orders" (already used at routes/orders.json: routes[0].name)"#,
        #"routes/orders.json: service.retries: expected an integer from 0 to 32767, got -1"#,
        #"routes/orders.json: service.url: expected an http:// or https:// URL, got "ftp://127.0.0.1:8102""#,
    ]
}
