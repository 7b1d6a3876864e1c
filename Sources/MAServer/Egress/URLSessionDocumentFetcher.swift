import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Fetches key documents with URLSession (libcurl on Linux) under an `EgressPolicy`: the URL is checked, the host
/// resolved and every address admitted before connecting; redirects are followed only to the same host; the body is
/// streamed and cancelled past the size cap; the whole fetch has a timeout.
///
/// Known limit: libcurl resolves the host again when connecting, so the admitted addresses are not pinned; a DNS
/// answer that changes between the two lookups (rebinding) is not caught. Not testable offline (no HTTPS server
/// here): the policy it applies is tested as pure functions, the registry with an injected fetcher.
public final class URLSessionDocumentFetcher: DocumentFetcher {
    /// The rules applied to every fetch.
    public let policy: EgressPolicy
    private let session: URLSession
    private let guardian: FetchDelegate

    /// Creates a fetcher with its own ephemeral session (no cookies, no cache).
    public init(policy: EgressPolicy) {
        self.policy = policy
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.timeout
        configuration.timeoutIntervalForResource = policy.timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        guardian = FetchDelegate(policy: policy)
        session = URLSession(configuration: configuration, delegate: guardian, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    public func fetch(_ url: URL) async -> Result<[UInt8], EgressError> {
        if case .failure(let error) = policy.check(url) { return .failure(error) }
        guard let host = url.host else { return .failure(.invalidURL("no host")) }
        let literal = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if IPAddress(literal) == nil {
            switch await Self.resolve(literal) {
            case .success(let addresses):
                if case .failure(let error) = policy.admit(addresses) { return .failure(error) }
            case .failure(let error):
                return .failure(error)
            }
        }
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.timeoutInterval = policy.timeout
        let task = session.dataTask(with: request)
        return await withCheckedContinuation { continuation in
            guardian.register(task: task, continuation: continuation)
            task.resume()
        }
    }

    /// `getaddrinfo` on a Dispatch worker, so the blocking lookup never holds a Swift concurrency thread.
    static func resolve(_ host: String) async -> Result<[IPAddress], EgressError> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                #if canImport(Glibc)
                    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                #else
                    hints.ai_socktype = SOCK_STREAM
                #endif
                var list: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, nil, &hints, &list)
                guard status == 0, let first = list else {
                    continuation.resume(returning: .failure(.resolutionFailed(host)))
                    return
                }
                defer { freeaddrinfo(first) }
                var addresses: [IPAddress] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = first
                while let entry = cursor {
                    if let sockaddr = entry.pointee.ai_addr {
                        switch Int32(entry.pointee.ai_family) {
                        case AF_INET:
                            let bytes = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                                withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }
                            }
                            if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                        case AF_INET6:
                            let bytes = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                                withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }
                            }
                            if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                        default:
                            break
                        }
                    }
                    cursor = entry.pointee.ai_next
                }
                continuation.resume(returning: .success(addresses))
            }
        }
    }
}

/// The session delegate: enforces the redirect rule, the status and the size cap per task, and completes each
/// fetch's continuation exactly once.
///
/// `@unchecked Sendable`: an `NSObject` subclass cannot be checked, but its only mutable state is `tasks`, reached
/// only through `Locked`.
final class FetchDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<Result<[UInt8], EgressError>, Never>
        var body: [UInt8] = []
        var error: EgressError?
    }

    private let policy: EgressPolicy
    private let tasks = Locked([Int: Pending]())

    init(policy: EgressPolicy) { self.policy = policy }

    func register(task: URLSessionTask, continuation: CheckedContinuation<Result<[UInt8], EgressError>, Never>) {
        tasks.withLock { $0[task.taskIdentifier] = Pending(continuation: continuation) }
    }

    /// Records the first error of a task; the caller stops the task through the completion handler it was given
    /// (cancelling inside a redirect callback trips swift-corelibs-foundation's state machine).
    private func record(_ task: URLSessionTask, _ error: EgressError) {
        tasks.withLock { tasks in
            if tasks[task.taskIdentifier]?.error == nil { tasks[task.taskIdentifier]?.error = error }
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        guard let original = task.originalRequest?.url, let target = request.url,
            policy.allowsRedirect(from: original, to: target), case .success = policy.check(target)
        else {
            // Not following: the 3xx itself completes the task, and the recorded error wins over its status.
            record(task, .crossHostRedirect(request.url?.host ?? "?"))
            completionHandler(nil)
            return
        }
        completionHandler(request)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            record(dataTask, .httpStatus(status))
            completionHandler(.cancel)
            return
        }
        if response.expectedContentLength > Int64(policy.maxDocumentBytes) {
            record(dataTask, .tooLarge(limit: policy.maxDocumentBytes))
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge = tasks.withLock { tasks -> Bool in
            guard var pending = tasks[dataTask.taskIdentifier] else { return false }
            pending.body.append(contentsOf: data)
            let over = pending.body.count > policy.maxDocumentBytes
            if over { pending.body = [] }
            tasks[dataTask.taskIdentifier] = pending
            return over
        }
        if tooLarge {
            record(dataTask, .tooLarge(limit: policy.maxDocumentBytes))
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let pending = tasks.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if let recorded = pending.error {
            pending.continuation.resume(returning: .failure(recorded))
        } else if let error {
            pending.continuation.resume(returning: .failure(.transport(error.localizedDescription)))
        } else {
            pending.continuation.resume(returning: .success(pending.body))
        }
    }
}
