import Gateway
import GatewayTesting

/// The error lines a harness for `plugin` with `config` fails with, one per error; empty when it loads.
func configErrorLines(_ plugin: any GatewayPlugin.Type, _ config: String) -> [String] {
    do {
        _ = try PluginHarness(plugin, config: config)
        return []
    } catch let errors as ConfigErrors {
        return errors.errors.map(\.description)
    } catch {
        return ["\(error)"]
    }
}
