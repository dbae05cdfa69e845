import Foundation
import Testing

@Suite struct RoutesCommandTests {
    @Test func printsTheTableInPriorityOrder() throws {
        let directory = try ConfigDirectory([
            "plugins.json": #"{ "consumers": [], "plugins": [] }"#,
            "routes/api.json": #"""
                {
                  "service": { "name": "api", "url": "http://127.0.0.1:9001/v1" },
                  "routes": [
                    { "name": "list", "paths": ["/api"], "methods": ["GET"] },
                    { "name": "item", "paths": ["~/api/\\d+$"], "regex_priority": 2, "strip_path": false },
                    { "name": "versioned", "paths": ["/api"], "headers": { "x-version": ["2", "3"] } }
                  ]
                }
                """#,
            "routes/web.json": #"""
                {
                  "service": {
                    "name": "web",
                    "upstream": { "targets": [{ "target": "10.0.0.5:8080", "weight": 100 }, { "target": "10.0.0.6:8080" }] }
                  },
                  "routes": [
                    { "name": "site", "hosts": ["www.example.com", "*.example.org"], "paths": ["/"] },
                    { "name": "posts", "methods": ["POST"] }
                  ]
                }
                """#,
        ])
        defer { directory.remove() }
        let run = try AcmeProcess.run(["routes", directory.path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "")
        #expect(
            run.outputLines == [
                "#  ROUTE      SERVICE  METHODS  HOSTS                          PATHS       HEADERS        STRIP  UPSTREAM                     PLUGINS",
                "1  versioned  api      *        *                              /api        x-version=2|3  yes    127.0.0.1:9001/v1            -",
                "2  list       api      GET      *                              /api        -              yes    127.0.0.1:9001/v1            -",
                "3  site       web      *        www.example.com,*.example.org  /           -              yes    10.0.0.5:8080,10.0.0.6:8080  -",
                "4  item       api      *        *                              ~/api/\\d+$  -              no     127.0.0.1:9001/v1            -",
                "5  posts      web      POST     *                              *           -              yes    10.0.0.5:8080,10.0.0.6:8080  -",
                "",
            ]
        )
    }

    @Test func printsTheRepositorysRoutes() throws {
        let run = try AcmeProcess.run(["routes", AcmeProcess.packageRoot.path])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.outputLines.filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("#  ROUTE ") == true)
        // Rows numbered 1, 2, … in order.
        let numbers = lines.dropFirst().map { $0.prefix { $0 != " " } }
        #expect(numbers == (1..<lines.count).map { Substring(String($0)) })
    }

    @Test func refusesAnInvalidConfigurationWithEveryError() throws {
        let directory = try ConfigDirectory(CLIFixtures.invalidFiles)
        defer { directory.remove() }
        let run = try AcmeProcess.run(["routes", directory.path])
        #expect(run.status == 1)
        #expect(run.standardOutput == "")
        #expect(run.standardError == CLIFixtures.errors.joined(separator: "\n") + "\n")
    }
}
