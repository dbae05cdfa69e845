/// `HOST:PORT` to listen on (`[::1]:8101` for IPv6).
public struct ServiceListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host or address.
    public let host: String
    /// The port; 0 picks a free one.
    public let port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT`; `nil` when it is not of that form.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { return nil }
        self.init(host: String(host), port: port)
    }

    /// The address from `--listen` when given, else `<SERVICE>_LISTEN` from the environment, else `fallback`.
    public static func resolve(
        option: String?, service: String, environment: [String: String], fallback: ServiceListenAddress
    ) throws(ServiceConfigurationError) -> ServiceListenAddress {
        let variable = "\(service.uppercased())_LISTEN"
        guard let text = option ?? environment[variable] else { return fallback }
        guard let address = ServiceListenAddress(parsing: text) else {
            throw ServiceConfigurationError(
                "\(option == nil ? variable : "--listen"): expected HOST:PORT, got \"\(text)\"")
        }
        return address
    }

    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}

/// A setting a service cannot start with, in words naming the option or variable.
public struct ServiceConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
