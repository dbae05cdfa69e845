/// Decides, poll by poll, when a changed configuration directory should be reloaded: once the change has settled,
/// that is when two polls in a row saw the same stamp and it differs from the one last loaded. An editor's burst
/// of writes (or `cp -r` of several files) is one reload, after its last write.
struct ConfigWatchDebouncer: Sendable {
    /// The stamp of what was last loaded (or refused: a broken file is not retried until it changes again).
    private(set) var loaded: ConfigDirectoryStamp
    /// A changed stamp seen by the last poll, waiting to settle.
    private var pending: ConfigDirectoryStamp?

    init(loaded: ConfigDirectoryStamp) {
        self.loaded = loaded
    }

    /// Takes one poll's stamp; true when the directory should be reloaded now.
    mutating func observe(_ stamp: ConfigDirectoryStamp) -> Bool {
        if stamp == self.loaded {
            self.pending = nil
            return false
        }
        guard stamp == self.pending else {
            self.pending = stamp
            return false
        }
        self.loaded = stamp
        self.pending = nil
        return true
    }
}
