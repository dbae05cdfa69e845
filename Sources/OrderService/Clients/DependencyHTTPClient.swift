import AsyncHTTPClient

extension HTTPClient {
    /// The HTTP client of the order service's calls to other services: a refused connection fails the attempt at
    /// once (the `DependencyClient` retries and counts it against the circuit breaker) instead of being retried
    /// inside the pool until the deadline, and connecting may take 2 s at most. One for the process, like
    /// `HTTPClient.shared`, never shut down.
    public static let dependencies: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(2)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
