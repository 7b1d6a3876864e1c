/// A set of routes that registers itself (`MissionRoutes`, `TokenRoutes`, ...).
public protocol RouteCollection {
    /// Adds this collection's routes to `router`.
    func register(on router: inout Router)
}
