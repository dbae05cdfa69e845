import Foundation
import ServiceKit

/// `POST /users`.
struct NewAccount: StrictJSONBody {
    static let fields: Set<String> = ["email", "password", "name"]
    let email: String
    let password: String
    let name: String
}

/// `PATCH /users/{id}`: each field optional; `groups` for administrators only.
struct AccountChanges: StrictJSONBody {
    static let fields: Set<String> = ["email", "password", "name", "groups"]
    let email: String?
    let password: String?
    let name: String?
    let groups: [String]?
}

/// The checks on account fields, each failure naming its field.
enum AccountValidation {
    static let passwordLengths = 8...1024
    static let nameLengths = 1...200

    static func email(_ text: String, into errors: inout [FieldError]) -> String {
        guard let email = EmailAddress.normalise(text) else {
            errors.append(FieldError(field: "email", detail: "is not an email address"))
            return text
        }
        return email
    }

    static func password(_ text: String, into errors: inout [FieldError]) {
        if !Self.passwordLengths.contains(text.count) {
            errors.append(
                FieldError(
                    field: "password",
                    detail:
                        "must have \(Self.passwordLengths.lowerBound) to \(Self.passwordLengths.upperBound) characters")
            )
        }
    }

    static func name(_ text: String, into errors: inout [FieldError]) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !Self.nameLengths.contains(trimmed.count) {
            errors.append(FieldError(field: "name", detail: "must have 1 to 200 characters"))
        }
        return trimmed
    }

    static func groups(_ groups: [String], into errors: inout [FieldError]) {
        for (index, group) in groups.enumerated() where group.isEmpty || group.contains(where: \.isWhitespace) {
            errors.append(FieldError(field: "groups.\(index)", detail: "must be one word"))
        }
    }
}
