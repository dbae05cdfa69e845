import Testing

@testable import Gateway

@Suite struct ConfigErrorTests {
    @Test func describesFilePathAndMessage() {
        let error = ConfigError(
            file: "routes/orders.json",
            path: "routes[0].plugins.rate-limiting.minute",
            message: "expected a positive integer, got \"sixty\""
        )
        #expect(
            error.description
                == "routes/orders.json: routes[0].plugins.rate-limiting.minute: expected a positive integer, "
                + "got \"sixty\""
        )
    }

    @Test func leavesOutAnEmptyPath() {
        #expect(
            ConfigError(file: "plugins.json", path: "", message: "file not found").description
                == "plugins.json: file not found")
    }

    @Test func sortsByFileThenPathByteWiseKeepingTheOrderFoundAtOnePlace() {
        let errors = ConfigErrors([
            ConfigError(file: "routes/b.json", path: "service", message: "1"),
            ConfigError(file: "routes/a.json", path: "routes[2]", message: "2"),
            ConfigError(file: "routes/a.json", path: "routes[10]", message: "3"),
            ConfigError(file: "plugins.json", path: "plugins[0].name", message: "4"),
            ConfigError(file: "plugins.json", path: "consumers[0]", message: "5"),
            ConfigError(file: "plugins.json", path: "consumers[0]", message: "6"),
            ConfigError(file: "routes/a.json", path: "Z", message: "7"),
            ConfigError(file: "routes/a.json", path: "é", message: "8"),
        ])
        #expect(errors.errors.map(\.message) == ["5", "6", "4", "7", "3", "2", "8", "1"])
        #expect(errors.description.split(separator: "\n").first == "plugins.json: consumers[0]: 5")
    }
}
