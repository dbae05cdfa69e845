import Foundation

/// The `Retry-After` header of an HTTP answer (RFC 9110 10.2.3): a number of seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`).
enum RetryAfter {
    /// The wait `value` asks for, counted from `now`; `nil` when it is neither form. A date in the past asks for
    /// no wait.
    static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        guard let date = Self.httpDateFormatter().date(from: text) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }

    /// A reader of IMF-fixdate, the form HTTP dates are sent in (a new one each time: formatters are not
    /// `Sendable`, and answers with `Retry-After` are rare).
    private static func httpDateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }
}
