import Foundation

/// The name-to-address entries of a hosts file (`/etc/hosts`), consulted before DNS as the system resolver does.
struct HostsFile: Sendable {
    private let entries: [String: [String]]

    init(contents: String) {
        var entries: [String: [String]] = [:]
        for line in contents.split(whereSeparator: \.isNewline) {
            let fields = line.prefix { $0 != "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let address = fields.first, HostSyntax.isIPv4(address) || HostSyntax.isIPv6(address) else { continue }
            for name in fields.dropFirst() {
                entries[name.lowercased(), default: []].append(String(address))
            }
        }
        self.entries = entries
    }

    /// The system's hosts file, or no entries when it cannot be read.
    static func system(path: String = "/etc/hosts") -> HostsFile {
        HostsFile(contents: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// The addresses of `name`: its IPv4 ones when it has any, else its IPv6 ones.
    func addresses(of name: String) -> [String]? {
        guard let all = self.entries[name.lowercased()] else { return nil }
        let v4 = all.filter { HostSyntax.isIPv4($0[...]) }
        return v4.isEmpty ? all : v4
    }
}
