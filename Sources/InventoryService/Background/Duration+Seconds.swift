extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) / 1e18
    }
}
