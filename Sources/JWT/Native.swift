import CJWT
import COpenSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every call into libjwt and OpenSSL. Each function makes its own C objects and frees them on every path, so
/// all of them are safe to call from any thread at once.
enum Native {
    /// The type of an asymmetric key.
    enum KeyType: Sendable, Hashable {
        case rsa
        case ec
    }

    // MARK: libjwt

    /// Whether libjwt verifies `token` with `key` (a secret or a public key PEM) and finds `algorithm` in it.
    static func verify(token: String, key: [UInt8], algorithm: JWTAlgorithm) -> Bool {
        guard !key.isEmpty else { return false }
        var decoded: OpaquePointer?
        let result = jwt_decode(&decoded, token, key, Int32(key.count))
        defer { if let decoded { jwt_free(decoded) } }
        guard result == 0, let decoded else { return false }
        return jwt_get_alg(decoded) == Self.libjwtAlgorithm(algorithm)
    }

    /// A compact token with `claimsJSON` as payload, signed by libjwt with `key` (a secret or a private key PEM).
    static func sign(claimsJSON: String, algorithm: JWTAlgorithm, key: [UInt8], kid: String?) -> String? {
        var token: OpaquePointer?
        guard jwt_new(&token) == 0, let token else { return nil }
        defer { jwt_free(token) }
        guard jwt_set_alg(token, Self.libjwtAlgorithm(algorithm), key, Int32(key.count)) == 0 else { return nil }
        guard jwt_add_grants_json(token, claimsJSON) == 0 else { return nil }
        if let kid {
            guard jwt_add_header(token, "kid", kid) == 0 else { return nil }
        }
        guard let encoded = jwt_encode_str(token) else { return nil }
        defer { free(encoded) }
        return String(cString: encoded)
    }

    private static func libjwtAlgorithm(_ algorithm: JWTAlgorithm) -> jwt_alg_t {
        switch algorithm {
        case .hs256: JWT_ALG_HS256
        case .hs384: JWT_ALG_HS384
        case .hs512: JWT_ALG_HS512
        case .rs256: JWT_ALG_RS256
        case .rs384: JWT_ALG_RS384
        case .rs512: JWT_ALG_RS512
        case .es256: JWT_ALG_ES256
        case .es384: JWT_ALG_ES384
        case .es512: JWT_ALG_ES512
        }
    }

    // MARK: OpenSSL: reading PEM

    /// The type and size in bits of the key in `pem`, or `nil` if it holds no key of a supported type.
    static func inspect(pem: [UInt8], isPrivate: Bool) -> (type: KeyType, bits: Int)? {
        guard !pem.isEmpty, let bio = BIO_new_mem_buf(pem, Int32(pem.count)) else { return nil }
        defer { BIO_free(bio) }
        let key = isPrivate ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        guard let key else { return nil }
        defer { EVP_PKEY_free(key) }
        let bits = Int(EVP_PKEY_get_bits(key))
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA: return (.rsa, bits)
        case EVP_PKEY_EC: return (.ec, bits)
        default: return nil
        }
    }

    // MARK: OpenSSL: JWK to PEM

    /// The SubjectPublicKeyInfo PEM of the RSA public key with modulus `n` and exponent `e` (big-endian bytes).
    static func rsaPublicKeyPEM(n: [UInt8], e: [UInt8]) -> String? {
        guard !n.isEmpty, !e.isEmpty else { return nil }
        guard let modulus = BN_bin2bn(n, Int32(n.count), nil) else { return nil }
        defer { BN_free(modulus) }
        guard let exponent = BN_bin2bn(e, Int32(e.count), nil) else { return nil }
        defer { BN_free(exponent) }
        return Self.publicKeyPEM(type: "RSA") { builder in
            OSSL_PARAM_BLD_push_BN(builder, Self.cString("n"), modulus) == 1
                && OSSL_PARAM_BLD_push_BN(builder, Self.cString("e"), exponent) == 1
        }
    }

    /// The SubjectPublicKeyInfo PEM of the EC public key at (`x`, `y`) on the named curve (`P-256`, `P-384`,
    /// `P-521`).
    static func ecPublicKeyPEM(curve: String, x: [UInt8], y: [UInt8]) -> String? {
        let point = [0x04] + x + y  // uncompressed point encoding
        let group: StaticString
        switch curve {
        case "P-256": group = "P-256"
        case "P-384": group = "P-384"
        case "P-521": group = "P-521"
        default: return nil
        }
        return point.withUnsafeBytes { point in
            Self.publicKeyPEM(type: "EC") { builder in
                OSSL_PARAM_BLD_push_utf8_string(builder, Self.cString("group"), Self.cString(group), 0) == 1
                    && OSSL_PARAM_BLD_push_octet_string(builder, Self.cString("pub"), point.baseAddress, point.count)
                        == 1
            }
        }
    }

    /// A C string that lives for the whole program. `OSSL_PARAM_BLD` keeps the pointers it is given for names
    /// and values until the parameters are freed, so they must not be Swift temporaries.
    private static func cString(_ string: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Builds a public key of `type` from the parameters `push` adds, and writes it as PEM. Whatever `push`
    /// passes by pointer must stay valid until this returns.
    private static func publicKeyPEM(type: String, push: (OpaquePointer) -> Bool) -> String? {
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard push(builder), let parameters = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
            EVP_PKEY_fromdata(context, &key, Self.publicKeySelection, parameters) == 1,
            let key
        else {
            return nil
        }
        defer { EVP_PKEY_free(key) }
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, key) == 1 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        guard BIO_read(bio, &bytes, Int32(bytes.count)) == Int32(bytes.count) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `EVP_PKEY_PUBLIC_KEY`: the public key and all its parameters.
    private static let publicKeySelection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
}
