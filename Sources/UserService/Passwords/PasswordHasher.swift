import CArgon2
import NIOPosix

/// Hashes and verifies passwords with argon2id (libargon2, RFC 9106), in the PHC string form
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, on a thread pool: a hash takes tens of milliseconds of CPU and
/// must never run on an event loop.
///
/// The default cost is OWASP's first recommended argon2id setting, 19 MiB of memory, 2 passes, 1 lane: measured at
/// about 28 ms a hash on this project's 2-core machines (busy with other builds), so a password login costs two
/// cores ~14 ms of CPU each and the password grant peaks near 70 logins a second; cheaper is weaker than OWASP's
/// floor, dearer makes logins a denial-of-service lever. Stored hashes carry their own cost, so raising it later
/// only changes new hashes (and `needsRehash` tells when to upgrade one at the next login).
public struct PasswordHasher: Sendable {
    /// argon2id parameters.
    public struct Cost: Sendable, Hashable {
        /// Memory in KiB.
        public var memoryKiB: UInt32
        /// Passes over the memory.
        public var iterations: UInt32
        /// Lanes.
        public var parallelism: UInt32

        /// A cost from its parameters.
        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// OWASP's recommended minimum for argon2id: m=19456 (19 MiB), t=2, p=1.
        public static let standard = Cost(memoryKiB: 19_456, iterations: 2, parallelism: 1)
        /// The cheapest argon2 accepts, for tests only.
        public static let testing = Cost(memoryKiB: 8, iterations: 1, parallelism: 1)
    }

    /// The cost of new hashes.
    public let cost: Cost
    private let threadPool: NIOThreadPool

    /// A hasher with `cost` on `threadPool`.
    public init(cost: Cost = .standard, threadPool: NIOThreadPool = .singleton) {
        self.cost = cost
        self.threadPool = threadPool
    }

    /// The PHC string of `password` with a new random 16-byte salt.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await self.threadPool.runIfActive { try Self.hashNow(password, cost: cost) }
    }

    /// Whether `password` matches the PHC string `encoded` (false, not an error, for a malformed string).
    public func verify(_ password: String, against encoded: String) async throws -> Bool {
        try await self.threadPool.runIfActive { Self.verifyNow(password, encoded) }
    }

    /// Whether `encoded` was made with another cost than this hasher's.
    public func needsRehash(_ encoded: String) -> Bool {
        !encoded.hasPrefix(
            "$argon2id$v=19$m=\(self.cost.memoryKiB),t=\(self.cost.iterations),p=\(self.cost.parallelism)$")
    }

    static func hashNow(_ password: String, cost: Cost) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let password = Array(password.utf8)
        let length = argon2_encodedlen(cost.iterations, cost.memoryKiB, cost.parallelism, 16, 32, Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let status = argon2id_hash_encoded(
            cost.iterations, cost.memoryKiB, cost.parallelism, password, password.count, salt, salt.count, 32,
            &encoded, length)
        guard status == ARGON2_OK.rawValue else { throw PasswordHashError(code: status) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func verifyNow(_ password: String, _ encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$") else { return false }
        let password = Array(password.utf8)
        return argon2id_verify(encoded, password, password.count) == ARGON2_OK.rawValue
    }
}

/// libargon2 refused to hash (out of memory, bad parameters).
public struct PasswordHashError: Error, Sendable, CustomStringConvertible {
    /// libargon2's error code.
    public let code: Int32

    public var description: String { "argon2 failed: " + String(cString: argon2_error_message(self.code)) }
}
