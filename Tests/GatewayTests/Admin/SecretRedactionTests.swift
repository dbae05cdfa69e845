import Testing

@testable import Gateway

@Suite struct SecretRedactionTests {
    @Test(arguments: [
        "key", "secret", "password", "token", "Authorization", "client_secret", "rsa_public_key", "api-key",
        "redis_password",
        "access_token", "credentials",
    ])
    func fieldsNamedForSecretsAreHidden(name: String) {
        let value = JSONValue.object([JSONMember(key: name, value: .string("s3cr3t"))])
        #expect(SecretRedaction.redacted(value) == .object([JSONMember(key: name, value: .string("<redacted>"))]))
    }

    @Test(arguments: [
        "key_names", "hide_credentials", "key_claim_name", "header_name", "secret_is_base64", "keys", "policy",
    ])
    func otherFieldsStay(name: String) {
        let value = JSONValue.object([JSONMember(key: name, value: .string("visible"))])
        #expect(SecretRedaction.redacted(value) == value)
    }

    @Test func nestedValuesAndArraysAreHiddenButNotNumbersOrBooleans() {
        let value = JSONValue.object([
            JSONMember(key: "list", value: .array([.object([JSONMember(key: "secret", value: .string("a"))])])),
            JSONMember(
                key: "keys_in",
                value: .object([JSONMember(key: "password", value: .array([.string("b"), .integer(3)]))])),
            JSONMember(key: "token", value: .bool(true)),
        ])
        let expected = JSONValue.object([
            JSONMember(
                key: "list", value: .array([.object([JSONMember(key: "secret", value: .string("<redacted>"))])])),
            JSONMember(
                key: "keys_in",
                value: .object([JSONMember(key: "password", value: .array([.string("<redacted>"), .integer(3)]))])
            ),
            JSONMember(key: "token", value: .bool(true)),
        ])
        #expect(SecretRedaction.redacted(value) == expected)
    }

    @Test(arguments: [
        ("redis://:hunter2@cache:6379/0", "redis://:<redacted>@cache:6379/0"),
        ("redis://user:hunter2@cache", "redis://user:<redacted>@cache"),
        ("http://user@host/path", "http://user@host/path"),
        ("http://host/a@b:c", "http://host/a@b:c"),
        ("not a url: x@y", "not a url: x@y"),
    ])
    func passwordsInURLsAreHidden(url: String, shown: String) {
        #expect(SecretRedaction.redacted(.string(url)) == .string(shown))
    }
}
