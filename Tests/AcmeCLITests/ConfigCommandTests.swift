import Foundation
import Testing

@Suite struct ConfigCommandTests {
    @Test func checkAcceptsTheRepositorysOwnConfiguration() throws {
        let run = try AcmeProcess.run(["config", "check", AcmeProcess.packageRoot.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "")
        let routeFiles = try FileManager.default
            .contentsOfDirectory(atPath: AcmeProcess.packageRoot.appendingPathComponent("routes").path)
            .filter { $0.hasSuffix(".json") }
        let summary = try #require(
            run.standardOutput.wholeMatch(
                of: #/configuration OK: (\d+) services, (\d+) routes, (\d+) plugins, (\d+) consumers\n/#
            )
        )
        // One service a file.
        #expect(Int(summary.output.1) == routeFiles.count)
        #expect(Int(summary.output.2).map { $0 >= routeFiles.count } == true)
    }

    @Test func checkCountsWhatItLoaded() throws {
        let directory = try ConfigDirectory([
            "plugins.json": #"{ "consumers": [{ "username": "app" }], "plugins": [] }"#,
            "routes/a.json": #"""
                { "service": { "name": "a", "url": "http://127.0.0.1:9001" },
                  "routes": [{ "name": "a1", "paths": ["/a"] }, { "name": "a2", "paths": ["/a2"] }] }
                """#,
        ])
        defer { directory.remove() }
        let run = try AcmeProcess.run(["config", "check", directory.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput == "configuration OK: 1 services, 2 routes, 0 plugins, 1 consumers\n")
    }

    @Test func checkPrintsEveryErrorSortedByFileThenPath() throws {
        let directory = try ConfigDirectory(CLIFixtures.invalidFiles)
        defer { directory.remove() }
        let run = try AcmeProcess.run(["config", "check", directory.path])
        #expect(run.status == 1)
        #expect(run.standardOutput == "")
        #expect(run.standardError == CLIFixtures.errors.joined(separator: "\n") + "\n")
    }

    @Test func checkOfAMissingDirectoryFails() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("acme-missing-\(UUID().uuidString)")
        let run = try AcmeProcess.run(["config", "check", missing.path])
        #expect(run.status == 1)
        #expect(run.standardError == "\(missing.path): configuration directory not found\n")
    }
}
