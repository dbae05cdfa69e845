import Foundation
import ServiceKit

/// `PUT /notifications/preferences/{user_id}`: changes to the user's preferences, merged into the ones stored (or
/// the defaults). A field left out keeps its value; `null` clears `email`, `phone` (E.164) or `push_tokens`.
/// `channels` (`{"order.created": {"email": true, "sms": false}}`) switches only the events and channels it lists;
/// the others keep their state.
struct PreferencesBody: StrictJSONBody {
    static let fields: Set<String> = ["email", "phone", "push_tokens", "channels"]

    /// What a body does to one field.
    enum Change<Value: Sendable>: Sendable {
        /// Left out: the value stays.
        case keep
        /// `null`: the value goes.
        case clear
        /// A new value.
        case set(Value)

        /// `current` changed as this says.
        func applied(to current: Value?) -> Value? {
            switch self {
            case .keep: return current
            case .clear: return nil
            case .set(let value): return value
            }
        }

        /// The new value, if one is set.
        var newValue: Value? {
            if case .set(let value) = self { return value }
            return nil
        }
    }

    var email: Change<String> = .keep
    var phone: Change<String> = .keep
    var pushTokens: Change<[String]> = .keep
    var channels: [String: [String: Bool]]?

    private enum CodingKeys: String, CodingKey {
        case email, phone, pushTokens, channels
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.email = try Self.change(of: .email, in: container)
        self.phone = try Self.change(of: .phone, in: container)
        self.pushTokens = try Self.change(of: .pushTokens, in: container)
        self.channels = try container.decodeIfPresent([String: [String: Bool]].self, forKey: .channels)
    }

    private static func change<Value: Decodable & Sendable>(
        of key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> Change<Value> {
        guard container.contains(key) else { return .keep }
        if try container.decodeNil(forKey: key) { return .clear }
        return .set(try container.decode(Value.self, forKey: key))
    }

    /// `current` with this body's changes.
    ///
    /// - Throws: `Problem` 400 naming each field that is not valid.
    func merged(into current: NotificationPreferences, now: Date) throws -> NotificationPreferences {
        var errors: [FieldError] = []
        if let email = self.email.newValue, !Self.isEmail(email) {
            errors.append(FieldError(field: "email", detail: "expected an email address"))
        }
        if let phone = self.phone.newValue, !Self.isE164(phone) {
            errors.append(FieldError(field: "phone", detail: "expected a number in E.164 form, such as +4915112345678"))
        }
        for (index, token) in (self.pushTokens.newValue ?? []).enumerated() where token.isEmpty || token.count > 4096 {
            errors.append(FieldError(field: "push_tokens.\(index)", detail: "expected a token of 1 to 4096 characters"))
        }
        var channels = current.channels
        for (type, switches) in (self.channels ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let event = NotificationEvent(rawValue: type) else {
                let known = NotificationEvent.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(
                    FieldError(field: "channels.\(type)", detail: "unknown event type; expected one of \(known)"))
                continue
            }
            var kinds = channels[event] ?? []
            for (name, enabled) in switches.sorted(by: { $0.key < $1.key }) {
                guard let kind = ChannelKind(rawValue: name) else {
                    errors.append(
                        FieldError(
                            field: "channels.\(type).\(name)", detail: "unknown channel; expected email, sms or push"))
                    continue
                }
                if enabled { kinds.insert(kind) } else { kinds.remove(kind) }
            }
            channels[event] = kinds
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return NotificationPreferences(
            userID: current.userID, email: self.email.applied(to: current.email),
            phone: self.phone.applied(to: current.phone),
            pushTokens: self.pushTokens.applied(to: current.pushTokens) ?? [], channels: channels, name: current.name,
            updatedAt: now)
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }

    static func isE164(_ text: String) -> Bool {
        guard text.hasPrefix("+") else { return false }
        let digits = text.dropFirst()
        return (7...15).contains(digits.count) && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            && digits.first != "0"
    }
}
