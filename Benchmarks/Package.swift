// swift-tools-version: 6.1
// Micro-benchmarks of the gateway's hot parts with ordo-one/benchmark, in a package of their own so that the root
// package's `swift test` never builds benchmark-only dependencies. Run from this folder:
//   swift package benchmark                       # every benchmark
//   swift package benchmark --filter 'Router.*'   # some of them
// The load tests against nginx and HAProxy are `make bench` at the root (Benchmarks/peers.py).
import PackageDescription

let package = Package(
    name: "AcmeBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "AcmePlatform", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
    ],
    targets: [
        .executableTarget(
            name: "GatewayBenchmarks",
            dependencies: [
                .product(name: "Gateway", package: "AcmePlatform"),
                .product(name: "JWT", package: "AcmePlatform"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/GatewayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
