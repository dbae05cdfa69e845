import Hummingbird
import Logging
import NIOCore

/// The request context of every service: the request id, the peer's address and, once verified, the caller.
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    /// What Hummingbird keeps per request (logger, parameters).
    public var coreContext: CoreRequestContextStorage
    /// The request's id: the client's (or the gateway's) `X-Request-ID` when it sent a usable one, else a new UUID.
    public var requestID: String = ""
    /// The peer that sent the request (the gateway, when the request came through it).
    public let remoteAddress: SocketAddress?
    /// What `BearerAuthenticationMiddleware` found: the caller of a valid token, the refusal of an invalid one,
    /// or nothing when no token was sent.
    public var authentication: Authentication = .anonymous

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The caller of a valid bearer token.
    ///
    /// - Throws: `Problem` 401 with a `WWW-Authenticate` challenge when no token or an invalid one was sent.
    public func requireCaller() throws -> Caller {
        switch self.authentication {
        case .caller(let caller): return caller
        case .refused(let problem): throw problem
        case .anonymous: throw Problem.unauthenticated("a bearer token is required", tokenSent: false)
        }
    }
}

/// What the request's `Authorization` header proved.
public enum Authentication: Sendable {
    /// No bearer token.
    case anonymous
    /// A valid token, for this caller.
    case caller(Caller)
    /// A token that did not verify, and the 401 to answer with where a caller is required.
    case refused(Problem)
}
