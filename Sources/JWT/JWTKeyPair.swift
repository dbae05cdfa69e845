import COpenSSL

/// A new RSA or EC key pair, made with OpenSSL: the private key signs tokens, the public one (as PEM or as a JWK
/// for a key set) verifies them.
public struct JWTKeyPair: Sendable {
    /// The private key, PKCS#8 PEM.
    public let privatePEM: String
    /// The public key, SubjectPublicKeyInfo PEM.
    public let publicPEM: String
    /// The public key as a JWK (`n`/`e` or `crv`/`x`/`y`), without `kid`, `alg` or `use`.
    public let jwk: JWK

    /// A new RSA 2048 key pair (OpenSSL's default size).
    public static func rsa() throws -> JWTKeyPair {
        try Self.generate(type: "RSA", group: nil)
    }

    /// A new EC key pair on `curve` (`P-256`, `P-384`, `P-521`).
    public static func ec(_ curve: String) throws -> JWTKeyPair {
        try Self.generate(type: "EC", group: curve)
    }

    /// The private key, for `JWTSigner`.
    public func signingKey() throws -> JWTKey {
        try JWTKey.privateKey(pem: self.privatePEM)
    }

    private static func generate(type: String, group: String?) throws -> JWTKeyPair {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { throw Self.failure() }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw Self.failure() }
        if let group {
            guard let builder = OSSL_PARAM_BLD_new() else { throw Self.failure() }
            defer { OSSL_PARAM_BLD_free(builder) }
            // The builder keeps the name and value pointers until the parameters are used: keep them alive.
            let set = "group".withCString { name in
                group.withCString { value -> Bool in
                    guard OSSL_PARAM_BLD_push_utf8_string(builder, name, value, 0) == 1,
                        let parameters = OSSL_PARAM_BLD_to_param(builder)
                    else { return false }
                    defer { OSSL_PARAM_free(parameters) }
                    return EVP_PKEY_CTX_set_params(context, parameters) == 1
                }
            }
            guard set else { throw Self.failure() }
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw Self.failure() }
        defer { EVP_PKEY_free(key) }

        let privatePEM = try Self.pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        let publicPEM = try Self.pem { PEM_write_bio_PUBKEY($0, key) }
        let jwk: JWK
        if let group {
            let size = group == "P-521" ? 66 : group == "P-384" ? 48 : 32
            jwk = JWK(
                kty: "EC", crv: group, x: Base64URL.encode(try Self.number(key, "qx", size: size)),
                y: Base64URL.encode(try Self.number(key, "qy", size: size)))
        } else {
            jwk = JWK(
                kty: "RSA", n: Base64URL.encode(try Self.number(key, "n", size: nil)),
                e: Base64URL.encode(try Self.number(key, "e", size: nil)))
        }
        return JWTKeyPair(privatePEM: privatePEM, publicPEM: publicPEM, jwk: jwk)
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw Self.failure() }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw Self.failure() }
        var bytes = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        guard BIO_read(bio, &bytes, Int32(bytes.count)) == Int32(bytes.count) else { throw Self.failure() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A big-number parameter of `key`, big-endian, left-padded to `size` bytes when given.
    private static func number(_ key: OpaquePointer, _ name: String, size: Int?) throws -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else { throw Self.failure() }
        defer { BN_free(number) }
        let count = size ?? Int((BN_num_bits(number) + 7) / 8)
        var bytes = [UInt8](repeating: 0, count: count)
        guard BN_bn2binpad(number, &bytes, Int32(count)) == Int32(count) else { throw Self.failure() }
        return bytes
    }

    private static func failure() -> JWTError {
        JWTError(.invalidKey, detail: "OpenSSL could not make a key pair")
    }
}
