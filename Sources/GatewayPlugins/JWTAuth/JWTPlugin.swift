import Foundation
import Gateway
import JWT
import NIOCore
import NIOHTTP1

/// Kong's `jwt`: the caller shows a signed token (query, cookie or `Bearer` header). By default its
/// `key_claim_name` claim names a consumer's `jwt` credential, whose secret or public key must verify it, as in
/// Kong. With `jwks_url` it is verified against the keys of a JSON Web Key Set instead and needs no consumer: the
/// caller's id, scopes and groups come from its claims. Verified tokens are remembered until they expire.
public struct JWTPlugin: GatewayPlugin {
    public static let name = "jwt"
    public static let priority = 1450

    /// The token that authenticated the request, for later plugins (Kong's `authenticated_jwt_token`).
    public enum AuthenticatedToken: PluginContextKey {
        public typealias Value = JWTClaims
    }

    /// Who a verified token proved the caller to be.
    enum Outcome: Sendable {
        case credential(JWTCredential)
        case identity(AuthenticatedIdentity)
    }

    private let configuration: JWTConfiguration
    private let source: JWTTokenSource
    private let credentials: [String: JWTCredential]
    private let anonymous: Consumer?
    private let keySet: JWKSKeyStore?
    private let cache = VerifiedTokenCache<Outcome>()
    private let clock: any GatewayClock

    public init(configuration: JWTConfiguration, setup: PluginSetup) {
        self.configuration = configuration
        self.source = JWTTokenSource(
            uriParamNames: configuration.uriParamNames,
            cookieNames: configuration.cookieNames,
            headerNames: configuration.headerNames
        )
        self.credentials = JWTCredential.directory(setup.consumers, secretIsBase64: configuration.secretIsBase64)
        self.anonymous = configuration.anonymous.flatMap { setup.consumers.consumer(named: $0) }
        self.keySet = configuration.jwksURL.map {
            JWKSKeyStore(
                url: $0,
                timeToLive: configuration.jwksCacheTTL,
                refetchInterval: configuration.jwksRefetchInterval,
                clock: setup.clock,
                logger: setup.logger
            )
        }
        self.clock = setup.clock
    }

    public static func checkCredential(_ reader: inout PluginConfigReader) {
        JWTCredential.check(&reader)
    }

    public func access(_ request: PluginRequest) -> PluginAction {
        if !self.configuration.runOnPreflight, request.method == .OPTIONS { return .proceed }
        if self.configuration.anonymous != nil, request.credentialIdentifier != nil { return .proceed }
        do {
            guard let (pending, fetch) = try self.authenticate(request) else { return .proceed }
            // The key set is being fetched: the token is verified back on the request's loop.
            return .deferred(
                fetch.hop(to: request.eventLoop).assumeIsolated().map { keys -> PluginAction in
                    do throws(JWTFailure) {
                        try self.verify(pending, keys: JWKSKeyStore.matching(keys, kid: pending.token.header.kid), request: request)
                        return .proceed
                    } catch {
                        return self.refuse(error, request: request)
                    }
                }.recover { _ in
                    .respond(.message(.internalServerError, "An unexpected error occurred"))
                }.nonisolated()
            )
        } catch {
            return self.refuse(error, request: request)
        }
    }

    /// A parsed token to verify against the key set.
    private struct KeySetToken {
        let token: JWTToken
        let algorithm: JWTAlgorithm
        let compact: Substring
    }

    /// Answers a failed authentication, or lets the anonymous consumer through.
    private func refuse(_ failure: JWTFailure, request: PluginRequest) -> PluginAction {
        guard let name = self.configuration.anonymous else { return .respond(failure.reply) }
        guard let anonymous = self.anonymous else {
            return .respond(.message(.internalServerError, "anonymous consumer \(name) is configured but doesn't exist"))
        }
        request.authenticate(anonymous, credential: nil)
        return .proceed
    }

    /// Authenticates the request now (nil), or returns the token that waits for the key set being fetched; throws
    /// Kong's refusal.
    private func authenticate(
        _ request: PluginRequest
    ) throws(JWTFailure) -> (KeySetToken, EventLoopFuture<[JWKSKeyStore.Key]>)? {
        let realm = self.configuration.realm
        let compact: Substring
        switch self.source.tokens(in: request) {
        case .none: throw JWTFailure("Unauthorized", invalidToken: false, realm: realm)
        case .several: throw JWTFailure("Multiple tokens provided", realm: realm)
        case .one(let token): compact = token
        }
        let now = self.clock.now()
        if let cached = self.cache.entry(compact, now: now) {
            // Its claims held when it was verified and still do: the entry ends at `exp`, `nbf` has passed, and
            // the issuer, audience and maximum lifetime do not change with time.
            self.accept(cached.outcome, claims: cached.claims, request: request)
            return nil
        }
        let token: JWTToken
        do {
            token = try JWTToken(parsing: String(compact))
        } catch {
            throw JWTFailure("Bad token; invalid JSON", realm: realm)
        }
        guard let algorithm = token.header.algorithm else { throw JWTFailure("Bad token; invalid alg", realm: realm) }
        guard let keySet = self.keySet else {
            let credential = try self.credential(for: token, algorithm: algorithm)
            try self.finish(token, outcome: .credential(credential), compact: compact, request: request)
            return nil
        }
        guard self.configuration.jwksAlgorithms.contains(algorithm) else { throw JWTFailure("Invalid algorithm", realm: realm) }
        let pending = KeySetToken(token: token, algorithm: algorithm, compact: compact)
        switch keySet.lookup(kid: token.header.kid) {
        case .keys(let keys):
            try self.verify(pending, keys: keys, request: request)
            return nil
        case .fetching(let fetch):
            return (pending, fetch)
        }
    }

    /// The consumer credential the token names through `key_claim_name`, checked against its algorithm.
    private func credential(for token: JWTToken, algorithm: JWTAlgorithm) throws(JWTFailure) -> JWTCredential {
        let realm = self.configuration.realm
        let claim = self.configuration.keyClaimName
        guard let named = token.claims[claim] ?? token.header[claim] else {
            throw JWTFailure("No mandatory '\(claim)' in claims", realm: realm)
        }
        guard let key = named.stringValue, !key.isEmpty else {
            if named.stringValue == "" { throw JWTFailure("Invalid '\(claim)' in claims", realm: realm) }
            throw JWTFailure("No credentials found for given '\(claim)'", realm: realm)
        }
        guard let credential = self.credentials[key] else {
            throw JWTFailure("No credentials found for given '\(claim)'", realm: realm)
        }
        guard credential.algorithm == algorithm else { throw JWTFailure("Invalid algorithm", realm: realm) }
        guard credential.verificationKey != nil else { throw JWTFailure("Invalid key/secret", realm: realm) }
        return credential
    }

    /// Verifies with the consumer's key, checks the claims, remembers the token and authenticates the request.
    private func finish(
        _ token: JWTToken,
        outcome: Outcome,
        compact: Substring,
        request: PluginRequest
    ) throws(JWTFailure) {
        if case .credential(let credential) = outcome, let key = credential.verificationKey {
            do {
                try JWTVerifier.verify(token, key: key, algorithm: credential.algorithm)
            } catch {
                throw JWTFailure("Invalid signature", realm: self.configuration.realm)
            }
        }
        let now = self.clock.now()
        try self.checkClaims(token.claims, now: now)
        self.cache.insert(compact, outcome: outcome, claims: token.claims, now: now)
        self.accept(outcome, claims: token.claims, request: request)
    }

    /// Verifies a token against the key-set keys that fit its algorithm, then goes on as for a credential.
    private func verify(_ pending: KeySetToken, keys: [JWKSKeyStore.Key], request: PluginRequest) throws(JWTFailure) {
        let (token, algorithm) = (pending.token, pending.algorithm)
        let realm = self.configuration.realm
        let candidates = keys.filter { ($0.algorithm ?? algorithm) == algorithm && $0.key.fits(algorithm, forSigning: false) }
        guard !candidates.isEmpty else { throw JWTFailure("No credentials found for given 'kid'", realm: realm) }
        guard let signer = candidates.first(where: { (try? JWTVerifier.verify(token, key: $0.key, algorithm: algorithm)) != nil })
        else {
            throw JWTFailure("Invalid signature", realm: realm)
        }
        let claims = token.claims
        let identity = AuthenticatedIdentity(
            userID: claims[self.configuration.subjectClaim]?.stringValue,
            scope: Self.scope(claims[self.configuration.scopeClaim]),
            groups: Self.groups(claims[self.configuration.groupsClaim]),
            credential: signer.kid ?? claims.iss ?? self.keySet?.url ?? ""
        )
        try self.finish(token, outcome: .identity(identity), compact: pending.compact, request: request)
    }

    /// Checks `exp`, `nbf` (those of `claims_to_verify` must be present; with a key set, present ones always
    /// hold), `iss`, `aud` and the maximum expiration, failing with Kong's claim-keyed body.
    private func checkClaims(_ claims: JWTClaims, now: Double) throws(JWTFailure) {
        let configuration = self.configuration
        let checksPresent = self.keySet != nil
        var validator = JWTClaimsValidator(
            verifyExpiration: configuration.claimsToVerify.contains("exp") || (checksPresent && claims.exp != nil),
            verifyNotBefore: configuration.claimsToVerify.contains("nbf") || (checksPresent && claims.nbf != nil),
            leeway: configuration.leeway,
            issuer: configuration.issuer,
            audience: configuration.audience
        )
        let date = Date(timeIntervalSince1970: now)
        var failures = validator.failures(in: claims, now: date)
        if failures.isEmpty, configuration.maximumExpiration > 0 {
            validator = JWTClaimsValidator(verifyExpiration: false, maximumExpiration: configuration.maximumExpiration)
            failures = validator.failures(in: claims, now: date)
        }
        guard failures.isEmpty else { throw JWTFailure(claims: Self.ordered(failures, configuration.claimsToVerify), realm: configuration.realm) }
    }

    /// Failures with the claims of `claims_to_verify` first, in its order, as Kong reports them.
    private static func ordered(_ failures: [JWTError], _ order: [String]) -> [JWTError] {
        failures.sorted { (order.firstIndex(of: $0.claim ?? "") ?? order.count) < (order.firstIndex(of: $1.claim ?? "") ?? order.count) }
    }

    private func accept(_ outcome: Outcome, claims: JWTClaims, request: PluginRequest) {
        switch outcome {
        case .credential(let credential): request.authenticate(credential.consumer, credential: credential.key)
        case .identity(let identity): request.authenticate(identity)
        }
        request.context[AuthenticatedToken.self] = claims
    }

    /// Scopes as one space-separated string, from a string or an array claim.
    private static func scope(_ claim: JWT.JSONValue?) -> String? {
        if let scope = claim?.stringValue { return scope }
        return claim?.arrayValue.map { $0.compactMap(\.stringValue).joined(separator: " ") }
    }

    /// Groups from an array claim, or a string claim of one group.
    private static func groups(_ claim: JWT.JSONValue?) -> [String] {
        if let group = claim?.stringValue { return [group] }
        return claim?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
