import Foundation
import GatewayTesting
import Testing

@testable import Gateway

/// `--watch`: the debouncer's decisions, the directory stamp, and a running gateway picking up an edited file.
@Suite struct ConfigWatchTests {
    private static func stamp(_ size: UInt64, inode: UInt64 = 1) -> ConfigDirectoryStamp {
        ConfigDirectoryStamp(files: [
            "plugins.json": .init(size: size, modified: Date(timeIntervalSince1970: 0), inode: inode)
        ])
    }

    /// Whether each poll of `stamps` reloads, starting from `loaded`.
    private static func decisions(loaded: ConfigDirectoryStamp, _ stamps: [ConfigDirectoryStamp]) -> [Bool] {
        var debouncer = ConfigWatchDebouncer(loaded: loaded)
        return stamps.map { debouncer.observe($0) }
    }

    @Test func reloadsOnceAChangeHasSettled() {
        // Unchanged; a burst of writes (each poll sees another stamp); two polls in a row see the same changed
        // stamp: one reload, and none after it.
        let stamps = [1, 2, 3, 3, 3].map { Self.stamp($0) }
        #expect(Self.decisions(loaded: Self.stamp(1), stamps) == [false, false, false, true, false])
    }

    @Test func aChangeUndoneBeforeItSettledIsNoReload() {
        let stamps = [2, 1, 1].map { Self.stamp($0) }
        #expect(Self.decisions(loaded: Self.stamp(1), stamps) == [false, false, false])
    }

    @Test func aFileRenamedOverAnotherIsAChange() {
        let stamps = [Self.stamp(1, inode: 2), Self.stamp(1, inode: 2)]
        #expect(Self.decisions(loaded: Self.stamp(1), stamps) == [false, true])
    }

    @Test func theStampCoversPluginsAndRouteFilesOnly() throws {
        let directory = try TestConfigDirectory([
            "plugins.json": "{}", "routes/a.json": "{}", "routes/notes.txt": "x", "other.json": "{}",
        ])
        defer { directory.remove() }
        let stamp = ConfigDirectoryStamp.take(directory.path)
        #expect(stamp.files.keys.sorted() == ["plugins.json", "routes/a.json"])
        #expect(stamp == ConfigDirectoryStamp.take(directory.path))
        try directory.write(["routes/a.json": "{ }"])
        #expect(stamp != ConfigDirectoryStamp.take(directory.path))
        try FileManager.default.removeItem(atPath: directory.path + "/routes/a.json")
        #expect(ConfigDirectoryStamp.take(directory.path).files.keys.sorted() == ["plugins.json"])
    }

    @Test func aWatchingGatewayReloadsAnEditedDirectory() async throws {
        try await withTwoUpstreams { a, b in
            let directory = try ReloadFiles.directory(to: a)
            defer { directory.remove() }
            try await withReloadingGateway(directory, adjust: { $0.watchInterval = .milliseconds(50) }) { gateway in
                #expect(try await gateway.request(.GET, "/x").bodyText == #"{"upstream":"a"}"#)
                try directory.write(["routes/echo.json": ReloadFiles.echo(port: b.port)])
                // Hang guard only: the watcher polls every 50 ms.
                var body = ""
                for _ in 0..<600 where body != #"{"upstream":"b"}"# {
                    try await Task.sleep(for: .milliseconds(50))
                    body = try await gateway.request(.GET, "/x").bodyText
                }
                #expect(body == #"{"upstream":"b"}"#)
                let last = try #require(gateway.server.reloader.statistics.last)
                #expect(last.trigger == .watch)
                #expect(last.result == .success)
                #expect(gateway.server.runtimes.current.generation == 1)
            }
        }
    }
}
