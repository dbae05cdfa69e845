import ServiceKit
import Testing

@Suite struct AMQPConfigurationTests {
    @Test func defaultsFillWhatTheURLLeavesOut() throws {
        #expect(try AMQPConfiguration(url: "amqp://127.0.0.1") == AMQPConfiguration(host: "127.0.0.1"))
        let configuration = try AMQPConfiguration(url: "amqp://guest:guest@127.0.0.1:40123/")
        #expect(configuration == AMQPConfiguration(host: "127.0.0.1", port: 40123, virtualHost: "/"))
    }

    @Test func theVirtualHostAndCredentialsArePercentDecoded() throws {
        let configuration = try AMQPConfiguration(url: "amqp://us%40er:p%3Ass@[::1]:5672/%2Fshop")
        #expect(configuration.user == "us@er")
        #expect(configuration.password == "p:ss")
        #expect(configuration.host == "::1")
        #expect(configuration.virtualHost == "/shop")
    }

    @Test func theDescriptionNeverShowsThePassword() throws {
        let configuration = try AMQPConfiguration(url: "amqp://acme:s3cret@mq:5673/prod")
        #expect(configuration.description == "amqp://acme@mq:5673/prod")
        #expect(!"\(configuration)".contains("s3cret"))
    }

    @Test(arguments: [
        ("http://127.0.0.1:5672", "expected an amqp://user:pass@host:port/vhost URL"),
        ("amqp://:5672/", "expected a host in the amqp:// URL"),
        ("amqp://127.0.0.1:0/", "expected a port from 1 to 65535 in the amqp:// URL, got 0"),
        ("amqp://127.0.0.1/a/b", "expected one virtual host after the amqp:// URL's address (write / as %2F)"),
        ("amqp://127.0.0.1/?heartbeat=10", "expected no query or fragment in the amqp:// URL"),
    ])
    func badURLsAreRefusedSayingWhy(url: String, message: String) {
        let error = #expect(throws: ServiceConfigurationError.self) { try AMQPConfiguration(url: url) }
        #expect(error?.description == message)
    }
}
