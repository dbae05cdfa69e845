import Testing

@testable import ServiceKit

@Suite struct PublisherConfirmsTests {
    @Test func anAckSettlesItsTagAndAMultipleAckEveryTagUpToIt() {
        var confirms = PublisherConfirms<String>()
        for item in ["a", "b", "c", "d"] { confirms.published(item) }
        #expect(confirms.confirm(2, multiple: false) == ["b"])
        #expect(confirms.confirm(3, multiple: true) == ["a", "c"])
        #expect(confirms.confirm(3, multiple: true) == [])
        #expect(!confirms.isEmpty)
        #expect(confirms.confirm(4, multiple: false) == ["d"])
        #expect(confirms.isEmpty)
    }

    @Test func aLostConnectionHandsBackEveryUnconfirmedPublish() {
        var confirms = PublisherConfirms<Int>()
        for item in 1...3 { confirms.published(item) }
        _ = confirms.confirm(1, multiple: false)
        #expect(confirms.removeAll() == [2, 3])
        #expect(confirms.isEmpty)
    }
}
