@testable import ServiceKit
import ServiceKitTesting
import Testing

@Suite struct MySQLPlaceholdersTests {
    @Test func numberedPlaceholdersBecomeQuestionMarksInTheirOrder() throws {
        let rewritten = MySQLPlaceholders(rewriting: "UPDATE t SET a = $2, b = $10 WHERE id = $1 AND c = $2")
        #expect(rewritten.sql == "UPDATE t SET a = ?, b = ? WHERE id = ? AND c = ?")
        #expect(rewritten.parameterIndices == [1, 9, 0, 1])
        let binds: [SQLValue] = ["id", "two", 3, 4, 5, 6, 7, 8, 9, "ten"]
        #expect(try rewritten.arrange(binds) == ["two", "ten", "id", "two"])
    }

    @Test func placeholdersInsideQuotesAreLeftAlone() {
        let rewritten = MySQLPlaceholders(rewriting: #"SELECT '$1', 'it''s $2', "$3", `$4`, $5, price$ FROM t"#)
        #expect(rewritten.sql == #"SELECT '$1', 'it''s $2', "$3", `$4`, ?, price$ FROM t"#)
        #expect(rewritten.parameterIndices == [4])
    }

    @Test func aPlaceholderBeyondTheBindsIsAnError() {
        let rewritten = MySQLPlaceholders(rewriting: "SELECT $1, $3")
        #expect(throws: SQLError.self) { try rewritten.arrange(["a", "b"]) }
    }
}

@Suite struct MySQLURLTests {
    @Test func readsUserPasswordHostPortAndDatabase() throws {
        let url = try MySQLURL("mysql://shop%40acme:p%3Ass@db.example:3307/inventory")
        #expect(url.user == "shop@acme")
        #expect(url.password == "p:ss")
        #expect(url.host == "db.example")
        #expect(url.port == 3307)
        #expect(url.database == "inventory")
        #expect(try MySQLURL(url.urlString) == url)
        #expect(try MySQLURL("mysql://root@127.0.0.1/acme").port == 3306)
    }

    @Test(arguments: ["postgres://a@h/d", "mysql://h/d", "mysql://a@h", "mysql://a@h/", "not a url"])
    func refusesWhatIsNotAMySQLURL(url: String) {
        #expect(throws: SQLError.self) { try MySQLURL(url) }
    }

    @Test func aMySQLURLSelectsMySQLForTheInventoryOnly() async {
        let both = ["INVENTORY_DATABASE_URL": "mysql://a@h/d", "DATABASE_URL": "postgres://b@h/e"]
        #expect(
            DatabaseConfiguration.fromEnvironment(service: "inventory", environment: both, allowingMySQL: true)
                == .mysql(url: "mysql://a@h/d"))
        #expect(
            DatabaseConfiguration.fromEnvironment(service: "users", environment: both)
                == .postgres(url: "postgres://b@h/e", schema: "users"))
        #expect(
            DatabaseConfiguration.fromEnvironment(
                service: "inventory", environment: ["DATABASE_URL": "mysql://a@h/d"], allowingMySQL: true)
                == .mysql(url: "mysql://a@h/d"))
        // A service whose statements are PostgreSQL's and SQLite's refuses the URL when it opens its database.
        let users = DatabaseConfiguration.fromEnvironment(
            service: "users", environment: ["DATABASE_URL": "mysql://a@h/d"])
        await #expect(throws: SQLError.self) { try await users.open(logger: ServiceTestEnvironment.logger) }
    }
}
