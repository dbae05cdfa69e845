import Testing

@testable import Gateway

@Suite struct UpstreamPathTests {
    /// service path, request path, what remains after stripping the route's prefix, expected upstream path.
    @Test(arguments: [
        // Route `/api/orders`, strip_path true.
        ("/v1", "/api/orders/12", "/12", "/v1/12"),
        ("/v1", "/api/orders", "", "/v1"),
        ("", "/api/orders", "", "/"),
        ("/v1/", "/api/orders/12", "/12", "/v1/12"),
        ("", "/api/orders/12", "/12", "/12"),
        ("/", "/api/orders/12", "/12", "/12"),
        ("/v1/", "/api/orders", "", "/v1"),
        // Route `/api/orders/`: the request's trailing slash survives.
        ("/v1", "/api/orders/", "", "/v1/"),
        ("/v1/", "/api/orders/", "", "/v1/"),
        ("", "/api/orders/", "", "/"),
        // Route `/api/orders` and request `/api/orders12`: Kong inserts the slash.
        ("/v1", "/api/orders12", "12", "/v1/12"),
        ("/v1/", "/api/orders12", "12", "/v1/12"),
        ("", "/api/orders12", "12", "/12"),
    ])
    func joinsAStrippedPathLikeKongV0(service: String, request: String, remainder: String, expected: String) {
        let joined = UpstreamPath.join(
            servicePath: service,
            forwardedPath: remainder[...],
            requestPath: request[...],
            stripped: true
        )
        #expect(joined == expected)
    }

    @Test(arguments: [
        ("/v1", "/api/orders/12", "/v1/api/orders/12"),
        ("/v1", "/", "/v1"),
        ("/v1/", "/", "/v1/"),
        ("/v1/", "/api", "/v1/api"),
        ("", "/api", "/api"),
        ("", "/", "/"),
        ("", "//a", "//a"),
    ])
    func joinsAnUnstrippedPathLikeKongV0(service: String, request: String, expected: String) {
        let joined = UpstreamPath.join(
            servicePath: service,
            forwardedPath: request[...],
            requestPath: request[...],
            stripped: false
        )
        #expect(joined == expected)
    }

    @Test(arguments: [
        ("/api/orders/12", 11, "/12"),
        ("/api/orders", 11, ""),
        ("/apis", 4, "s"),
        // Kong's sanitize_uri_postfix.
        ("/api.", 4, ""),
        ("/api..", 4, ""),
        ("/api./x", 4, "x"),
        ("/api../x", 4, "x"),
        ("/api.../x", 4, ".../x"),
        ("/api.x", 4, ".x"),
    ])
    func remainderDropsTheStrippedBytesAndLeadingDots(path: String, stripped: Int, expected: String) {
        #expect(UpstreamPath.remainder(of: path[...], strippedLength: stripped) == expected[...])
    }
}
