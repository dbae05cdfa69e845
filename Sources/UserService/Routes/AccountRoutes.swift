import Foundation
import Hummingbird
import ServiceKit

/// The accounts: `POST /users` (registration, anonymous), `GET /users/me`, `GET /users/{id}` (the owner, an
/// administrator, or scope `users:read`), `PATCH` and `DELETE /users/{id}` (the owner or an administrator), and
/// `GET /users` (administrators; `?limit=&cursor=`). Profiles are served from the session store's cache, which
/// updates and deletes invalidate.
struct AccountRoutes: Sendable {
    let store: any UserStore
    let sessions: any SessionStore
    let hasher: PasswordHasher
    let relay: OutboxRelay
    let profileCacheLifetime: Duration

    func add(to router: Router<ServiceRequestContext>) {
        router.post("/users") { request, context in try await self.register(request, context: context) }
        router.get("/users") { request, context in try await self.list(request, context: context) }
        router.get("/users/me") { _, context in
            try await self.profileResponse(id: try context.requireCaller().requireUser())
        }
        router.get("/users/{id}") { _, context in
            let id = try context.parameters.require("id")
            try context.requireCaller().requireOwnerOrAdmin(id, orScope: "users:read")
            return try await self.profileResponse(id: id)
        }
        router.patch("/users/{id}") { request, context in try await self.update(request, context: context) }
        router.delete("/users/{id}") { _, context in
            let id = try context.parameters.require("id")
            try context.requireCaller().requireOwnerOrAdmin(id)
            guard try await self.store.deleteUser(id: id) else { throw Problem.notFound("no such user") }
            try await self.sessions.invalidateProfile(userID: id)
            return Response(status: .noContent)
        }
    }

    private func register(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let body = try await request.decodeBody(NewAccount.self, context: context)
        var errors: [FieldError] = []
        let email = AccountValidation.email(body.email, into: &errors)
        AccountValidation.password(body.password, into: &errors)
        let name = AccountValidation.name(body.name, into: &errors)
        guard errors.isEmpty else { throw Problem.validation(errors) }
        let now = Timestamp.nowMilliseconds()
        let user = UserRecord(
            id: UUID().uuidString.lowercased(), email: email, name: name,
            passwordHash: try await self.hasher.hash(body.password), groups: [], createdAt: now, updatedAt: now)
        let event = EventEnvelope(
            type: "user.registered",
            data: ["user_id": .string(user.id), "email": .string(user.email), "name": .string(user.name)])
        do {
            try await self.store.createUser(user, event: event)
        } catch UserStoreError.emailTaken {
            throw Problem.conflict("an account with this email exists")
        }
        self.relay.wake()
        context.logger.info("account registered", metadata: ["user_id": "\(user.id)"])
        return try JSONResponse.created(user.profile, location: "/users/\(user.id)")
    }

    private func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.requireCaller().requireAdmin()
        let page = try PageRequest(query: request.uri)
        var after: String?
        if let cursor = page.cursor {
            guard let data = RandomToken.decodeBase64URL(cursor), let id = String(data: data, encoding: .utf8) else {
                throw Problem.invalidField("cursor", "is not a cursor this service gave")
            }
            after = id
        }
        let users = try await self.store.users(after: after, limit: page.limit + 1)
        let shown = users.prefix(page.limit)
        let next = users.count > page.limit ? shown.last.map { RandomToken.base64URL(Data($0.id.utf8)) } : nil
        return try JSONResponse.make(Page(data: shown.map(\.profile), nextCursor: next))
    }

    private func update(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let caller = try context.requireCaller()
        try caller.requireOwnerOrAdmin(id)
        let changes = try await request.decodeBody(AccountChanges.self, context: context)
        if changes.groups != nil, !caller.isAdmin { throw Problem.forbidden("only administrators may change groups") }
        guard var user = try await self.store.user(id: id) else { throw Problem.notFound("no such user") }
        var errors: [FieldError] = []
        if let email = changes.email { user.email = AccountValidation.email(email, into: &errors) }
        if let name = changes.name { user.name = AccountValidation.name(name, into: &errors) }
        if let password = changes.password { AccountValidation.password(password, into: &errors) }
        if let groups = changes.groups {
            AccountValidation.groups(groups, into: &errors)
            user.groups = groups
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        if let password = changes.password { user.passwordHash = try await self.hasher.hash(password) }
        user.updatedAt = Timestamp.nowMilliseconds()
        do {
            guard try await self.store.updateUser(user) else { throw Problem.notFound("no such user") }
        } catch UserStoreError.emailTaken {
            throw Problem.conflict("an account with this email exists")
        }
        try await self.sessions.invalidateProfile(userID: id)
        return try JSONResponse.make(user.profile)
    }

    /// The profile as JSON, from the cache or else the database (then cached).
    private func profileResponse(id: String) async throws -> Response {
        let json: Data
        if let cached = try await self.sessions.cachedProfile(userID: id) {
            json = cached
        } else {
            guard let user = try await self.store.user(id: id) else { throw Problem.notFound("no such user") }
            json = try JSONResponse.encoder.encode(user.profile)
            try await self.sessions.cacheProfile(userID: id, json: json, lifetime: self.profileCacheLifetime)
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
