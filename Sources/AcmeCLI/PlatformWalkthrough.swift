import Foundation
import Gateway
import NIOCore
import NotificationService

/// What `acme up` prints on standard output once the gateway and the four services serve: where each listens, and
/// a short walkthrough through the gateway as curl commands (README's quick start): a token for the demo user, the
/// products, an order, the stock it reserved, the notification it sent, and the rate limit.
actor PlatformWalkthrough {
    /// The services, in the order they are listed.
    static let services = ["users", "orders", "inventory", "notifications"]

    private var outboxDirectory: String?
    private var servicePorts: [String: Int] = [:]
    private var gateway: (proxy: String, admin: String, ordersPerMinute: Int?)?
    private var printed = false

    /// Records the notification service's settings: with no email provider, emails are files in its outbox folder.
    func notificationsConfigured(_ configuration: NotificationServiceConfiguration) {
        self.outboxDirectory = configuration.email == nil ? configuration.outboxDirectory : nil
    }

    /// Records that `service` listens on `port` (on loopback).
    func serviceRunning(_ service: String, port: Int) {
        self.servicePorts[service] = port
        self.printWhenComplete()
    }

    /// Records the gateway's proxy and admin addresses, and the orders route's rate limit in `runtime`.
    func gatewayStarted(proxy: SocketAddress, admin: SocketAddress, runtime: GatewayRuntime) {
        self.gateway = (Self.url(proxy), Self.url(admin), Self.ordersPerMinute(in: runtime))
        self.printWhenComplete()
    }

    private func printWhenComplete() {
        guard !self.printed, let gateway = self.gateway,
            Self.services.allSatisfy({ self.servicePorts[$0] != nil })
        else { return }
        self.printed = true
        let services = Self.services.map { ($0, "http://127.0.0.1:\(self.servicePorts[$0]!)") }
        let text = Self.text(
            gateway: gateway.proxy, admin: gateway.admin, services: services, outboxDirectory: self.outboxDirectory,
            ordersPerMinute: gateway.ordersPerMinute)
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The text, for a gateway at `gateway` (a URL without a trailing slash); the rate limit's step only when the
    /// orders route has a limit per minute.
    static func text(
        gateway: String, admin: String, services: [(name: String, url: String)], outboxDirectory: String?,
        ordersPerMinute: Int?
    ) -> String {
        let width = services.map(\.name.count).max() ?? 0
        let padded = { (name: String) in name + String(repeating: " ", count: width - name.count) }
        var lines = [
            "",
            "Acme Platform is up.",
            "",
            "  \(padded("gateway"))  \(gateway)  (admin API \(admin))",
        ]
        lines += services.map { "  \(padded($0.name))  \($0.url)" }
        lines += [
            "",
            "Try it through the gateway (README.md, Quick start):",
            "",
            "  # A token for the demo user",
            "  TOKEN=$(curl -s \(gateway)/oauth/token -d grant_type=password -d client_id=acme-cli \\",
            "    -d username=demo@example.com -d password=demo-password | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')",
            "",
            "  # The products",
            "  curl -s \(gateway)/api/inventory/products -H \"Authorization: Bearer $TOKEN\"",
            "",
            "  # An order for two mugs",
            "  curl -s \(gateway)/api/orders -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\",
            "    -d '\(Self.orderBody)'",
            "",
            "  # The stock moved: two mugs reserved",
            "  curl -s \(gateway)/api/inventory/products/ACME-MUG/stock -H \"Authorization: Bearer $TOKEN\"",
            "",
            "  # The notification sent: the delivery log" + (outboxDirectory == nil ? "" : ", and the email as a file"),
            "  curl -s \(gateway)/api/notifications -H \"Authorization: Bearer $TOKEN\"",
        ]
        if let outboxDirectory { lines.append("  ls \(outboxDirectory)") }
        if let ordersPerMinute {
            lines += [
                "",
                "  # The rate limit: \(ordersPerMinute) order requests a minute, then 429",
                "  for i in $(seq \(ordersPerMinute + 1)); do curl -s -o /dev/null -w '%{http_code}\\n' \\",
                "    \(gateway)/api/orders -H \"Authorization: Bearer $TOKEN\"; done | sort | uniq -c",
            ]
        }
        lines += ["", ""]
        return lines.joined(separator: "\n")
    }

    /// The walkthrough's order: two mugs to the demo user.
    static let orderBody = #"{"items":[{"sku":"ACME-MUG","quantity":2}],"shipping_address":{"name":"Demo User","line1":"1 Demo Street","city":"Berlin","postal_code":"10115","country":"DE"}}"#

    /// The `minute` limit of the rate-limiting plugin on the route named `orders`, as the configuration gives it.
    static func ordersPerMinute(in runtime: GatewayRuntime) -> Int? {
        let orders = runtime.routesInPriorityOrder.first { $0.route.name == "orders" }
        let rateLimiting = orders?.chain.entries.first { $0.name == "rate-limiting" }
        guard case .integer(let minute)? = rateLimiting?.config["minute"] else { return nil }
        return Int(minute)
    }

    /// `http://HOST:PORT` for a listener's address; a wildcard address is reached on loopback.
    static func url(_ address: SocketAddress) -> String {
        let port = address.port ?? 0
        switch address.ipAddress {
        case nil, "0.0.0.0", "::": return "http://127.0.0.1:\(port)"
        case let host? where host.contains(":"): return "http://[\(host)]:\(port)"
        case let host?: return "http://\(host):\(port)"
        }
    }
}
