import Foundation
import Logging

/// A swift-log handler writing one line per message through a `LogLineWriter`: `text` (time, level, label,
/// message, then `key=value` metadata) or `json` (one JSON object a line), as `LOG_FORMAT` says.
public struct GatewayLogHandler: LogHandler {
    public enum Format: String, Sendable {
        case text
        case json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format
    /// Where each finished line goes: `LogLineWriter.write`, or a test's sink.
    private let writeLine: @Sendable (String) -> Void

    public init(label: String, format: Format, level: Logger.Level, writer: LogLineWriter = .standardError) {
        self.init(label: label, format: format, level: level, writeLine: { line in writer.write(line) })
    }

    /// A handler that hands each line to `writeLine` instead of a `LogLineWriter`, so tests can read lines back.
    init(label: String, format: Format, level: Logger.Level, writeLine: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.writeLine = writeLine
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        switch self.format {
        case .text:
            var line = "\(time) \(event.level) \(self.label): \(event.message)"
            for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
            self.writeLine(line)
        case .json:
            var fields: [(String, String)] = [
                ("time", time), ("level", event.level.rawValue), ("logger", self.label), ("message", "\(event.message)"),
            ]
            for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
            self.writeLine("{" + fields.map { "\(JSONText.quoted($0.0)):\(JSONText.quoted($0.1))" }.joined(separator: ",") + "}")
        }
    }
}
