/// Replaces `${NAME}` and `${NAME:-default}` in configuration strings with environment variables.
///
/// `NAME` is a letter or `_` followed by letters, digits and `_`. Like the shell's `:-`, the default applies when
/// the variable is unset or empty; it runs to the first `}` and may be empty. A string may hold several references.
/// Messages name variables, never their values.
struct EnvironmentSubstitution: Sendable {
    /// A string that held references: as written, and with them replaced.
    struct Substitution: Hashable {
        var written: String
        var value: String
    }

    /// A document after substitution.
    struct Document {
        /// The document with every reference replaced; a string whose references failed stays as written.
        var value: JSONValue
        /// The strings that held references, by JSON path.
        var substitutions: [String: Substitution] = [:]
        /// The paths of strings whose references failed.
        var failedPaths: Set<String> = []
        /// What failed, by JSON path.
        var errors: [(path: String, message: String)] = []
    }

    var environment: [String: String]

    /// Substitutes in every string value of `value` (not in object keys).
    func apply(to value: JSONValue) -> Document {
        var document = Document(value: value)
        document.value = self.walk(value, at: "", into: &document)
        return document
    }

    private func walk(_ value: JSONValue, at path: String, into document: inout Document) -> JSONValue {
        switch value {
        case .string(let written):
            switch self.substitute(written) {
            case .success(let substituted):
                if written.contains("${") {
                    document.substitutions[path] = Substitution(written: written, value: substituted)
                }
                return .string(substituted)
            case .failure(let failure):
                document.failedPaths.insert(path)
                document.errors += failure.messages.map { (path, $0) }
                return value
            }
        case .array(let elements):
            var substituted: [JSONValue] = []
            for (index, element) in elements.enumerated() {
                substituted.append(self.walk(element, at: JSONPath.element(index, of: path), into: &document))
            }
            return .array(substituted)
        case .object(let members):
            var substituted: [JSONMember] = []
            for member in members {
                let value = self.walk(member.value, at: JSONPath.member(member.key, of: path), into: &document)
                substituted.append(JSONMember(key: member.key, value: value))
            }
            return .object(substituted)
        case .null, .bool, .integer, .number:
            return value
        }
    }

    /// Why a string's references could not be replaced.
    struct Failure: Error, Hashable {
        var messages: [String]
    }

    /// The string with every reference replaced.
    func substitute(_ string: String) -> Result<String, Failure> {
        var result = ""
        var messages: [String] = []
        var rest = string[...]
        while let start = rest.firstRange(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                messages.append("expected '}' to close \"${\"")
                break
            }
            let reference = rest[start.upperBound..<end]
            rest = rest[rest.index(after: end)...]
            let (name, fallback) = Self.split(reference)
            guard Self.isValidName(name) else {
                messages.append("expected an environment variable name in \"${\(reference)}\"")
                continue
            }
            if let value = self.environment[String(name)], !(value.isEmpty && fallback != nil) {
                result += value
            } else if let fallback {
                result += fallback
            } else {
                messages.append("environment variable \(name) is not set")
            }
        }
        result += rest
        return messages.isEmpty ? .success(result) : .failure(Failure(messages: messages))
    }

    private static func split(_ reference: Substring) -> (name: Substring, fallback: Substring?) {
        guard let separator = reference.firstRange(of: ":-") else { return (reference, nil) }
        return (reference[..<separator.lowerBound], reference[separator.upperBound...])
    }

    private static func isValidName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
