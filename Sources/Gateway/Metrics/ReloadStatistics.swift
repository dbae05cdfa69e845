import Foundation
import NIOConcurrencyHelpers

/// What the gateway's reloads came to: how many succeeded and failed, when the configuration in force was loaded,
/// and the last reload (for `/status`). Rendered in `/metrics` as `acme_config_reloads_total{result}`,
/// `acme_config_last_reload_success_timestamp_seconds` and `acme_config_last_reload_successful`, the pair of
/// gauges Prometheus itself exposes for its own reloads.
public final class ReloadStatistics: Sendable {
    private struct State {
        var successes = 0
        var failures = 0
        var loadedAt: Date
        var last: ReloadRecord?
    }

    private let state: NIOLockedValueBox<State>

    /// Statistics of a gateway whose first configuration was loaded at `loadedAt`.
    public init(loadedAt: Date = Date()) {
        self.state = NIOLockedValueBox(State(loadedAt: loadedAt))
    }

    func record(_ reload: ReloadRecord) {
        self.state.withLockedValue { state in
            switch reload.result {
            case .success:
                state.successes += 1
                state.loadedAt = reload.at
            case .failure:
                state.failures += 1
            }
            state.last = reload
        }
    }

    /// Reloads that put a configuration in force.
    public var successes: Int { self.state.withLockedValue { $0.successes } }
    /// Reloads refused.
    public var failures: Int { self.state.withLockedValue { $0.failures } }
    /// When the configuration in force was loaded: at start, or by the last successful reload.
    public var loadedAt: Date { self.state.withLockedValue { $0.loadedAt } }
    /// The last reload, nil before the first.
    public var last: ReloadRecord? { self.state.withLockedValue { $0.last } }

    /// The three families, as Prometheus text.
    func render(into out: inout PrometheusText) {
        let (successes, failures, loadedAt, last) = self.state.withLockedValue {
            ($0.successes, $0.failures, $0.loadedAt, $0.last)
        }
        out.family("acme_config_reloads_total", type: "counter", help: "Configuration reloads by result")
        out.sample("acme_config_reloads_total", labels: [("result", "failure")], value: String(failures))
        out.sample("acme_config_reloads_total", labels: [("result", "success")], value: String(successes))
        out.family(
            "acme_config_last_reload_success_timestamp_seconds",
            type: "gauge",
            help: "When the configuration in force was loaded, in seconds since 1970"
        )
        let seconds = String(format: "%.3f", loadedAt.timeIntervalSince1970)
        out.sample("acme_config_last_reload_success_timestamp_seconds", labels: [], value: seconds)
        out.family(
            "acme_config_last_reload_successful", type: "gauge",
            help: "Whether the last reload succeeded (1) or was refused (0)")
        out.sample("acme_config_last_reload_successful", labels: [], value: last?.result == .failure ? "0" : "1")
    }
}
