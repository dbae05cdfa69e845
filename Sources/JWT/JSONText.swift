import Foundation

/// JSON text to and from `JSONValue`: the object segments of a token, and the claims handed to libjwt.
enum JSONText {
    /// The JSON object in `bytes`, or `nil` if they are not one.
    ///
    /// `JSONSerialization` rather than `JSONDecoder`: it is about 18 times faster on a token's claims, and this
    /// runs for every uncached token.
    static func parseObject(_ bytes: [UInt8]) -> [String: JSONValue]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return nil }
        guard case .object(let members) = Self.value(object) else { return nil }
        return members
    }

    private static func value(_ object: Any) -> JSONValue? {
        switch object {
        case let string as String:
            return .string(string)
        case let number as NSNumber:
            // JSONSerialization makes `true` and `false` Boolean NSNumbers, whose type encoding is `c` (char).
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let array as [Any]:
            var elements: [JSONValue] = []
            elements.reserveCapacity(array.count)
            for element in array {
                guard let value = Self.value(element) else { return nil }
                elements.append(value)
            }
            return .array(elements)
        case let dictionary as [String: Any]:
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(dictionary.count)
            for (key, element) in dictionary {
                guard let value = Self.value(element) else { return nil }
                members[key] = value
            }
            return .object(members)
        case is NSNull:
            return .null
        default:
            return nil
        }
    }

    /// Compact JSON for `value`; integral numbers are written without a fraction, so `exp` stays an integer.
    static func serialize(_ value: JSONValue) -> String {
        var output = ""
        Self.write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null:
            output += "null"
        case .bool(let bool):
            output += bool ? "true" : "false"
        case .number(let number):
            if number.isFinite, number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
                output += String(Int64(number))
            } else if number.isFinite {
                output += "\(number)"
            } else {
                output += "null"
            }
        case .string(let string):
            Self.write(string, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                Self.write(element, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                Self.write(key, to: &output)
                output += ":"
                Self.write(members[key]!, to: &output)
            }
            output += "}"
        }
    }

    private static func write(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
