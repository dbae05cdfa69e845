import Foundation
import ServiceKit

/// `PUT /notifications/preferences/{user_id}`: the whole preferences. Every field may be left out: `email`,
/// `phone` (E.164) and `push_tokens` then become empty, and `channels` (`{"order.created": {"email": true,
/// "sms": false}}`) keeps email on for every event; an event or channel not listed is off.
struct PreferencesBody: StrictJSONBody {
    static let fields: Set<String> = ["email", "phone", "push_tokens", "channels"]

    var email: String?
    var phone: String?
    var pushTokens: [String]?
    var channels: [String: [String: Bool]]?

    /// The preferences this body sets for `userID`, keeping the name the service knows.
    ///
    /// - Throws: `Problem` 400 naming each field that is not valid.
    func preferences(userID: String, name: String?, now: Date) throws -> NotificationPreferences {
        var errors: [FieldError] = []
        if let email, !Self.isEmail(email) {
            errors.append(FieldError(field: "email", detail: "expected an email address"))
        }
        if let phone, !Self.isE164(phone) {
            errors.append(FieldError(field: "phone", detail: "expected a number in E.164 form, such as +4915112345678"))
        }
        for (index, token) in (self.pushTokens ?? []).enumerated() where token.isEmpty || token.count > 4096 {
            errors.append(FieldError(field: "push_tokens.\(index)", detail: "expected a token of 1 to 4096 characters"))
        }
        var channels = NotificationPreferences.defaults(userID: userID, email: nil, name: nil, now: now).channels
        if let switches = self.channels {
            channels = [:]
            for (type, on) in switches.sorted(by: { $0.key < $1.key }) {
                guard let event = NotificationEvent(rawValue: type) else {
                    let known = NotificationEvent.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(
                        FieldError(field: "channels.\(type)", detail: "unknown event type; expected one of \(known)"))
                    continue
                }
                var kinds: Set<ChannelKind> = []
                for (name, enabled) in on.sorted(by: { $0.key < $1.key }) {
                    guard let kind = ChannelKind(rawValue: name) else {
                        errors.append(
                            FieldError(
                                field: "channels.\(type).\(name)",
                                detail: "unknown channel; expected email, sms or push"))
                        continue
                    }
                    if enabled { kinds.insert(kind) }
                }
                channels[event] = kinds
            }
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return NotificationPreferences(
            userID: userID, email: self.email, phone: self.phone, pushTokens: self.pushTokens ?? [],
            channels: channels, name: name, updatedAt: now)
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
