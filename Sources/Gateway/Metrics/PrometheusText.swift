/// Writes the Prometheus text exposition format (version 0.0.4): `# HELP` and `# TYPE` once per family, then one
/// line per sample, label values escaped.
struct PrometheusText {
    private(set) var text = ""

    /// Starts a metric family.
    mutating func family(_ name: String, type: String, help: String) {
        self.text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// One sample: `name{label="value",...} value`.
    mutating func sample(_ name: String, labels: [(String, String)], value: String) {
        self.text += name
        if !labels.isEmpty {
            self.text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { self.text += "," }
                self.text += label + "=\"" + Self.escaped(labelValue) + "\""
            }
            self.text += "}"
        }
        self.text += " " + value + "\n"
    }

    /// A histogram's cumulative buckets, `+Inf`, sum and count.
    mutating func histogram(_ name: String, labels: [(String, String)], _ histogram: LatencyHistogram) {
        var cumulative: UInt64 = 0
        for (bound, count) in zip(histogram.bounds, histogram.counts) {
            cumulative += count
            self.sample(name + "_bucket", labels: labels + [("le", String(format: bound))], value: String(cumulative))
        }
        self.sample(name + "_bucket", labels: labels + [("le", "+Inf")], value: String(histogram.count))
        self.sample(name + "_sum", labels: labels, value: String(histogram.sum))
        self.sample(name + "_count", labels: labels, value: String(histogram.count))
    }

    /// `\`, `"` and newlines escaped, as the format asks of label values.
    static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") })
        else { return value }
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}

extension String {
    /// A bucket bound as Prometheus clients write it: `25.0`.
    fileprivate init(format bound: Int) {
        self = String(bound) + ".0"
    }
}
