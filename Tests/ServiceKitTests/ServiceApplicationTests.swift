import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct ServiceApplicationTests {
    struct Widget: StrictJSONBody {
        static let fields: Set<String> = ["name", "size", "tags"]
        let name: String
        let size: Int?
        let tags: [String]?
    }

    static func app(ready: Bool = true) -> some ApplicationProtocol {
        let router = ServiceApplication.makeRouter(
            readiness: [ReadinessCheck(name: "database") { if !ready { throw TestSetupError("down") } }], verifier: nil)
        router.post("/widgets") { request, context in
            let widget = try await request.decodeBody(Widget.self, context: context)
            return try JSONResponse.created(["name": widget.name], location: "/widgets/1")
        }
        router.get("/boom") { _, _ -> Response in
            throw TestSetupError("SELECT secret FROM table")
        }
        return ServiceApplication.make(
            name: "test", router: router, listen: ServiceListenAddress(host: "127.0.0.1", port: 0),
            logger: ServiceTestEnvironment.logger)
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func requestIDsAreHonouredOrMade() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get, headers: [.init("X-Request-ID")!: "gw-123"]) {
                #expect($0.headers[.init("X-Request-ID")!] == "gw-123")
            }
            try await client.execute(uri: "/health/live", method: .get) {
                #expect($0.headers[.init("X-Request-ID")!]?.count == 36)
            }
        }
    }

    @Test func readinessReportsEachCheck() async throws {
        try await Self.app(ready: true).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                let checks = try Self.json(response.body)["checks"] as? [String: String]
                #expect(checks == ["database": "ok"])
            }
        }
        try await Self.app(ready: false).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let checks = try Self.json(response.body)["checks"] as? [String: String]
                #expect(checks == ["database": "unavailable"])
            }
        }
    }

    @Test func metricsArePrometheusText() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body).contains("hb_requests"))
            }
        }
    }

    @Test func unknownRoutesAndFailuresAreProblemDocumentsWithoutInternals() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try Self.json(response.body)
                #expect(body["status"] as? Int == 404)
                #expect(body["type"] as? String == "about:blank")
                #expect(body["title"] as? String == "Not Found")
            }
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(!String(buffer: response.body).contains("SELECT"))
            }
        }
    }

    @Test func bodiesAreReadStrictlyWithTheFieldNamed() async throws {
        try await Self.app().test(.router) { client in
            let json: HTTPFields = [.contentType: "application/json"]
            try await client.execute(
                uri: "/widgets", method: .post, headers: json, body: ByteBuffer(string: #"{"name": "w", "size": 2}"#)
            ) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/widgets/1")
            }
            let cases: [(String, String, String)] = [
                (#"{"name": "w", "colour": "red"}"#, "colour", "unknown field"),
                (#"{"name": 5}"#, "name", "expected a string"),
                (#"{"size": 5}"#, "name", "is required"),
                (#"{"name": "w", "size": "big"}"#, "size", "expected an integer"),
                (#"{"name": "w", "tags": ["a", 1]}"#, "tags.1", "expected a string"),
            ]
            for (body, field, detail) in cases {
                try await client.execute(uri: "/widgets", method: .post, headers: json, body: ByteBuffer(string: body))
                {
                    response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let errors = try Self.json(response.body)["errors"] as? [[String: String]]
                    #expect(errors?.first?["field"] == field, "\(body)")
                    #expect(errors?.first?["detail"] == detail, "\(body)")
                }
            }
            try await client.execute(uri: "/widgets", method: .post, headers: json, body: ByteBuffer(string: "[1]")) {
                #expect($0.status == .badRequest)
                let detail = try Self.json($0.body)["detail"] as? String
                #expect(detail == "the body is not a JSON object")
            }
        }
    }

    @Test func listenAddressesComeFromTheOptionThenTheEnvironment() throws {
        let fallback = ServiceListenAddress(host: "127.0.0.1", port: 8101)
        #expect(
            try ServiceListenAddress.resolve(option: nil, service: "users", environment: [:], fallback: fallback)
                == fallback)
        #expect(
            try ServiceListenAddress.resolve(
                option: nil, service: "users", environment: ["USERS_LISTEN": "0.0.0.0:9000"], fallback: fallback)
                == ServiceListenAddress(host: "0.0.0.0", port: 9000))
        #expect(
            try ServiceListenAddress.resolve(
                option: "[::1]:7000", service: "users", environment: ["USERS_LISTEN": "0.0.0.0:9000"],
                fallback: fallback)
                == ServiceListenAddress(host: "::1", port: 7000))
        #expect(throws: ServiceConfigurationError.self) {
            try ServiceListenAddress.resolve(option: "8101", service: "users", environment: [:], fallback: fallback)
        }
    }

    @Test func formBodiesDecodeAndReportRepeatedNames() {
        let form = FormBody(parsing: "grant_type=password&username=a%40b.c&password=p+w%26&scope=&x=1&x=2")
        #expect(form["username"] == "a@b.c")
        #expect(form["password"] == "p w&")
        #expect(form["scope"] == nil)
        #expect(form.repeated == ["x"])
        #expect(FormBody.encode([("a b", "c&d=é")]) == "a%20b=c%26d%3D%C3%A9")
    }
}
