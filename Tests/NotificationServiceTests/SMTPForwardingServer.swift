/// The tests' aiosmtpd server (`ProviderServers.smtpScript`, with its login) answering
/// `251 user not local; will forward` to recipients at `forward.test`, and 250 to the others as before.
enum SMTPForwardingServer {
    /// The line of the script that accepts a recipient.
    private static let accepting = #"return "250 OK""# + "\n"

    /// The script, or `nil` when the shared one no longer has the line this changes.
    static let script: String? = {
        let script = ProviderServers.smtpScript
        guard let range = script.range(of: Self.accepting) else { return nil }
        return script.replacingCharacters(
            in: range,
            with: #"""
                if address.endswith("@forward.test"):
                            return "251 2.1.5 user not local; will forward"
                        return "250 OK"

                """#)
    }()
}
