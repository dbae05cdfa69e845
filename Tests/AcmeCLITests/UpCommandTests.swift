import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// `acme up` as a user runs it, on the repository's own `plugins.json` and `routes/`: users, inventory and orders
/// beside the gateway (here on free loopback ports, SQLite in a temporary working directory), the order service's
/// OAuth client created at start; and `acme service orders` refusing to start without its client.
@Suite struct UpCommandTests {
    @Test func theOrderServiceNeedsItsOAuthClient() throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        let run = try AcmeProcess.run(
            ["service", "orders", "--listen", "127.0.0.1:0"], directory: workspace.url,
            environment: workspace.environment.merging(["ORDERS_CLIENT_ID": nil, "ORDERS_CLIENT_SECRET": nil]) { $1 })
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains("ORDERS_CLIENT_ID and ORDERS_CLIENT_SECRET: required"))
    }

    @Test func upRunsTheServicesBehindTheGatewayAndAnOrderReservesStock() async throws {
        let workspace = try UsersCommandTests.Workspace()
        defer { workspace.remove() }
        for file in ["plugins.json", "routes"] {
            try FileManager.default.copyItem(
                at: AcmeProcess.packageRoot.appendingPathComponent(file),
                to: workspace.url.appendingPathComponent(file))
        }
        let ports = try (0..<6).map { _ in try Self.freePort() }
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in workspace.environment { environment[name] = value }
        for name in ["ORDERS_CLIENT_ID", "ORDERS_CLIENT_SECRET", "INVENTORY_DATABASE_URL", "ORDERS_DATABASE_URL"] {
            environment[name] = nil
        }
        for (index, service) in ["USERS", "ORDERS", "INVENTORY"].enumerated() {
            environment["\(service)_LISTEN"] = "127.0.0.1:\(ports[index])"
            environment["\(service)_URL"] = "http://127.0.0.1:\(ports[index])"
        }
        environment["NOTIFICATIONS_LISTEN"] = "127.0.0.1:\(ports[5])"
        environment["NOTIFICATIONS_URL"] = "http://127.0.0.1:\(ports[5])"
        let log = workspace.url.appendingPathComponent("up.log")
        try Data().write(to: log)
        let process = Process()
        process.executableURL = try AcmeProcess.binary()
        process.arguments = [
            "up", "--config", ".", "--proxy-listen", "127.0.0.1:\(ports[3])", "--admin-listen",
            "127.0.0.1:\(ports[4])", "--threads", "1",
        ]
        process.environment = environment
        process.currentDirectoryURL = workspace.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var started = false
        for _ in 0..<600 where !started && process.isRunning {
            started = String(decoding: try Data(contentsOf: log), as: UTF8.self).contains("gateway started")
            if !started { try await Task.sleep(for: .milliseconds(100)) }
        }
        let startLog = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        try #require(started, "acme up did not start: \(startLog)")

        let gateway = "http://127.0.0.1:\(ports[3])"
        let secretFile = workspace.url.appendingPathComponent("data/orders-client.secret")
        let secret = String(decoding: try Data(contentsOf: secretFile), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let attributes = try FileManager.default.attributesOfItem(atPath: secretFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let service = try await Self.token(
            gateway, form: "grant_type=client_credentials&client_id=acme-orders&client_secret=\(secret)")
        for (path, json) in [
            ("/warehouses", #"{"code": "W1", "name": "One", "location": "Here"}"#),
            ("/products", #"{"sku": "TEA-1", "name": "Tea", "price": 450, "currency": "EUR"}"#),
            ("/stock/adjustments", #"{"sku": "TEA-1", "warehouse": "W1", "quantity": 5, "reason": "receipt"}"#),
        ] {
            let (status, text) = try await Self.send(
                gateway + "/api/inventory" + path, token: service, json: json)
            #expect(status == 201, "\(path): \(text)")
        }
        let customer = try await Self.token(
            gateway, form: "grant_type=password&username=demo@example.com&password=demo-password&client_id=acme-cli")
        // The demo catalogue is there from the start.
        let (_, demo) = try await Self.send(gateway + "/api/inventory/products/ACME-MUG", token: customer)
        #expect(demo.contains(#""sku":"ACME-MUG""#), "\(demo)")
        let (status, text) = try await Self.send(
            gateway + "/api/orders", token: customer,
            json: """
                {"items": [{"sku": "TEA-1", "quantity": 2}], "shipping_address": {"name": "Demo", "line1": "1 St",
                 "city": "Berlin", "postal_code": "10115", "country": "DE"}}
                """)
        #expect(status == 201, "\(text)")
        let (_, stock) = try await Self.send(gateway + "/api/inventory/products/TEA-1/stock", token: customer)
        let total = (try JSONSerialization.jsonObject(with: Data(stock.utf8)) as? [String: Any])?["total"]
        #expect((total as? [String: Any])?["reserved"] as? Int == 2, "\(stock)")

        process.interrupt()
        process.waitUntilExit()
        let stopLog = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(stopLog)")
    }

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        try #require(bound, "no free port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func token(_ gateway: String, form: String) async throws -> String {
        var request = HTTPClientRequest(url: gateway + "/oauth/token")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return try #require(object?["access_token"] as? String, "\(body)")
    }

    /// POST `json` to `url`, or GET it without a body.
    static func send(_ url: String, token: String, json: String? = nil) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = json == nil ? .GET : .POST
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
