import NIOCore
import Testing

@testable import Gateway

/// The client timeouts without a channel: NGINX's `client_header_timeout` and `keepalive_timeout`.
@Suite struct ClientTimeoutStateMachineTests {
    private static let header = TimeAmount.seconds(60)
    private static let keepalive = TimeAmount.seconds(75)

    private static func at(_ seconds: Int64) -> NIODeadline {
        .uptimeNanoseconds(UInt64(1_000 + seconds) * 1_000_000_000)
    }

    private func machine() -> ClientTimeoutStateMachine {
        ClientTimeoutStateMachine(headerTimeout: Self.header, keepaliveTimeout: Self.keepalive, now: Self.at(0))
    }

    @Test func firstHeadIsDueWithinTheHeaderTimeoutOfTheAccept() {
        var machine = self.machine()
        #expect(machine.deadline == Self.at(60))
        // Bytes of the head do not move the deadline: a slowloris client gains nothing by trickling.
        machine.bytesReceived(now: Self.at(30))
        machine.bytesReceived(now: Self.at(59))
        #expect(machine.deadline == Self.at(60))
        #expect(machine.timerFired(now: Self.at(59)) == .none)
        #expect(machine.timerFired(now: Self.at(60)) == .answerTimeoutAndClose)
        #expect(machine.state == .finished)
        #expect(machine.deadline == nil)
    }

    @Test func connectionThatSendsNothingIsClosedWithoutAnAnswer() {
        var machine = self.machine()
        #expect(machine.timerFired(now: Self.at(61)) == .close)
    }

    @Test func keptAliveConnectionIdlesForTheKeepaliveTimeoutThenReadsTheNextHead() {
        var machine = self.machine()
        machine.bytesReceived(now: Self.at(1))
        machine.headReceived()
        #expect(machine.deadline == nil)
        #expect(machine.timerFired(now: Self.at(500)) == .none)
        machine.responseEnded(now: Self.at(600))
        #expect(machine.deadline == Self.at(675))
        machine.bytesReceived(now: Self.at(670))
        #expect(machine.state == .readingHead(deadline: Self.at(730), partial: true))
        #expect(machine.timerFired(now: Self.at(675)) == .none)
        machine.headReceived()
        machine.responseEnded(now: Self.at(700))
        #expect(machine.timerFired(now: Self.at(775)) == .close)
    }

    @Test func pipelinedRequestsKeepTheConnectionBusyUntilTheLastResponse() {
        var machine = self.machine()
        machine.headReceived()
        machine.headReceived()
        machine.responseEnded(now: Self.at(10))
        #expect(machine.state == .busy(requests: 1))
        // Bytes while busy belong to a request in progress.
        machine.bytesReceived(now: Self.at(11))
        #expect(machine.deadline == nil)
        machine.responseEnded(now: Self.at(20))
        #expect(machine.state == .idle(deadline: Self.at(95)))
    }

    @Test func responseWithoutARequestHeadLeavesTheDeadline() {
        // A request the parser rejected is answered before any head reached the handlers.
        var machine = self.machine()
        machine.responseEnded(now: Self.at(5))
        #expect(machine.deadline == Self.at(60))
    }

    @Test func tunnelHasNoTimeouts() {
        var machine = self.machine()
        machine.headReceived()
        machine.upgraded()
        machine.responseEnded(now: Self.at(1))
        machine.bytesReceived(now: Self.at(2))
        #expect(machine.deadline == nil)
        #expect(machine.timerFired(now: Self.at(1_000)) == .none)
    }
}
