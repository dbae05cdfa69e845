import Testing

@testable import Gateway

@Suite struct EnvironmentSubstitutionTests {
    let substitution = EnvironmentSubstitution(environment: ["HOST": "db", "PORT": "5432", "EMPTY": ""])

    private func substitute(_ string: String) -> Result<String, EnvironmentSubstitution.Failure> {
        self.substitution.substitute(string)
    }

    @Test func replacesEveryReference() throws {
        #expect(try self.substitute("postgres://${HOST}:${PORT}/app").get() == "postgres://db:5432/app")
        #expect(try self.substitute("no references, $HOST or $ alone").get() == "no references, $HOST or $ alone")
    }

    @Test func fallsBackToTheDefaultWhenUnsetOrEmpty() throws {
        #expect(try self.substitute("${MISSING:-fallback}").get() == "fallback")
        #expect(try self.substitute("${EMPTY:-fallback}").get() == "fallback")
        #expect(try self.substitute("[${MISSING:-}]").get() == "[]")
        #expect(try self.substitute("${HOST:-fallback}").get() == "db")
        #expect(try self.substitute("${EMPTY}").get() == "")
        #expect(try self.substitute("${MISSING:-a:-b}").get() == "a:-b")
    }

    @Test func namesEveryMissingVariable() {
        let messages = ["environment variable A is not set", "environment variable B is not set"]
        #expect(throws: EnvironmentSubstitution.Failure(messages: messages)) { try self.substitute("${A}/${B}").get() }
    }

    @Test func rejectsMalformedReferences() {
        #expect(throws: EnvironmentSubstitution.Failure(messages: ["expected '}' to close \"${\""])) {
            try self.substitute("x${HOST").get()
        }
        #expect(
            throws: EnvironmentSubstitution.Failure(messages: ["expected an environment variable name in \"${1X}\""])
        ) {
            try self.substitute("${1X}").get()
        }
        #expect(throws: EnvironmentSubstitution.Failure(messages: ["expected an environment variable name in \"${}\""]))
        {
            try self.substitute("${}").get()
        }
    }

    @Test func substitutesStringValuesButNotKeysAndRecordsWhatWasWritten() {
        let value = JSONValue.object([
            JSONMember(key: "${HOST}", value: .array([.string("${HOST}"), .integer(1), .string("plain")])),
            JSONMember(key: "b", value: .string("${NOPE}")),
            JSONMember(key: "c", value: .string("${MISSING:-}")),
        ])
        let document = self.substitution.apply(to: value)
        #expect(
            document.value
                == .object([
                    JSONMember(key: "${HOST}", value: .array([.string("db"), .integer(1), .string("plain")])),
                    JSONMember(key: "b", value: .string("${NOPE}")),
                    JSONMember(key: "c", value: .string("")),
                ])
        )
        #expect(
            document.substitutions == [
                "${HOST}[0]": .init(written: "${HOST}", value: "db"),
                "c": .init(written: "${MISSING:-}", value: ""),
            ]
        )
        #expect(document.failedPaths == ["b"])
        #expect(document.errors.map { "\($0.path): \($0.message)" } == ["b: environment variable NOPE is not set"])
    }
}
