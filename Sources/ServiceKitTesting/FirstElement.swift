/// The first element of `stream`, or `nil` when none arrives within `seconds`: a guard against a test hanging on
/// an event that never comes, not a timing assertion.
public func firstElement<Element: Sendable>(of stream: AsyncStream<Element>, within seconds: Int = 10) async -> Element?
{
    await withTaskGroup(of: Element?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next()
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
