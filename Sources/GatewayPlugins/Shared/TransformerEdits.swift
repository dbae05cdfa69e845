/// The edits a transformer makes to one part of a request or response (its headers or its query), each list
/// applied in Kong's order: remove, rename, replace, add, append.
public struct TransformerEdits: Sendable {
    /// Names to remove.
    public var remove: [String] = []
    /// `name` renamed to `value`, when present.
    public var rename: [ColonEntry] = []
    /// `name` set to `value`, when present.
    public var replace: [ColonEntry] = []
    /// `name` set to `value`, when absent.
    public var add: [ColonEntry] = []
    /// `value` added to `name`'s values.
    public var append: [ColonEntry] = []

    public init() {}

    /// Whether there is no edit at all.
    public var isEmpty: Bool {
        self.remove.isEmpty && self.rename.isEmpty && self.replace.isEmpty && self.add.isEmpty && self.append.isEmpty
    }
}
