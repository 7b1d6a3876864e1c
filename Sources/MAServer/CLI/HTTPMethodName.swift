import ArgumentParser
import HTTPKit

/// The methods the helpers send, as command-line words (`get`, `post`, `delete`).
enum HTTPMethodName: String, CaseIterable, ExpressibleByArgument, Sendable {
    case get, post, delete

    var httpMethod: HTTPMethod {
        switch self {
        case .get: .get
        case .post: .post
        case .delete: .delete
        }
    }
}
