import Testing

@testable import Gateway

@Suite struct PrefixTrieTests {
    private func prefixes(of path: String, in trie: PrefixTrie) -> [[Int32]] {
        var found: [[Int32]] = []
        var path = path
        path.withUTF8 { bytes in
            trie.forEachPrefix(of: bytes) { length, values in
                found.append([Int32(length)] + values)
            }
        }
        return found
    }

    @Test func findsEveryStoredPrefixShortestFirst() {
        let trie = PrefixTrie([("/api/orders", 1), ("/", 2), ("/api", 3), ("/apis", 4), ("/users", 5)])
        #expect(self.prefixes(of: "/api/orders/12", in: trie) == [[1, 2], [4, 3], [11, 1]])
        #expect(self.prefixes(of: "/apis", in: trie) == [[1, 2], [4, 3], [5, 4]])
        #expect(self.prefixes(of: "/ap", in: trie) == [[1, 2]])
        #expect(self.prefixes(of: "/users", in: trie) == [[1, 2], [6, 5]])
    }

    @Test func valuesOfOnePrefixKeepTheirOrder() {
        let trie = PrefixTrie([("/a", 7), ("/a", 3), ("/a", 5)])
        #expect(self.prefixes(of: "/a/b", in: trie) == [[2, 7, 3, 5]])
    }

    @Test func emptyTrieFindsNothing() {
        #expect(self.prefixes(of: "/a", in: PrefixTrie([])).isEmpty)
    }

    @Test func nodesWithManyChildrenAreSearched() {
        // More than eight children under "/" exercises the binary search.
        let letters = (UInt8(ascii: "a")...UInt8(ascii: "z")).map { String(UnicodeScalar($0)) }
        let trie = PrefixTrie(letters.enumerated().map { ("/" + $0.element, Int32($0.offset)) })
        for (offset, letter) in letters.enumerated() {
            #expect(self.prefixes(of: "/\(letter)/x", in: trie) == [[2, Int32(offset)]])
        }
        #expect(self.prefixes(of: "/A", in: trie).isEmpty)
    }
}
