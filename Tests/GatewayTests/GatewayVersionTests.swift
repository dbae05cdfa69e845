import Testing
@testable import Gateway

@Test func versionIsSet() { #expect(!GatewayVersion.string.isEmpty) }
