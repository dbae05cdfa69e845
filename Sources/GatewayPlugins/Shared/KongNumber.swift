import Foundation

/// Numbers written as Kong writes them (Lua's `tostring` and cjson both use `%.14g`): `3600`, `1.5`, `1e+20`.
enum KongNumber {
    static func text(_ value: Double) -> String {
        String(format: "%.14g", value)
    }
}
