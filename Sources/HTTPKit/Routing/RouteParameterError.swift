/// A route parameter that the handler required was not captured (a programming slip; 400).
public struct RouteParameterError: HTTPResponseError, Equatable {
    /// The missing parameter's name.
    public var name: String
    public var status: HTTPStatus { .badRequest }
    public var errorCode: String { "invalid_request" }
    public var detail: String? { "missing path parameter \(name)" }
}
