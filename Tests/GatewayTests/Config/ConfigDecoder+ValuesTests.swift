import Testing

@testable import Gateway

@Suite struct ConfigDecoderValuesTests {
    @Test func reportsTheWrongTypeWithWhatWasGot() {
        #expect(ConfigFixtures.errors(plugins: "[]") == ["plugins.json: expected an object, got an array"])
        #expect(
            ConfigFixtures.errors(plugins: #"{ "consumers": {}, "plugins": null }"#) == [
                "plugins.json: consumers: expected an array, got an object",
                "plugins.json: plugins: expected an array, got null",
            ]
        )
        let consumers = #"{ "consumers": [{ "username": 7, "custom_id": null, "groups": [true, "a", 1.5] }] }"#
        #expect(
            ConfigFixtures.errors(plugins: consumers) == [
                "plugins.json: consumers[0].custom_id: expected a non-empty string, got null",
                "plugins.json: consumers[0].groups[0]: expected a string, got true",
                "plugins.json: consumers[0].groups[2]: expected a string, got 1.5",
                "plugins.json: consumers[0].username: expected a non-empty string, got 7",
            ]
        )
    }

    @Test func reportsUnknownFieldsWithTheAllowedOnes() {
        #expect(
            ConfigFixtures.errors(plugins: #"{ "plugin": [] }"#) == [
                "plugins.json: plugin: unknown field; allowed fields are consumers, plugins"
            ]
        )
    }

    @Test func reportsMissingRequiredFields() {
        #expect(ConfigFixtures.errors(routes: [("routes/a.json", "{}")]) == ["routes/a.json: service: is required"])
    }

    @Test func checksIntegerRanges() {
        var decoder = ConfigDecoder(environment: [:], catalog: NoPlugins())
        let node = { (value: JSONValue) in ConfigNode(value: value, path: "n") }
        #expect(decoder.integer(node(.integer(3)), in: 1...5, expected: "one to five") == 3)
        #expect(decoder.integer(node(.integer(6)), in: 1...5, expected: "one to five") == nil)
        #expect(decoder.integer(node(.number(3)), in: 1...5, expected: "one to five") == nil)
        #expect(decoder.integer(nil, in: 1...5, expected: "one to five") == nil)
        #expect(
            decoder.errors.map(\.description) == [
                ": n: expected one to five, got 6", ": n: expected one to five, got 3.0",
            ])
    }
}
