/// Dispatches requests by method and path pattern; itself an `HTTPResponder`.
///
/// Patterns are `/`-separated literal segments and `:name` parameters:
/// ```swift
/// var router = Router()
/// router.get("/missions/:s256") { request, params in
///     .json(try store.mission(params.require("s256")))
/// }
/// router.post("/missions/:s256/suspend") { request, params in ... }
/// let server = HTTPServer(configuration: config, responder: router)
/// ```
/// A literal segment wins over a parameter at the same depth. A path that matches no pattern
/// answers 404; a path that matches only with other methods answers 405 with `Allow`. HEAD is
/// served by the GET handler (the server drops the body). Errors thrown by handlers become their
/// `HTTPResponseError` response, or a 500 problem with no details (reported to `errorHandler`).
public struct Router: HTTPResponder {
    /// A route handler: the request and its captured path parameters in, a response out.
    public typealias Handler = @Sendable (HTTPRequest, RouteParameters) async throws -> HTTPResponse

    private var root = Node()
    /// The handlers of patterns without parameters, by their path: most requests (`POST /token`)
    /// are found with one lookup instead of splitting the path and walking the trie. Only a fast
    /// path: a literal path finds the same node in the trie, and anything else goes there.
    private var literalRoutes: [String: [HTTPMethod: Route]] = [:]
    private var middleware: [any RouterMiddleware] = []

    /// Called with every error that became a 500, for logging; never shown to the client.
    public var errorHandler: (@Sendable (any Error, HTTPRequest) -> Void)?

    /// Creates an empty router.
    public init() {}

    /// Registers `handler` for `method` on `pattern`; a second registration replaces the first.
    public mutating func on(_ method: HTTPMethod, _ pattern: String, handler: @escaping Handler) {
        let segments = Self.patternSegments(pattern)
        root.insert(segments[...], method: method, handler: handler)
        // A `%` in a literal segment is matched after percent-decoding the path, so such a pattern
        // is not its own raw path.
        if !segments.contains(where: { $0.hasPrefix(":") || $0.contains("%") }) {
            literalRoutes["/" + segments.joined(separator: "/"), default: [:]][method] = Route(handler: handler)
        }
    }

    /// Registers a GET handler (also serving HEAD).
    public mutating func get(_ pattern: String, handler: @escaping Handler) { on(.get, pattern, handler: handler) }
    /// Registers a POST handler.
    public mutating func post(_ pattern: String, handler: @escaping Handler) { on(.post, pattern, handler: handler) }
    /// Registers a PUT handler.
    public mutating func put(_ pattern: String, handler: @escaping Handler) { on(.put, pattern, handler: handler) }
    /// Registers a PATCH handler.
    public mutating func patch(_ pattern: String, handler: @escaping Handler) { on(.patch, pattern, handler: handler) }
    /// Registers a DELETE handler.
    public mutating func delete(_ pattern: String, handler: @escaping Handler) { on(.delete, pattern, handler: handler) }

    /// Wraps every route (registered before or after this call) in `middleware`.
    public mutating func use(_ middleware: some RouterMiddleware) {
        self.middleware.append(middleware)
    }

    /// Lets a route collection register its routes.
    public mutating func register(_ collection: some RouteCollection) {
        collection.register(on: &self)
    }

    /// Registers the routes added by `build` under `prefix` (e.g. `/missions`).
    public mutating func group(_ prefix: String, _ build: (inout RouteGroup) -> Void) {
        var group = RouteGroup(prefix: prefix, router: self)
        build(&group)
        self = group.router
    }

    /// Finds the route for `method` and a percent-encoded `path`.
    public func match(method: HTTPMethod, path: String) -> RouteMatch {
        if let handlers = literalRoutes[path] {
            if let route = handlers[method] { return .found(route.handler, RouteParameters()) }
            if method == .head, let route = handlers[.get] { return .found(route.handler, RouteParameters()) }
        }
        var segments: [Substring] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            segments.append(raw)
        }
        if path.first != "/" { return .notFound }
        var params = RouteParameters()
        guard let node = root.find(segments[...], params: &params) else { return .notFound }
        if let route = node.handlers[method] { return .found(route.handler, params) }
        if method == .head, let route = node.handlers[.get] { return .found(route.handler, params) }
        if node.handlers.isEmpty { return .notFound }
        var allowed = Set(node.handlers.keys.map(\.rawValue))
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed.sorted())
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch match(method: request.method, path: request.path) {
        case .notFound:
            return .problem(status: .notFound, error: "not_found")
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.problem(status: .methodNotAllowed, error: "method_not_allowed")
            response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
            return response
        case .found(let handler, let params):
            do {
                if middleware.isEmpty { return try await handler(request, params) }
                var chain = handler
                for layer in middleware.reversed() {
                    let next = chain
                    chain = { request, params in try await layer.respond(to: request, parameters: params, next: next) }
                }
                return try await chain(request, params)
            } catch let error as any HTTPResponseError {
                return error.makeResponse()
            } catch {
                errorHandler?(error, request)
                return .problem(status: .internalServerError, error: "internal_error")
            }
        }
    }

    static func patternSegments(_ pattern: String) -> [Substring] {
        let trimmed = pattern.hasPrefix("/") ? pattern.dropFirst() : pattern[...]
        return trimmed.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// The outcome of matching a method and path.
    public enum RouteMatch: Sendable {
        case found(Handler, RouteParameters)
        case notFound
        /// The path exists with other methods, listed for `Allow`.
        case methodNotAllowed([String])
    }

    /// A registered handler. Kept in a struct because a closure stored directly as a Dictionary value is held
    /// in the generic (indirect) representation: reading it back builds a reabstraction thunk, one heap
    /// context per lookup, which showed as a malloc per `match` (twice per request behind MAServer).
    private struct Route: Sendable {
        let handler: Handler
    }

    /// A trie node: literal children are tried before the parameter child.
    private struct Node: Sendable {
        var literals: [Substring: Node] = [:]
        var parameterName: String?
        var parameter: [Node] = []  // zero or one element (a struct cannot contain itself directly)
        var handlers: [HTTPMethod: Route] = [:]

        mutating func insert(_ segments: ArraySlice<Substring>, method: HTTPMethod, handler: @escaping Handler) {
            guard let first = segments.first else {
                handlers[method] = Route(handler: handler)
                return
            }
            let rest = segments.dropFirst()
            if first.hasPrefix(":") {
                // Two patterns with different parameter names at one depth share the first name.
                if parameter.isEmpty {
                    parameterName = String(first.dropFirst())
                    parameter = [Node()]
                }
                parameter[0].insert(rest, method: method, handler: handler)
            } else {
                literals[first, default: Node()].insert(rest, method: method, handler: handler)
            }
        }

        func find(_ segments: ArraySlice<Substring>, params: inout RouteParameters) -> Node? {
            guard let first = segments.first else { return self }
            let rest = segments.dropFirst()
            // Most segments have no escapes: look them up without building a new string.
            let decoded: Substring
            if first.utf8.contains(UInt8(ascii: "%")) {
                guard let text = PercentDecoding.decode(first.utf8) else { return nil }
                decoded = Substring(text)
            } else {
                decoded = first
            }
            if let child = literals[decoded], let found = child.find(rest, params: &params) {
                return found
            }
            if let name = parameterName, !first.isEmpty, let child = parameter.first {
                params.append(name: name, value: String(decoded))
                if let found = child.find(rest, params: &params) { return found }
                params.removeLast()
            }
            return nil
        }
    }
}
