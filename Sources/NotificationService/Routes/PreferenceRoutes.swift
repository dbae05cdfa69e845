import Foundation
import Hummingbird
import ServiceKit

/// `GET` and `PUT /notifications/preferences/{user_id}`: the owner or an administrator. A user who never set any
/// sees the defaults (email on for every event, to the address the service knows). `PUT` changes only what its body
/// names (`PreferencesBody`).
struct PreferenceRoutes: Sendable {
    let store: NotificationStore
    let now: @Sendable () -> Date

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/notifications/preferences/{user_id}") { _, context in
            let userID = try context.parameters.require("user_id")
            try context.requireCaller().requireOwnerOrAdmin(userID)
            let preferences =
                try await self.store.preferences(userID: userID)
                ?? .defaults(userID: userID, email: nil, name: nil, now: self.now())
            return try JSONResponse.make(preferences.document)
        }
        router.put("/notifications/preferences/{user_id}") { request, context in
            let userID = try context.parameters.require("user_id")
            try context.requireCaller().requireOwnerOrAdmin(userID)
            let body = try await request.decodeBody(PreferencesBody.self, context: context)
            let current =
                try await self.store.preferences(userID: userID)
                ?? .defaults(userID: userID, email: nil, name: nil, now: self.now())
            let preferences = try body.merged(into: current, now: self.now())
            try await self.store.save(preferences)
            return try JSONResponse.make(preferences.document)
        }
    }
}
