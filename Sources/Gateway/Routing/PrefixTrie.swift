/// Prefix paths in a byte-wise trie, built once and stored in a few flat arrays, so that finding every
/// prefix of a request path costs one step per byte of the path, whatever the number of routes.
///
/// Prefixes are plain string prefixes, as in Kong: `/api` is a prefix of `/apis`.
struct PrefixTrie: Sendable {
    private struct Node: Sendable {
        /// The node's outgoing edges, `edgeBytes[firstEdge..<firstEdge + edgeCount]`, sorted by byte.
        var firstEdge: Int32
        var edgeCount: Int32
        /// The values stored at this node, `values[firstValue..<firstValue + valueCount]`.
        var firstValue: Int32
        var valueCount: Int32
    }

    private let nodes: [Node]
    private let edgeBytes: [UInt8]
    private let edgeTargets: [Int32]
    private let values: [Int32]

    /// A trie holding each entry's value at the node of its prefix; values of one prefix keep their order.
    init(_ entries: [(prefix: String, value: Int32)]) {
        var children: [[UInt8: Int32]] = [[:]]
        var nodeValues: [[Int32]] = [[]]
        for entry in entries {
            var node = 0
            for byte in entry.prefix.utf8 {
                if let next = children[node][byte] {
                    node = Int(next)
                } else {
                    children[node][byte] = Int32(children.count)
                    node = children.count
                    children.append([:])
                    nodeValues.append([])
                }
            }
            nodeValues[node].append(entry.value)
        }
        var nodes: [Node] = []
        var edgeBytes: [UInt8] = []
        var edgeTargets: [Int32] = []
        var values: [Int32] = []
        nodes.reserveCapacity(children.count)
        for (edges, stored) in zip(children, nodeValues) {
            nodes.append(
                Node(
                    firstEdge: Int32(edgeBytes.count),
                    edgeCount: Int32(edges.count),
                    firstValue: Int32(values.count),
                    valueCount: Int32(stored.count)
                )
            )
            for (byte, target) in edges.sorted(by: { $0.key < $1.key }) {
                edgeBytes.append(byte)
                edgeTargets.append(target)
            }
            values.append(contentsOf: stored)
        }
        self.nodes = nodes
        self.edgeBytes = edgeBytes
        self.edgeTargets = edgeTargets
        self.values = values
    }

    /// Calls `body` with the length and the values of every stored prefix of `path`, shortest first.
    func forEachPrefix(
        of path: UnsafeBufferPointer<UInt8>,
        _ body: (_ length: Int, _ values: ArraySlice<Int32>) -> Void
    ) {
        var node = 0
        var length = 0
        while true {
            let current = self.nodes[node]
            if current.valueCount > 0 {
                let first = Int(current.firstValue)
                body(length, self.values[first..<first + Int(current.valueCount)])
            }
            guard length < path.count, let next = self.child(of: current, byte: path[length]) else { return }
            node = next
            length += 1
        }
    }

    /// The node reached from `node` over `byte`: a linear scan of few edges, a binary search of many.
    private func child(of node: Node, byte: UInt8) -> Int? {
        var low = Int(node.firstEdge)
        var high = low + Int(node.edgeCount)
        while high - low > 8 {
            let middle = (low + high) / 2
            if self.edgeBytes[middle] < byte { low = middle + 1 } else { high = middle + 1 }
        }
        for edge in low..<high where self.edgeBytes[edge] == byte {
            return Int(self.edgeTargets[edge])
        }
        return nil
    }
}
