import HTTPKit
import MissionCore

/// JSON responses built from MissionCore's `WireJSON` tree and written canonically (sorted
/// members, RFC 8785 escaping), so identical data gives identical bytes.
enum JSONResponse {
    /// `application/json` with `value`; `Cache-Control: no-store` unless `cacheable`.
    static func make(_ value: WireJSON, status: HTTPStatus = .ok, cacheControl: String = "no-store") -> HTTPResponse {
        guard let body = try? CanonicalJSON.encode(value) else {
            // Only a non-finite number can fail, and no representation holds one.
            return .problem(status: .internalServerError, error: "server_error")
        }
        return make(encoded: body, status: status, cacheControl: cacheControl)
    }

    /// `application/json` with `body`, already canonical JSON (the headers `make(_:)` sets).
    static func make(encoded body: [UInt8], status: HTTPStatus = .ok, cacheControl: String = "no-store")
        -> HTTPResponse
    {
        HTTPResponse(
            status: status,
            headers: HTTPHeaders(fields: [
                .init(name: "Content-Type", value: "application/json"),
                .init(name: "Cache-Control", value: cacheControl),
            ]),
            body: body)
    }
}
