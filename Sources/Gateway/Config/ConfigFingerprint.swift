/// A fingerprint of a configuration's files: FNV-1a (64 bits) over each file's name and contents, in the order the
/// loader decodes them, as 16 hex digits. Two gateways whose fingerprints match loaded the same bytes; it tells
/// changes apart, it is no cryptographic digest.
struct ConfigFingerprint {
    private var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Adds one file: its name, a separator, its length and its contents, so that no two file lists hash alike by
    /// moving bytes from one file to the next.
    mutating func add(file name: String, contents: String) {
        self.add(bytes: name.utf8)
        self.add(bytes: [0])
        self.add(bytes: String(contents.utf8.count).utf8)
        self.add(bytes: [0])
        self.add(bytes: contents.utf8)
    }

    private mutating func add(bytes: some Sequence<UInt8>) {
        var hash = self.value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        self.value = hash
    }

    /// The fingerprint as 16 lower-case hex digits.
    var hex: String {
        let digits = String(self.value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
