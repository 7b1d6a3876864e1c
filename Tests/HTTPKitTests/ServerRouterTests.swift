import Foundation
import Testing

@testable import HTTPKit

private struct NotYours: HTTPResponseError {
    var status: HTTPStatus { .forbidden }
    var errorCode: String { "not_yours" }
    var detail: String? { "mission belongs to someone else" }
}

private struct MissionRoutes: RouteCollection {
    func register(on router: inout Router) {
        router.group("/missions") { group in
            group.get("/:s256") { _, params in .text("mission " + (params["s256"] ?? "?")) }
            group.post("/:s256/suspend") { _, params in .text("suspended " + (try params.require("s256"))) }
            group.get("/") { _, _ in .text("list") }
        }
    }
}

private func request(_ method: HTTPMethod, _ target: String) -> HTTPRequest {
    HTTPRequest(method: method, target: target, headers: ["Host": "t"])
}

private func problemMembers(_ response: HTTPResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
}

@Suite("Router")
struct ServerRouterTests {
    private func makeRouter() -> Router {
        var router = Router()
        router.register(MissionRoutes())
        router.get("/missions/special") { _, _ in .text("literal wins") }
        router.get("/forbidden") { _, _ in throw NotYours() }
        router.get("/crash") { _, _ in throw CocoaError(.fileNoSuchFile) }
        router.delete("/things/:id") { _, params in .text("deleted \(params["id"] ?? "")") }
        router.get("/search") { request, _ in .text(request.queryItems.map { "\($0.name)=\($0.value)" }.joined(separator: ",")) }
        return router
    }

    @Test
    func parametersAreCapturedAndDecoded() async {
        let router = makeRouter()
        let response = await router.respond(to: request(.post, "/missions/ab%2Fc%20d/suspend"))
        #expect(response.status == .ok)
        #expect(String(decoding: response.body, as: UTF8.self) == "suspended ab/c d")
    }

    @Test
    func literalSegmentWinsOverParameter() async {
        let router = makeRouter()
        #expect(String(decoding: await router.respond(to: request(.get, "/missions/special")).body, as: UTF8.self) == "literal wins")
        #expect(String(decoding: await router.respond(to: request(.get, "/missions/other")).body, as: UTF8.self) == "mission other")
    }

    @Test
    func groupRootPath() async {
        let router = makeRouter()
        #expect(String(decoding: await router.respond(to: request(.get, "/missions")).body, as: UTF8.self) == "list")
    }

    @Test
    func unknownPathIs404Problem() async throws {
        let response = await makeRouter().respond(to: request(.get, "/nowhere"))
        #expect(response.status == .notFound)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(try problemMembers(response)["error"] as? String == "not_found")
    }

    @Test
    func emptyParameterSegmentDoesNotMatch() async {
        #expect(await makeRouter().respond(to: request(.post, "/missions//suspend")).status == .notFound)
    }

    @Test
    func wrongMethodIs405WithAllow() async {
        let response = await makeRouter().respond(to: request(.put, "/missions/x"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD")
        let deleteOnly = await makeRouter().respond(to: request(.get, "/things/1"))
        #expect(deleteOnly.headers["Allow"] == "DELETE")
    }

    @Test
    func headIsServedByGet() async {
        let response = await makeRouter().respond(to: request(.head, "/missions/x"))
        #expect(response.status == .ok)
        #expect(await makeRouter().respond(to: request(.head, "/missions/special")).status == .ok)
    }

    /// Paths without parameters are found by one lookup (`literalRoutes`); every outcome must be the trie's.
    @Test
    func literalPathsAnswerAsTheTrieDoes() async {
        var router = makeRouter()
        router.post("/token") { _, _ in .text("token") }
        router.get("/a%2Fb") { _, _ in .text("escaped literal") }
        #expect(String(decoding: await router.respond(to: request(.post, "/token")).body, as: UTF8.self) == "token")
        // A percent-encoded spelling of a literal path is decoded by the trie and finds the same route.
        #expect(String(decoding: await router.respond(to: request(.post, "/to%6Ben")).body, as: UTF8.self) == "token")
        // Another method on a literal path: 405 with what the path allows, not a fall-through elsewhere.
        let wrong = await router.respond(to: request(.delete, "/token"))
        #expect(wrong.status == .methodNotAllowed)
        #expect(wrong.headers["Allow"] == "POST")
        let literalOverParameter = await router.respond(to: request(.post, "/missions/special"))
        #expect(literalOverParameter.status == .methodNotAllowed)
        #expect(literalOverParameter.headers["Allow"] == "GET, HEAD")
        // A pattern with `%` matches the decoded path only: its raw spelling is not a route of its own.
        #expect(await router.respond(to: request(.get, "/a%2Fb")).status == .notFound)
        #expect(await router.respond(to: request(.get, "/a%252Fb")).status == .ok)
        #expect(await router.respond(to: request(.get, "/token/")).status == .notFound)
    }

    @Test
    func responseErrorCarriesItsProblem() async throws {
        let response = await makeRouter().respond(to: request(.get, "/forbidden"))
        #expect(response.status == .forbidden)
        let members = try problemMembers(response)
        #expect(members["error"] as? String == "not_yours")
        #expect(members["detail"] as? String == "mission belongs to someone else")
        #expect(members["status"] as? Int == 403)
    }

    @Test
    func otherErrorsAreBare500AndReported() async throws {
        let seen = LogCollector()
        var router = makeRouter()
        router.errorHandler = { _, request in
            seen.append(AccessLogEntry(requestID: "", method: "", path: request.path, status: 500, bytes: 0, duration: .zero, remoteAddress: ""))
        }
        let response = await router.respond(to: request(.get, "/crash"))
        #expect(response.status == .internalServerError)
        #expect(try problemMembers(response)["error"] as? String == "internal_error")
        #expect(!String(decoding: response.body, as: UTF8.self).contains("file"))
        #expect(seen.all.map(\.path) == ["/crash"])
    }

    @Test
    func queryItemsArePercentDecoded() async {
        let response = await makeRouter().respond(to: request(.get, "/search?a=1&b=x%20y&c=p+q&flag&e=%E2%9C%93"))
        #expect(String(decoding: response.body, as: UTF8.self) == "a=1,b=x y,c=p q,flag=,e=✓")
    }

    @Test
    func queryParameterLookup() {
        let r = request(.get, "/x?id=7&id=8&name=a%26b")
        #expect(r.queryParameter("id") == "7")
        #expect(r.queryParameter("name") == "a&b")
        #expect(r.queryParameter("missing") == nil)
    }
}

private struct Tagging: RouterMiddleware {
    let tag: String
    func respond(to request: HTTPRequest, parameters: RouteParameters, next: Router.Handler) async throws -> HTTPResponse {
        var response = try await next(request, parameters)
        response.headers.add(name: "X-Trace", value: tag)
        return response
    }
}

private struct Gate: RouterMiddleware {
    func respond(to request: HTTPRequest, parameters: RouteParameters, next: Router.Handler) async throws -> HTTPResponse {
        guard request.headers.contains("Authorization") else { throw NotYours() }
        return try await next(request, parameters)
    }
}

@Suite("Router middleware")
struct ServerRouterMiddlewareTests {
    private func makeRouter() -> Router {
        var router = Router()
        router.use(Tagging(tag: "outer"))
        router.use(Gate())
        router.use(Tagging(tag: "inner"))
        router.get("/x") { _, _ in .text("x") }
        return router
    }

    @Test
    func layersRunInOrderFirstAddedOutermost() async {
        var request = HTTPRequest(method: .get, target: "/x", headers: ["Host": "t"])
        request.headers.add(name: "Authorization", value: "yes")
        let response = await makeRouter().respond(to: request)
        #expect(response.headers.values(for: "X-Trace") == ["inner", "outer"])
    }

    @Test
    func middlewareErrorsAreMappedLikeHandlerErrors() async {
        let response = await makeRouter().respond(to: HTTPRequest(method: .get, target: "/x", headers: ["Host": "t"]))
        #expect(response.status == .forbidden)
    }

    @Test
    func unmatchedRequestsSkipMiddleware() async {
        let response = await makeRouter().respond(to: HTTPRequest(method: .get, target: "/nope", headers: ["Host": "t"]))
        #expect(response.status == .notFound)
        #expect(response.headers["X-Trace"] == nil)
    }
}

@Suite("Response builders")
struct ServerResponseBuilderTests {
    struct Payload: Encodable { var b: Int; var a: String }

    @Test
    func jsonHasSortedKeysAndContentType() {
        let response = HTTPResponse.json(Payload(b: 1, a: "x/y"), status: .created)
        #expect(response.status == .created)
        #expect(response.headers["content-type"] == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"a":"x/y","b":1}"#)
    }

    @Test
    func problemAlwaysHasErrorAndEscapes() throws {
        let response = HTTPResponse.problem(
            status: .badRequest, error: "invalid_request", detail: "bad \"quote\"\n",
            extra: ["error": .string("override attempt"), "fields": .array([.string("a"), .int(2), .bool(true), .null])])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(object["error"] as? String == "invalid_request")
        #expect(object["detail"] as? String == "bad \"quote\"\n")
        #expect(object["status"] as? Int == 400)
        #expect((object["fields"] as? [Any])?.count == 4)
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }

    @Test
    func headersAreCaseInsensitiveAndOrdered() {
        var headers: HTTPHeaders = ["A": "1", "b": "2"]
        headers.add(name: "a", value: "3")
        #expect(headers["a"] == "1")
        #expect(headers.values(for: "A") == ["1", "3"])
        headers.replaceOrAdd(name: "A", value: "9")
        #expect(headers.values(for: "a") == ["9"])
        #expect(headers.fields.map(\.name) == ["A", "b"])
        headers.remove(name: "B")
        #expect(headers.count == 1)
    }

    @Test
    func serializerRefusesControlCharacters() {
        #expect(!ResponseSerializer.isValid(HTTPResponse(headers: ["X": "a\rb"])))
        #expect(!ResponseSerializer.isValid(HTTPResponse(headers: ["X": "a\u{0}b"])))
        #expect(!ResponseSerializer.isValid(HTTPResponse(headers: ["X\n": "a"])))
        #expect(!ResponseSerializer.isValid(HTTPResponse(status: HTTPStatus(code: 200, reasonPhrase: "OK\r\nX: y"))))
        #expect(ResponseSerializer.isValid(HTTPResponse(headers: ["X": "tab\tand obs-text \u{E9}"])))
    }

    @Test
    func dateIsIMFFixdate() {
        #expect(String(decoding: HTTPDate.format(784111777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
