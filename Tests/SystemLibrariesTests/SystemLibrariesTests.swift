import CArgon2
import CHiredis
import CJWT
import CMariaDB
import COpenSSL
import CRabbitMQ
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Proves that the Debian -dev packages behind the system library targets build, link and work.
@Suite struct SystemLibrariesTests {
    @Test func hiredisReaderParsesAReply() throws {
        let reader = try #require(redisReaderCreate())
        defer { redisReaderFree(reader) }
        let bytes = Array("+PONG\r\n".utf8)
        #expect(redisReaderFeed(reader, bytes.map { CChar(bitPattern: $0) }, bytes.count) == REDIS_OK)
        var reply: UnsafeMutableRawPointer?
        #expect(redisReaderGetReply(reader, &reply) == REDIS_OK)
        let parsed = try #require(reply?.assumingMemoryBound(to: redisReply.self))
        defer { freeReplyObject(parsed) }
        #expect(parsed.pointee.type == REDIS_REPLY_STATUS)
        #expect(String(cString: parsed.pointee.str) == "PONG")
    }

    /// MariaDB Connector/C 3 links, initialises, and makes a connection handle (connecting needs a server).
    @Test func mariadbConnectorLinks() throws {
        #expect(mysql_get_client_version() >= 30000)
        #expect(mysql_server_init(0, nil, nil) == 0)
        let handle = try #require(mysql_init(nil))
        #expect(mysql_errno(handle) == 0)
        mysql_close(handle)
    }

    /// The argon2 reference implementation's own argon2id test vector (m=65536, t=2, p=1, "password", "somesalt").
    @Test func libargon2HashesTheReferenceVector() {
        var encoded = [CChar](repeating: 0, count: 128)
        let salt = Array("somesalt".utf8)
        #expect(argon2id_hash_encoded(2, 65536, 1, "password", 8, salt, salt.count, 32, &encoded, encoded.count) == 0)
        let vector = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        #expect(String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == vector)
        #expect(argon2id_verify(vector, "password", 8) == ARGON2_OK.rawValue)
        #expect(argon2id_verify(vector, "Password", 8) == ARGON2_VERIFY_MISMATCH.rawValue)
    }

    @Test func libjwtSignsAndDecodesHS256() throws {
        var token: OpaquePointer?
        #expect(jwt_new(&token) == 0)
        defer { jwt_free(token) }
        let secret = Array("0123456789abcdef0123456789abcdef".utf8)
        #expect(jwt_set_alg(token, JWT_ALG_HS256, secret, Int32(secret.count)) == 0)
        #expect(jwt_add_grant(token, "sub", "user-1") == 0)
        let encoded = try #require(jwt_encode_str(token))
        defer { free(encoded) }

        var decoded: OpaquePointer?
        #expect(jwt_decode(&decoded, encoded, secret, Int32(secret.count)) == 0)
        defer { jwt_free(decoded) }
        #expect(String(cString: jwt_get_grant(decoded, "sub")) == "user-1")
    }

    @Test func openSSLComputesHMACSHA256() throws {
        // RFC 4231 test case 2.
        let key = Array("Jefe".utf8)
        let data = Array("what do ya want for nothing?".utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &digest, &length)
        #expect(result != nil)
        let hex = digest.prefix(Int(length)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// rabbitmq-c 0.11 or later (Debian 12's): confirm.select, and frames the bus reads for publisher confirms.
    @Test func librabbitmqIsTheExpectedVersionAndMakesAConnectionState() throws {
        #expect(amqp_version_number() >= 0x000B_0000)
        let state = try #require(amqp_new_connection())
        #expect(amqp_destroy_connection(state) == Int32(AMQP_STATUS_OK.rawValue))
    }
}
