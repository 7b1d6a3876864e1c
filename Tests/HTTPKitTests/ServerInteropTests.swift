import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import HTTPKit

/// The server against an HTTP client nobody here wrote (URLSession, libcurl underneath on Linux).
@Suite("Interoperability with URLSession")
struct ServerInteropTests {
    @Test
    func getAndPostThroughURLSession() async throws {
        try await withServer { server in
            let base = "http://127.0.0.1:\(server.port)"
            let session = URLSession(configuration: .ephemeral)
            defer { session.finishTasksAndInvalidate() }

            let (helloData, helloResponse) = try await session.data(from: try #require(URL(string: base + "/hello")))
            #expect((helloResponse as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: helloData, as: UTF8.self) == "hello")

            var post = URLRequest(url: try #require(URL(string: base + "/echo")))
            post.httpMethod = "POST"
            post.httpBody = Data(#"{"a":[1,2,3]}"#.utf8)
            post.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let (echoData, echoResponse) = try await session.data(for: post)
            #expect((echoResponse as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: echoData, as: UTF8.self) == #"{"a":[1,2,3]}"#)

            let (_, missing) = try await session.data(from: try #require(URL(string: base + "/nope")))
            let http = try #require(missing as? HTTPURLResponse)
            #expect(http.statusCode == 404)
            #expect(http.value(forHTTPHeaderField: "Content-Type") == "application/problem+json")
        }
    }
}
