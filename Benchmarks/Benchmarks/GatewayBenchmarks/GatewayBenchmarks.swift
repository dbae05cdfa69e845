import Benchmark
import Gateway
import JWT
import NIOHTTP1

// The gateway's hot parts, measured through the Gateway module's public API. The proxy's header edits
// (`HeaderRewriting`: hop-by-hop removal, caller-identity removal, `Via`) are internal to the module, so the header
// benchmark measures the public steps of the same per-request rewrite: the client address for `X-Forwarded-For`
// (`TrustedAddresses.clientAddress`) and the upstream path (`RouteMatch.upstreamPath`, `UpstreamPath.join`), with
// the in-place `HTTPHeaders` edits that the proxy makes, done here with the same NIOHTTP1 calls.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1_000,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    routerBenchmarks()
    pathBenchmarks()
    headerBenchmarks()
    jwtBenchmarks()
}

// MARK: - Router

/// `count` routes of one service, `/r/00000` … with a method and host-free prefix each, in configuration order.
func makeRoutes(_ count: Int) -> [Route] {
    let location = ConfigLocation(file: "routes/bench.json", path: "routes")
    return (0..<count).map { index in
        let name = "r" + String(index).leftPadded(to: 5)
        return Route(
            name: name,
            serviceName: "bench",
            paths: [.prefix("/r/" + String(index).leftPadded(to: 5))],
            methods: ["GET", "POST"],
            stripPath: false,
            location: location
        )
    }
}

func routerBenchmarks() {
    let headers: HTTPHeaders = [
        "host": "127.0.0.1:8000", "user-agent": "wrk", "accept": "application/json",
    ]
    for count in [10, 10_000] {
        let router = try! Router(routes: makeRoutes(count))
        // The last route in configuration order, as in `make bench`'s scenario 7.
        let last = "/r/" + String(count - 1).leftPadded(to: 5) + "/items"
        Benchmark("Router.match last of \(count) routes") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(router.match(method: "GET", host: "127.0.0.1:8000", path: last, headers: headers))
            }
        }
        Benchmark("Router.match miss in \(count) routes") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(router.match(method: "GET", host: "127.0.0.1:8000", path: "/nowhere", headers: headers))
            }
        }
    }
}

// MARK: - Path normalisation

func pathBenchmarks() {
    let plain: Substring = "/api/orders/12345/items"
    let encoded: Substring = "/api/%6Frders/./12345/../12345/%7Eitems%2fx"
    Benchmark("PathNormalizer.normalize plain") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? PathNormalizer.normalize(plain))
        }
    }
    Benchmark("PathNormalizer.normalize encoded and dot segments") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? PathNormalizer.normalize(encoded))
        }
    }
}

// MARK: - Header rewrite

func headerBenchmarks() {
    let trusted = try! TrustedAddresses(parsing: "10.0.0.0/8,127.0.0.1")
    let router = try! Router(routes: [
        Route(name: "orders", serviceName: "orders", paths: [.prefix("/api/orders")], location: .init(file: "", path: ""))
    ])
    let request: HTTPHeaders = [
        "host": "api.example.com", "user-agent": "bench/1.0", "accept": "application/json",
        "connection": "keep-alive, x-trace", "keep-alive": "timeout=5", "x-trace": "1",
        "x-consumer-id": "spoofed", "x-forwarded-for": "203.0.113.7, 10.1.2.3",
        "content-type": "application/json", "content-length": "42",
    ]
    let hopByHop = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]

    Benchmark("Header rewrite (public steps: client address, upstream path, NIOHTTP1 edits)") { benchmark in
        for _ in benchmark.scaledIterations {
            var headers = request
            let client = trusted.clientAddress(peer: "127.0.0.1", forwardedFor: headers["x-forwarded-for"])
            for token in headers[canonicalForm: "connection"] { headers.remove(name: String(token)) }
            for name in hopByHop { headers.remove(name: name) }
            headers.remove(name: "x-consumer-id")
            headers.replaceOrAdd(name: "x-forwarded-for", value: "203.0.113.7, 10.1.2.3, " + client)
            headers.replaceOrAdd(name: "x-forwarded-proto", value: "http")
            headers.replaceOrAdd(name: "x-forwarded-host", value: "api.example.com")
            headers.replaceOrAdd(name: "x-real-ip", value: client)
            headers.add(name: "via", value: "1.1 acme-gateway")
            let match = router.match(method: "GET", host: "api.example.com", path: "/api/orders/12", headers: headers)
            blackHole(match?.upstreamPath(servicePath: "/v1"))
            blackHole(headers)
        }
    }

    Benchmark("TrustedAddresses.clientAddress, X-Forwarded-For of two") { benchmark in
        let forwardedFor = request["x-forwarded-for"]
        for _ in benchmark.scaledIterations {
            blackHole(trusted.clientAddress(peer: "127.0.0.1", forwardedFor: forwardedFor))
        }
    }

    Benchmark("HTTPHeaders edits alone (NIOHTTP1, as the proxy makes them)") { benchmark in
        for _ in benchmark.scaledIterations {
            var headers = request
            for token in headers[canonicalForm: "connection"] { headers.remove(name: String(token)) }
            for name in hopByHop { headers.remove(name: name) }
            headers.remove(name: "x-consumer-id")
            headers.replaceOrAdd(name: "x-forwarded-for", value: "203.0.113.7, 10.1.2.3, 127.0.0.1")
            headers.replaceOrAdd(name: "x-forwarded-proto", value: "http")
            headers.replaceOrAdd(name: "x-forwarded-host", value: "api.example.com")
            headers.replaceOrAdd(name: "x-real-ip", value: "127.0.0.1")
            headers.add(name: "via", value: "1.1 acme-gateway")
            blackHole(headers)
        }
    }

    Benchmark("UpstreamPath.join strip_path") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                UpstreamPath.join(
                    servicePath: "/v1", forwardedPath: "/12/items", requestPath: "/api/orders/12/items", stripped: true
                )
            )
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}

// MARK: - JWT

/// What the jwt plugin pays for a token it has not seen: parsing and verifying the signature (libjwt, OpenSSL), per
/// algorithm. A token it has seen costs a hash-table lookup instead.
func jwtBenchmarks() {
    let claims: [String: JWT.JSONValue] = ["iss": "bench", "sub": "user-1", "exp": 4_102_444_800, "scope": "orders:read"]
    let secret = try! JWTKey.hmac(secret: "bench-secret-0123456789abcdef0123456789abcdef")
    let rsa = try! JWTKeyPair.rsa()
    let ec = try! JWTKeyPair.ec("P-256")
    let cases: [(JWTAlgorithm, signing: JWTKey, verifying: JWTKey)] = [
        (.hs256, secret, secret),
        (.rs256, try! rsa.signingKey(), try! JWTKey.publicKey(pem: rsa.publicPEM)),
        (.es256, try! ec.signingKey(), try! JWTKey.publicKey(pem: ec.publicPEM)),
    ]
    for (algorithm, signing, verifying) in cases {
        let token = try! JWTSigner.sign(claims: claims, algorithm: algorithm, key: signing)
        Benchmark("JWT verify uncached \(algorithm.name)", configuration: .init(scalingFactor: .one)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try! JWTVerifier.verify(token: token, key: verifying, algorithm: algorithm))
            }
        }
    }
}
