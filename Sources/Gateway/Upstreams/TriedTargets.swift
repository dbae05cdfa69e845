/// The targets a request has tried, by index: a bit set for the first 64 (no allocation on the request path), a list
/// beyond them.
struct TriedTargets {
    private var bits: UInt64 = 0
    private var more: [Int] = []

    var isEmpty: Bool { self.bits == 0 && self.more.isEmpty }

    func contains(_ index: Int) -> Bool {
        index < 64 ? self.bits & (1 << UInt64(index)) != 0 : self.more.contains(index)
    }

    mutating func insert(_ index: Int) {
        if index < 64 {
            self.bits |= 1 << UInt64(index)
        } else if !self.more.contains(index) {
            self.more.append(index)
        }
    }
}
