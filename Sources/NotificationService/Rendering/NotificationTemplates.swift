import Foundation
import JWT
import Mustache

/// The Mustache templates, per event and channel, named `<event type>.<channel>.<part>`: `subject` and `body` for
/// email, `body` for text messages, `title` and `body` for push (`order.created.email.subject.mustache`). The
/// repository's own ship as the module's resources; a file of the same name in `TEMPLATES_DIR` replaces one.
public struct NotificationTemplates: Sendable {
    private let library: MustacheLibrary
    /// The names of the templates loaded.
    public let names: Set<String>

    /// What a template produced for one channel.
    public struct Rendered: Sendable, Hashable {
        /// The subject or title (empty for text messages).
        public var subject: String
        /// The text: for email ending with a newline, for text messages and push exactly the template's output,
        /// trimmed.
        public var body: String
    }

    /// A rendering failed.
    public struct RenderingError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The bundled templates with those of `overrides` (a folder, `TEMPLATES_DIR`) laid over them.
    ///
    /// - Throws: `RenderingError` naming the file that cannot be read or parsed.
    public static func load(overrides: String?) throws -> NotificationTemplates {
        var library = MustacheLibrary()
        var names: Set<String> = []
        guard let bundled = Bundle.module.resourceURL?.appendingPathComponent("DefaultTemplates").path else {
            throw RenderingError(description: "the bundled templates are missing")
        }
        for folder in [bundled] + (overrides.map { [$0] } ?? []) {
            for (name, path) in try Self.templateFiles(in: folder) {
                do {
                    try library.register(try String(contentsOfFile: path, encoding: .utf8), named: name)
                } catch {
                    throw RenderingError(description: "\(path): not a valid Mustache template: \(error)")
                }
                names.insert(name)
            }
        }
        return NotificationTemplates(library: library, names: names)
    }

    /// Renders `event`'s templates for `channel` with `context`.
    ///
    /// - Throws: `RenderingError` naming a missing template.
    public func render(
        _ event: NotificationEvent, channel: ChannelKind, context: [String: JSONValue]
    ) throws -> Rendered {
        let values = Self.mustacheValue(.object(context))
        let subjectPart: String? =
            switch channel {
            case .email: "subject"
            case .push: "title"
            case .sms: nil
            }
        let subject = try subjectPart.map { try self.render("\(event.rawValue).\(channel.rawValue).\($0)", values) }
        let body = try self.render("\(event.rawValue).\(channel.rawValue).body", values)
        return Rendered(
            subject: (subject ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            body: Self.body(body, channel: channel))
    }

    /// A rendered body as `channel` sends it: an email's ends with one newline, like a text file; a text message's
    /// or push notification's is the text alone, trimmed of surrounding whitespace and newlines.
    static func body(_ rendered: String, channel: ChannelKind) -> String {
        switch channel {
        case .email: return rendered.trimmingCharacters(in: .newlines) + "\n"
        case .sms, .push: return rendered.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private func render(_ name: String, _ values: Any) throws -> String {
        guard self.names.contains(name), let text = self.library.render(values, withTemplate: name) else {
            throw RenderingError(description: "no template \(name).mustache")
        }
        return text
    }

    /// Every `*.mustache` file in `folder`, by name without the extension.
    private static func templateFiles(in folder: String) throws -> [(String, String)] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw RenderingError(description: "TEMPLATES_DIR: \(folder) cannot be read: \(error)")
        }
        return files.filter { $0.hasSuffix(".mustache") }.sorted().map {
            (String($0.dropLast(".mustache".count)), folder + "/" + $0)
        }
    }

    /// A JSON value as Mustache reads values: dictionaries, arrays, strings, integers, doubles and booleans.
    static func mustacheValue(_ value: JSONValue) -> Any {
        switch value {
        case .object(let members): return members.mapValues(Self.mustacheValue)
        case .array(let items): return items.map(Self.mustacheValue)
        case .string(let text): return text
        case .bool(let flag): return flag
        case .number(let number):
            if let integer = Int(exactly: number) { return integer }
            return number
        case .null: return ""
        }
    }
}
