import NIOHTTP1

/// What the router matches a request against, for the length of one `match` call.
struct RouteRequest {
    let method: String
    let headers: HTTPHeaders
    /// The normalised path, and its UTF-8 bytes for the prefix trie.
    let path: Substring
    let pathBytes: UnsafeBufferPointer<UInt8>
}

/// The best candidate found so far: its rank (index in priority order) and how many bytes of the path it
/// matched.
struct BestCandidate {
    var rank = Int32.max
    var matchedLength = 0
}

/// The candidates that share one host condition, indexed by path: prefixes in a trie, regex paths and
/// routes without paths in lists. Every list holds ranks in ascending order, so a search stops at the
/// first candidate that matches, or at the first that cannot beat the best found in another index.
struct PathIndex: Sendable {
    private let prefixes: PrefixTrie
    private let regexes: [Int32]
    private let anyPath: [Int32]

    /// An index of `ranks` (ascending) into `candidates` (in priority order).
    init(ranks: [Int32], candidates: [RouteCandidate]) {
        var prefixes: [(prefix: String, value: Int32)] = []
        var regexes: [Int32] = []
        var anyPath: [Int32] = []
        for rank in ranks {
            switch candidates[Int(rank)].path {
            case .any: anyPath.append(rank)
            case .prefix(let prefix): prefixes.append((prefix: prefix, value: rank))
            case .regex: regexes.append(rank)
            }
        }
        self.prefixes = PrefixTrie(prefixes)
        self.regexes = regexes
        self.anyPath = anyPath
    }

    /// Replaces `best` with this index's first candidate in priority order that matches `request`, if it
    /// comes before `best`.
    func search(_ request: RouteRequest, candidates: [RouteCandidate], best: inout BestCandidate) {
        self.prefixes.forEachPrefix(of: request.pathBytes) { length, ranks in
            for rank in ranks {
                if rank >= best.rank { return }
                if candidates[Int(rank)].filter.accepts(method: request.method, headers: request.headers) {
                    best = BestCandidate(rank: rank, matchedLength: length)
                    return
                }
            }
        }
        for rank in self.regexes {
            if rank >= best.rank { break }
            let candidate = candidates[Int(rank)]
            guard case .regex(let regex) = candidate.path,
                candidate.filter.accepts(method: request.method, headers: request.headers),
                let length = regex.prefixMatchLength(in: request.path)
            else { continue }
            best = BestCandidate(rank: rank, matchedLength: length)
            break
        }
        for rank in self.anyPath {
            if rank >= best.rank { break }
            if candidates[Int(rank)].filter.accepts(method: request.method, headers: request.headers) {
                best = BestCandidate(rank: rank, matchedLength: 0)
                break
            }
        }
    }
}
