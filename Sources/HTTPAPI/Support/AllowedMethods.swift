import HTTPTypes
import Hummingbird
import Synchronization

/// The methods each route path answers, so that a known path asked with another method gets
/// 405 and an `Allow` header rather than 404. Filled once the router has all its routes.
final class AllowedMethods: Sendable {
    private struct Route {
        let components: [Substring]
        let method: String
    }

    private let routes = Mutex<[Route]>([])

    func record<Context>(_ router: Router<Context>) {
        let table = router.routes.map { route in
            Route(components: route.path.description.split(separator: "/"), method: route.method.rawValue)
        }
        routes.withLock { $0 = table }
    }

    private static func isCapture(_ pattern: Substring) -> Bool {
        pattern.hasPrefix("{") || pattern.hasPrefix(":") || pattern == "*"
    }

    /// The methods served at `path` (HEAD wherever GET is), or nil when no route has that path.
    func methods(at path: String) -> [String]? {
        let components = path.split(separator: "/")
        let matching = routes.withLock { routes in
            routes.filter { route in
                route.components.count == components.count
                    && zip(route.components, components).allSatisfy { pattern, part in Self.isCapture(pattern) || pattern == part }
            }
        }
        // As the router does, a literal segment wins over a capture: `orders/quote` is not `orders/{id}`.
        let literals = { (route: Route) in route.components.filter { !Self.isCapture($0) }.count }
        let best = matching.map(literals).max()
        let methods = matching.filter { literals($0) == best }.map(\.method)
        guard !methods.isEmpty else { return nil }
        var allowed = Set(methods)
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return allowed.sorted()
    }
}
