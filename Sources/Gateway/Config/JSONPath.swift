/// JSON paths as configuration errors show them: object keys joined by `.`, array indices as `[i]`
/// (`routes[1].paths[0]`); the document itself is the empty path.
enum JSONPath {
    static func member(_ key: String, of path: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func element(_ index: Int, of path: String) -> String {
        "\(path)[\(index)]"
    }

    /// Whether `path` is `ancestor` or inside it.
    static func path(_ path: String, isWithin ancestor: String) -> Bool {
        guard path.hasPrefix(ancestor) else { return false }
        if ancestor.isEmpty || path.count == ancestor.count { return true }
        let next = path[path.index(path.startIndex, offsetBy: ancestor.count)]
        return next == "." || next == "["
    }
}
