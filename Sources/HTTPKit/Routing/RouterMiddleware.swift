/// Code that wraps every matched route: authentication, request logging, headers on every answer.
///
/// ```swift
/// struct RequireSignature: RouterMiddleware {
///     func respond(to request: HTTPRequest, parameters: RouteParameters,
///                  next: Router.Handler) async throws -> HTTPResponse {
///         guard request.headers.contains("Signature") else { throw Unauthorized() }
///         return try await next(request, parameters)
///     }
/// }
/// router.use(RequireSignature())
/// ```
/// Middleware runs only for requests that matched a route (404 and 405 answers skip it), in the
/// order added, the first added outermost. Errors it throws are mapped like a handler's.
public protocol RouterMiddleware: Sendable {
    /// Handles the request, usually by calling `next` and returning (or adjusting) its response.
    func respond(to request: HTTPRequest, parameters: RouteParameters, next: Router.Handler) async throws -> HTTPResponse
}
