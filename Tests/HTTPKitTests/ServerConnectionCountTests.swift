import Foundation
import HTTPKit
import Testing

/// `HTTPServer.openConnectionCount` through the public API only (no `@testable`): what an application's gauge reads.
@Suite("Open-connection count")
struct ServerConnectionCountTests {
    @Test("0 before start; 1 while a keep-alive client is connected; 0 again once it leaves")
    func countsOpenConnections() async throws {
        #expect(HTTPServer(responder: makeTestRouter()).openConnectionCount == 0)
        try await withServer { server in
            let port = server.port
            let client = try await blocking { () throws -> RawClient in
                let client = try RawClient(port: port)
                try client.send(rawGET("/hello"))
                _ = try client.readResponse()
                return client
            }
            // The answer came back over a registered, kept-alive connection: it is counted.
            #expect(server.openConnectionCount == 1)
            client.shutdownWrite()
            // The loop closes the connection once it reads the end of stream; wait for that, bounded.
            var waited = 0
            while server.openConnectionCount > 0 && waited < 500 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            #expect(server.openConnectionCount == 0)
        }
    }
}
