import Foundation
import Testing

/// `acme service orders` refusing to start without its OAuth client (which `acme up` creates; the platform's own
/// walkthrough test, in PlatformTests, runs `acme up`).
@Suite struct OrdersCommandTests {
    @Test func theOrderServiceNeedsItsOAuthClient() throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        let run = try AcmeProcess.run(
            ["service", "orders", "--listen", "127.0.0.1:0"], directory: workspace.url,
            environment: workspace.environment.merging(["ORDERS_CLIENT_ID": nil, "ORDERS_CLIENT_SECRET": nil]) { $1 })
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains("ORDERS_CLIENT_ID and ORDERS_CLIENT_SECRET: required"))
    }
}
