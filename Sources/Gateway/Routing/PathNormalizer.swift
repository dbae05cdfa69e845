/// Why a request path cannot be routed; the proxy answers 400 Bad Request.
public enum PathNormalizationError: Error, Sendable, Hashable {
    /// The path does not start with `/` (origin form). `*` and absolute forms are the caller's to handle.
    case notAbsolute
    /// A `%` not followed by two hexadecimal digits.
    case invalidPercentEncoding
    /// A NUL byte, raw or as `%00`.
    case nulByte
    /// A `..` segment (also written `%2E%2E`) that would climb above the root, as in `/a/../../x`.
    case climbsAboveRoot
}

/// Normalises a request path before routing, so that a route sees one spelling of each path and the
/// upstream receives the path that was matched.
///
/// 1. Percent-encodings of unreserved characters (RFC 3986 2.3: `ALPHA DIGIT - . _ ~`) are decoded; every
///    other percent-encoding is kept, its hex digits upper-cased (`%2f` → `%2F`, so an encoded slash never
///    becomes a separator).
/// 2. Dot segments are removed (RFC 3986 5.2.4), after decoding, so `%2E%2E` is `..`. A `..` with nothing
///    left to remove is an error rather than being dropped.
///
/// Empty segments (`//`) are kept as they are: Kong does not merge slashes either.
public enum PathNormalizer {
    /// The normalised form of `path`, the request target without its query string.
    public static func normalize(_ path: Substring) throws(PathNormalizationError) -> String {
        let utf8 = path.utf8
        guard utf8.first == UInt8(ascii: "/") else { throw .notAbsolute }
        if !self.needsWork(utf8) { return String(path) }
        // Decoding and removing segments only shrink the path, so the input's length is room enough.
        var failure: PathNormalizationError?
        let normalized = String(unsafeUninitializedCapacity: utf8.count) { output in
            do throws(PathNormalizationError) {
                return try self.normalize(utf8, into: output)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return normalized
    }

    /// Whether `path` has a `%`, a NUL byte or a segment starting with `.`; if not it is already normal.
    private static func needsWork(_ path: Substring.UTF8View) -> Bool {
        var previous = UInt8(ascii: "/")
        for byte in path {
            if byte == UInt8(ascii: "%") || byte == 0 { return true }
            if byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }

    /// Writes the normalised `path` into `output`, one segment at a time, and returns its length.
    private static func normalize(
        _ path: Substring.UTF8View,
        into output: UnsafeMutableBufferPointer<UInt8>
    ) throws(PathNormalizationError) -> Int {
        var length = 0
        var index = path.index(after: path.startIndex)
        while true {
            // A segment is written as "/" and its decoded bytes, then taken back if it is a dot segment.
            let segmentStart = length
            output[length] = UInt8(ascii: "/")
            length += 1
            while index < path.endIndex, path[index] != UInt8(ascii: "/") {
                try self.appendDecoded(path, at: &index, to: output, length: &length)
            }
            let isDotSegment: Bool
            switch length - segmentStart {
            case 2 where output[segmentStart + 1] == UInt8(ascii: "."):
                length = segmentStart
                isDotSegment = true
            case 3 where output[segmentStart + 1] == UInt8(ascii: ".") && output[segmentStart + 2] == UInt8(ascii: "."):
                guard segmentStart > 0 else { throw .climbsAboveRoot }
                length = self.lastSlash(in: output, before: segmentStart)
                isDotSegment = true
            default:
                isDotSegment = false
            }
            guard index < path.endIndex else {
                // `/a/.` and `/a/b/..` end with a slash (RFC 3986 5.2.4 steps B and C).
                if isDotSegment {
                    output[length] = UInt8(ascii: "/")
                    length += 1
                }
                return length
            }
            path.formIndex(after: &index)
        }
    }

    /// The index of the last `/` before `end`; index 0 always holds one.
    private static func lastSlash(in output: UnsafeMutableBufferPointer<UInt8>, before end: Int) -> Int {
        var index = end - 1
        while output[index] != UInt8(ascii: "/") { index -= 1 }
        return index
    }

    /// Appends the byte at `index`, or the percent-encoding starting there (decoded when it is an unreserved
    /// character, else kept with upper-case hex), and advances `index` past what it read.
    private static func appendDecoded(
        _ path: Substring.UTF8View,
        at index: inout Substring.UTF8View.Index,
        to output: UnsafeMutableBufferPointer<UInt8>,
        length: inout Int
    ) throws(PathNormalizationError) {
        let byte = path[index]
        path.formIndex(after: &index)
        guard byte != 0 else { throw .nulByte }
        guard byte == UInt8(ascii: "%") else {
            output[length] = byte
            length += 1
            return
        }
        guard index < path.endIndex, let high = self.hexValue(path[index]) else { throw .invalidPercentEncoding }
        let highDigit = path[index]
        path.formIndex(after: &index)
        guard index < path.endIndex, let low = self.hexValue(path[index]) else { throw .invalidPercentEncoding }
        let lowDigit = path[index]
        path.formIndex(after: &index)
        let decoded = high << 4 | low
        guard decoded != 0 else { throw .nulByte }
        if self.isUnreserved(decoded) {
            output[length] = decoded
            length += 1
        } else {
            output[length] = UInt8(ascii: "%")
            output[length + 1] = self.upperCased(highDigit)
            output[length + 2] = self.upperCased(lowDigit)
            length += 3
        }
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func upperCased(_ digit: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(digit) ? digit - 0x20 : digit
    }

    /// RFC 3986 2.3: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
