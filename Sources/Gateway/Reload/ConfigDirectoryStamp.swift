import Foundation

/// What a configuration directory's files look like from outside: each file's size, modification time and inode
/// (an editor that saves by renaming a new file over the old changes the inode). Two equal stamps mean, as far as
/// polling can tell, nothing changed.
struct ConfigDirectoryStamp: Sendable, Hashable {
    struct FileStamp: Sendable, Hashable {
        var size: UInt64
        var modified: Date
        var inode: UInt64
    }

    /// By path relative to the directory: `plugins.json` and each `routes/*.json`; a missing file is absent.
    var files: [String: FileStamp]

    /// Stats the files of `directory` now (a few system calls: call it off the event loops).
    static func take(_ directory: String) -> ConfigDirectoryStamp {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        var names = [ConfigLoader.pluginsFileName]
        let routes = root.appendingPathComponent(ConfigLoader.routesDirectoryName).path
        if let entries = try? manager.contentsOfDirectory(atPath: routes) {
            names += entries.filter { $0.hasSuffix(".json") }.map { "\(ConfigLoader.routesDirectoryName)/\($0)" }
        }
        var files: [String: FileStamp] = [:]
        for name in names {
            guard let attributes = try? manager.attributesOfItem(atPath: root.appendingPathComponent(name).path) else {
                continue
            }
            files[name] = FileStamp(
                size: (attributes[.size] as? NSNumber)?.uint64Value ?? 0,
                modified: attributes[.modificationDate] as? Date ?? .distantPast,
                inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
            )
        }
        return ConfigDirectoryStamp(files: files)
    }
}
