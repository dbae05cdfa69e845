import Hummingbird
import ServiceKit

/// `GET /.well-known/jwks.json` (the key ring's published keys) and `GET /.well-known/openid-configuration`
/// (RFC 8414 metadata: where the endpoints are and what they support).
struct DiscoveryRoutes: Sendable {
    let keyRing: KeyRing
    let issuer: String
    let signingAlgorithms: [String]

    struct Metadata: Encodable {
        let issuer: String
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let jwksUri: String
        let revocationEndpoint: String
        let introspectionEndpoint: String
        let responseTypesSupported = ["code"]
        let grantTypesSupported = ["authorization_code", "password", "client_credentials", "refresh_token"]
        let codeChallengeMethodsSupported = ["S256"]
        let tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "none"]
        let subjectTypesSupported = ["public"]
        let idTokenSigningAlgValuesSupported: [String]
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/.well-known/jwks.json") { _, _ in
            try JSONResponse.make(self.keyRing.keySet(), headers: [.cacheControl: "public, max-age=60"])
        }
        let metadata = Metadata(
            issuer: self.issuer, authorizationEndpoint: self.issuer + "/oauth/authorize",
            tokenEndpoint: self.issuer + "/oauth/token", jwksUri: self.issuer + "/.well-known/jwks.json",
            revocationEndpoint: self.issuer + "/oauth/revoke", introspectionEndpoint: self.issuer + "/oauth/introspect",
            idTokenSigningAlgValuesSupported: self.signingAlgorithms)
        router.get("/.well-known/openid-configuration") { _, _ in try JSONResponse.make(metadata) }
    }
}
