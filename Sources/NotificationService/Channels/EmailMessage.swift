import Foundation

/// An email as RFC 5322 text: the headers (`From`, `To`, `Subject` encoded per RFC 2047 when not ASCII, `Date`,
/// `Message-ID`, MIME's) and a plain-text body, 7-bit when it is ASCII and Base64 otherwise, lines ending in CRLF.
public struct EmailMessage: Sendable {
    /// The sender (`MAIL_FROM`), an address or `Name <address>`.
    public var from: String
    /// The recipients' addresses.
    public var to: [String]
    /// The subject.
    public var subject: String
    /// The text.
    public var body: String
    /// The `Message-ID` without angle brackets.
    public var messageID: String
    /// The `Date`.
    public var date: Date
    /// Further headers (`X-Acme-Channel`, ...).
    public var extraHeaders: [(String, String)]

    /// A message.
    public init(
        from: String, to: [String], subject: String, body: String, messageID: String, date: Date,
        extraHeaders: [(String, String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
        self.extraHeaders = extraHeaders
    }

    /// The bare address of `from` (what is between `<` and `>`, or all of it).
    public var fromAddress: String { Self.address(self.from) }

    /// The message's text, CRLF line endings.
    public var rfc5322: String {
        var lines = [
            "From: \(self.from)",
            "To: \(self.to.joined(separator: ", "))",
            "Subject: \(Self.encodedWord(self.subject))",
            "Date: \(Self.dateText(self.date))",
            "Message-ID: <\(self.messageID)>",
        ]
        lines += self.extraHeaders.map { "\($0.0): \($0.1)" }
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
        let normalised = self.body.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        if self.body.utf8.allSatisfy({ $0 < 128 }) {
            lines.append("Content-Transfer-Encoding: 7bit")
            lines.append("")
            lines += normalised.map(String.init)
        } else {
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            let encoded = Data(self.body.utf8).base64EncodedString(options: [.lineLength76Characters])
            lines += encoded.split(separator: "\r\n").map(String.init)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The address in `text`: between `<` and `>` when it has them.
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            return text.trimmingCharacters(in: .whitespaces)
        }
        return String(text[text.index(after: open)..<close])
    }

    /// `text`, or an RFC 2047 encoded word when it is not printable ASCII.
    static func encodedWord(_ text: String) -> String {
        if text.utf8.allSatisfy({ (32..<127).contains($0) }) { return text }
        return "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    /// RFC 5322's date: `Thu, 26 Nov 2026 11:19:20 +0000`.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
