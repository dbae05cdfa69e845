import Foundation
import Hummingbird
import ServiceKit

/// `GET /notifications?user_id=...&limit=&cursor=`: the delivery log of a user, newest first, each delivery with
/// its attempts. The owner or an administrator; `user_id` defaults to the caller.
struct DeliveryRoutes: Sendable {
    let store: NotificationStore

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/notifications") { request, context in
            let caller = try context.requireCaller()
            let page = try PageRequest(query: request.uri)
            let userID = try request.uri.queryParameters["user_id"].map(String.init) ?? caller.requireUser()
            try caller.requireOwnerOrAdmin(userID)
            var after: Int64?
            if let cursor = page.cursor {
                guard let sequence = Int64(cursor), sequence > 0 else {
                    throw Problem.invalidField("cursor", "expected the next_cursor of a previous page")
                }
                after = sequence
            }
            let (deliveries, next) = try await self.store.deliveries(userID: userID, limit: page.limit, after: after)
            return try JSONResponse.make(Page(data: deliveries, nextCursor: next.map(String.init)))
        }
    }
}
