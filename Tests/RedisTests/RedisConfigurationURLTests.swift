import Redis
import Testing

@Suite struct RedisConfigurationURLTests {
    @Test func hostPortAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://127.0.0.1:6380/2")
        #expect(configuration.endpoint == .tcp(host: "127.0.0.1", port: 6380))
        #expect(configuration.database == 2)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
    }

    @Test func portAndDatabaseDefault() throws {
        for url in ["redis://cache", "redis://cache/", "REDIS://cache"] {
            let configuration = try RedisConfiguration(url: url)
            #expect(configuration.endpoint == .tcp(host: "cache", port: 6379), "\(url)")
            #expect(configuration.database == 0, "\(url)")
        }
    }

    @Test func passwordOnly() throws {
        let configuration = try RedisConfiguration(url: "redis://:s3cret@cache:6379/0")
        #expect(configuration.username == nil)
        #expect(configuration.password == "s3cret")
    }

    @Test func userAndPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://gateway:s3cret@cache:6379/1")
        #expect(configuration.username == "gateway")
        #expect(configuration.password == "s3cret")
        #expect(configuration.database == 1)
    }

    @Test func percentEncodedAndUnencodedSpecialCharactersInPassword() throws {
        #expect(try RedisConfiguration(url: "redis://:p%40ss%3Aw%2Frd@cache/0").password == "p@ss:w/rd")
        // The last "@" ends the password, so an unencoded "@" or "/" still works.
        let unencoded = try RedisConfiguration(url: "redis://:p@ss/w:rd@cache:7000/3")
        #expect(unencoded.password == "p@ss/w:rd")
        #expect(unencoded.endpoint == .tcp(host: "cache", port: 7000))
        #expect(unencoded.database == 3)
    }

    @Test func bracketedIPv6Host() throws {
        #expect(try RedisConfiguration(url: "redis://[::1]:6390/0").endpoint == .tcp(host: "::1", port: 6390))
        #expect(try RedisConfiguration(url: "redis://[::1]").endpoint == .tcp(host: "::1", port: 6379))
    }

    @Test func unixSocket() throws {
        let configuration = try RedisConfiguration(url: "unix:///run/redis/redis.sock")
        #expect(configuration.endpoint == .unixSocket(path: "/run/redis/redis.sock"))
        #expect(configuration.database == 0)
    }

    @Test func unixSocketWithDatabaseAndCredentials() throws {
        let configuration = try RedisConfiguration(url: "unix://app:pw@/tmp/redis%20dir/redis.sock?db=4")
        #expect(configuration.endpoint == .unixSocket(path: "/tmp/redis dir/redis.sock"))
        #expect(configuration.database == 4)
        #expect(configuration.username == "app")
        #expect(configuration.password == "pw")
    }

    @Test(arguments: [
        ("cache:6379", "expected a redis:// or unix:// URL"),
        ("http://cache:6379", "got scheme \"http\""),
        ("rediss://cache:6379", "TLS"),
        ("redis://", "needs a host"),
        ("redis://:6379/0", "needs a host"),
        ("redis://cache:", "port must be a number from 1 to 65535, got \"\""),
        ("redis://cache:abc/0", "port must be a number from 1 to 65535, got \"abc\""),
        ("redis://cache:70000/0", "got \"70000\""),
        ("redis://cache:0/0", "got \"0\""),
        ("redis://cache:-1/0", "got \"-1\""),
        ("redis://cache:6379/one", "database must be a number (0, 1, ...), got \"one\""),
        ("redis://cache:6379/-1", "got \"-1\""),
        ("redis://cache:6379/0/extra", "got \"0/extra\""),
        ("redis://cache:6379/0?timeout=1", "takes no query"),
        ("redis://cache:6379/0#top", "no #fragment"),
        ("redis://[::1:6379/0", "closing bracket"),
        ("redis://[::1]6379/0", "expected :PORT"),
        ("redis://gateway@cache:6379/0", "without a password"),
        ("redis://gateway:@cache:6379/0", "user \"gateway\" has no password"),
        ("redis://:bad%zzescape@cache/0", "password has a bad percent-escape"),
        ("unix://", "absolute socket path"),
        ("unix://relative.sock", "absolute socket path"),
        ("unix:///tmp/redis.sock?db=x", "got \"x\""),
        ("unix:///tmp/redis.sock?timeout=5", "takes only ?db=N, got \"timeout\""),
    ])
    func badURLsAreClearErrors(url: String, expected: String) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func errorsNeverRepeatThePassword() {
        for url in ["redis://:hunter2@cache:99999/0", "redis://u:hunter2%zz@cache/0", "redis://:hunter2@cache/x"] {
            do {
                _ = try RedisConfiguration(url: url)
                Issue.record("\(url) parsed")
            } catch {
                #expect(!"\(error)".contains("hunter2"), "\(error)")
            }
        }
    }

    @Test func descriptionRedactsThePassword() throws {
        let tcp = try RedisConfiguration(url: "redis://gateway:hunter2@cache:6379/1")
        #expect(tcp.description == "redis://gateway:<redacted>@cache:6379/1")
        let unix = try RedisConfiguration(url: "unix://:hunter2@/tmp/r.sock?db=2")
        #expect(unix.description == "unix://:<redacted>@/tmp/r.sock?db=2")
        #expect(try RedisConfiguration(url: "redis://[::1]:7000").description == "redis://[::1]:7000/0")
    }
}
