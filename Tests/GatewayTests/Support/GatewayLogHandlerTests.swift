import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import Gateway

@Suite struct GatewayLogHandlerTests {
    /// The lines a logger wrote, and the logger.
    private final class Lines: Sendable {
        private let box = NIOLockedValueBox<[String]>([])

        var all: [String] { self.box.withLockedValue { $0 } }

        func logger(
            label: String = "acme.test",
            format: GatewayLogHandler.Format,
            level: Logger.Level = .info
        ) -> Logger {
            Logger(label: label) { label in
                GatewayLogHandler(label: label, format: format, level: level) { line in
                    self.box.withLockedValue { $0.append(line) }
                }
            }
        }
    }

    /// `2025-01-31T12:34:56.789Z`: ISO 8601 in UTC, with milliseconds.
    private static func isTime(_ text: Substring) -> Bool {
        text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil
    }

    /// A text line split into its time and the rest.
    private static func splitText(_ line: String) throws -> (time: Substring, rest: Substring) {
        let space = try #require(line.firstIndex(of: " "))
        return (line[..<space], line[line.index(after: space)...])
    }

    @Test func textLineIsTimeLevelLabelMessageThenSortedMetadata() throws {
        let lines = Lines()
        var logger = lines.logger(format: .text)
        logger[metadataKey: "zone"] = "eu"
        logger[metadataKey: "app"] = "gateway"
        logger.info("request done", metadata: ["status": "200", "method": "GET"])
        let line = try #require(lines.all.first)
        let (time, rest) = try Self.splitText(line)
        #expect(Self.isTime(time), "\(time)")
        #expect(rest == "info acme.test: request done app=gateway method=GET status=200 zone=eu")
        #expect(lines.all.count == 1)
    }

    @Test func textLineWithoutMetadata() throws {
        let lines = Lines()
        lines.logger(format: .text).error("upstream refused")
        let (_, rest) = try Self.splitText(try #require(lines.all.first))
        #expect(rest == "error acme.test: upstream refused")
    }

    @Test func eventMetadataWinsOverTheHandlers() throws {
        let lines = Lines()
        var logger = lines.logger(format: .text)
        logger[metadataKey: "log"] = "gateway"
        logger[metadataKey: "route"] = "orders"
        logger.warning("slow", metadata: ["log": "access"])
        let (_, rest) = try Self.splitText(try #require(lines.all.first))
        #expect(rest == "warning acme.test: slow log=access route=orders")
        // The handler's own metadata is unchanged.
        logger.warning("again")
        let (_, second) = try Self.splitText(try #require(lines.all.last))
        #expect(second == "warning acme.test: again log=gateway route=orders")
    }

    @Test func messagesBelowTheLevelAreNotWritten() {
        let lines = Lines()
        let logger = lines.logger(format: .text, level: .notice)
        logger.debug("no")
        logger.info("no")
        logger.notice("yes")
        logger.critical("yes")
        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { $0.contains(": yes") })
    }

    @Test func jsonLineHasFixedFieldsFirstThenSortedMetadata() throws {
        let lines = Lines()
        var logger = lines.logger(label: "acme.gateway", format: .json)
        logger[metadataKey: "log"] = "access"
        logger.info("request", metadata: ["status": "200", "method": "GET"])
        let line = try #require(lines.all.first)
        let match = try #require(line.wholeMatch(of: #/\{"time":"(?<time>[^"]*)",(?<rest>.*)/#))
        #expect(Self.isTime(match.output.time), "\(match.output.time)")
        let fields = #""level":"info","logger":"acme.gateway","message":"request","#
        #expect(match.output.rest == fields + #""log":"access","method":"GET","status":"200"}"#)
    }

    @Test func jsonLineEscapesMessageMetadataAndLabel() throws {
        let lines = Lines()
        let message = "say \"hi\" \\ then\nnext\r\tline \u{1}\u{1F} café ✓"
        let logger = lines.logger(label: "acme \"x\"", format: .json)
        logger.error("\(message)", metadata: ["key \"k\"": "value\nwith \\ newline"])
        let line = try #require(lines.all.first)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == message)
        #expect(object["logger"] == "acme \"x\"")
        #expect(object["level"] == "error")
        #expect(object["key \"k\""] == "value\nwith \\ newline")
        #expect(object.count == 5)
    }

    @Test(arguments: [
        ("", #""""#),
        ("plain", #""plain""#),
        ("a\"b", #""a\"b""#),
        ("a\\b", #""a\\b""#),
        ("a/b", #""a/b""#),
        ("\n\r\t", #""\n\r\t""#),
        ("\u{0}\u{8}\u{C}\u{1B}\u{1F}", #""\u0000\u0008\u000c\u001b\u001f""#),
        ("\u{20}\u{7F}", "\"\u{20}\u{7F}\""),
        ("é ✓ 🦅", #""é ✓ 🦅""#),
    ])
    func quotedIsAJSONStringLiteral(text: String, expected: String) throws {
        let quoted = JSONText.quoted(text)
        #expect(quoted == expected)
        let decoded = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
        #expect(decoded == text)
    }
}
