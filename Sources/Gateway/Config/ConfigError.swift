/// One problem in the configuration: the file (relative to the configuration directory), where in it, and what
/// was expected. `description` is `FILE: PATH: MESSAGE`, for example
/// `routes/orders.json: routes[0].plugins.rate-limiting.minute: expected a positive integer, got "sixty"`.
///
/// `path` is a JSON path (`service.url`, `routes[1].paths[0]`), `line L, column C` for malformed JSON, or empty
/// when the problem is the file as a whole (`plugins.json: file not found`). Messages never contain the values
/// of environment variables.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var message: String

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        self.path.isEmpty ? "\(self.file): \(self.message)" : "\(self.file): \(self.path): \(self.message)"
    }
}

/// Every problem found while loading a configuration, sorted by file then path (byte-wise); problems at the same
/// place keep the order they were found in. `description` has one error per line.
public struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors.enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element, rhs.element)
            if left.file != right.file { return left.file.utf8.lexicographicallyPrecedes(right.file.utf8) }
            if left.path != right.path { return left.path.utf8.lexicographicallyPrecedes(right.path.utf8) }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    public var description: String { self.errors.map(\.description).joined(separator: "\n") }
}
