import ServiceKit

/// Who may do what: reads need any valid token; writes need the scope `inventory:write` or the `admin` group.
enum InventoryAccess {
    /// The scope that allows writes.
    static let writeScope = "inventory:write"

    /// The caller of a valid token.
    ///
    /// - Throws: `Problem` 401 without one.
    @discardableResult
    static func reader(_ context: ServiceRequestContext) throws -> Caller {
        try context.requireCaller()
    }

    /// The caller of a valid token that may write.
    ///
    /// - Throws: `Problem` 401 without a valid token, 403 without the scope or group.
    @discardableResult
    static func writer(_ context: ServiceRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        guard caller.has(scope: Self.writeScope) || caller.isAdmin else {
            throw Problem.forbidden("this needs the scope \(Self.writeScope) or the admin group")
        }
        return caller
    }
}
