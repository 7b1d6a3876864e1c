/// Routes registered under a common path prefix; see `Router.group(_:_:)`.
public struct RouteGroup {
    let prefix: String
    var router: Router

    /// Registers `handler` for `method` on `prefix` + `pattern`.
    public mutating func on(_ method: HTTPMethod, _ pattern: String, handler: @escaping Router.Handler) {
        router.on(method, join(pattern), handler: handler)
    }

    public mutating func get(_ pattern: String, handler: @escaping Router.Handler) { on(.get, pattern, handler: handler) }
    public mutating func post(_ pattern: String, handler: @escaping Router.Handler) { on(.post, pattern, handler: handler) }
    public mutating func put(_ pattern: String, handler: @escaping Router.Handler) { on(.put, pattern, handler: handler) }
    public mutating func patch(_ pattern: String, handler: @escaping Router.Handler) { on(.patch, pattern, handler: handler) }
    public mutating func delete(_ pattern: String, handler: @escaping Router.Handler) { on(.delete, pattern, handler: handler) }

    private func join(_ pattern: String) -> String {
        let base = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        if pattern.isEmpty || pattern == "/" { return base.isEmpty ? "/" : base }
        return base + (pattern.hasPrefix("/") ? pattern : "/" + pattern)
    }
}
