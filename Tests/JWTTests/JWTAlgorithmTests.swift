import Testing

@testable import JWT

@Suite struct JWTAlgorithmTests {
    @Test func namesRoundTripAndNoneIsNotAnAlgorithm() {
        for algorithm in JWTAlgorithm.allCases {
            #expect(JWTAlgorithm(name: algorithm.name) == algorithm)
        }
        #expect(JWTAlgorithm(name: "none") == nil)
        #expect(JWTAlgorithm(name: "None") == nil)
        #expect(JWTAlgorithm(name: "hs256") == nil)
        #expect(JWTAlgorithm.allCases.count == 9)
    }

    @Test func familiesAndCurves() {
        #expect(JWTAlgorithm.hs384.family == .hmac)
        #expect(JWTAlgorithm.rs512.family == .rsa)
        #expect(JWTAlgorithm.es256.family == .ecdsa)
        #expect(JWTAlgorithm.es512.curveBits == 521)
        #expect(JWTAlgorithm.rs256.curveBits == nil)
    }
}
