/// The publishes on one confirm-mode channel that the broker has not confirmed yet. The broker numbers a
/// channel's publishes from 1; a basic.ack or basic.nack confirms one delivery tag or, with `multiple`, every
/// tag up to it.
struct PublisherConfirms<Item> {
    private var nextTag: UInt64 = 1
    private var outstanding: [(tag: UInt64, item: Item)] = []

    /// Whether every publish so far has been confirmed.
    var isEmpty: Bool { self.outstanding.isEmpty }

    /// Records the channel's next publish.
    mutating func published(_ item: Item) {
        self.outstanding.append((self.nextTag, item))
        self.nextTag += 1
    }

    /// The items that a confirm of `tag` settles, oldest first; nothing for a tag already settled.
    mutating func confirm(_ tag: UInt64, multiple: Bool) -> [Item] {
        let settled = self.outstanding.filter { multiple ? $0.tag <= tag : $0.tag == tag }
        self.outstanding.removeAll { multiple ? $0.tag <= tag : $0.tag == tag }
        return settled.map(\.item)
    }

    /// Every unconfirmed item, oldest first (the connection was lost: their fate is unknown).
    mutating func removeAll() -> [Item] {
        defer { self.outstanding = [] }
        return self.outstanding.map(\.item)
    }
}
