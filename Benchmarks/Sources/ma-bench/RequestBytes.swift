import HTTPKit

/// The bytes HTTPKit's `HTTPClient` puts on the wire for a request, for the load client, which writes requests
/// itself: `Host` first when absent, `Content-Length` derived from the body (and sent for every POST), headers in
/// order. Used for the constant admin reads and by the self-check that compares the load client's signed
/// requests with `BenchAgent.sign`'s.
enum RequestBytes {
    /// `request` serialized for `authority` (its `Host` when the request has none).
    static func serialize(_ request: HTTPRequest, authority: String) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "\(request.method.rawValue) \(request.target) HTTP/1.1\r\n".utf8)
        var headers = request.headers
        if !headers.contains("Host") { headers.add(name: "Host", value: authority) }
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
        if !request.body.isEmpty || request.method == .post || request.method == .put || request.method == .patch {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        for field in headers {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: request.body)
        return out
    }
}
