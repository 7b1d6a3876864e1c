import HTTPKit
import MissionCore

/// Deferred responses (wire notes §3): the 202 for a request a reviewer must decide, and the
/// answer to each poll of its pending URL.
enum DeferredResponse {
    /// The pending URL, relative so it stays on the origin the agent called (Docs/Interop.md §5).
    static func location(reviewID: String) -> String { "/pending/" + reviewID }

    /// 202 with `Location`, `Retry-After`, `Cache-Control: no-store` and `AAuth-Requirement`:
    /// `approval`, or `clarification` with the question in the body when one is open (§3.4, §3.5).
    static func pending(reviewID: String, retryAfter: Int, question: String?) -> HTTPResponse {
        var body: [String: WireJSON] = ["status": .string("pending")]
        let requirement: AAuthRequirement
        if let question {
            body["clarification"] = .string(question)
            requirement = .clarification
        } else {
            requirement = .approval
        }
        var response = JSONResponse.make(.object(body), status: .accepted)
        response.headers.add(name: "Location", value: location(reviewID: reviewID))
        response.headers.add(name: "Retry-After", value: RetryAfter.fieldValue(seconds: retryAfter))
        response.headers.add(
            name: "AAuth-Requirement",
            value: (try? requirement.fieldValue()) ?? "requirement=" + requirement.requirement)
        return response
    }

    /// The answer to a poll (wire notes §3.3): 200 with the mission or token, 202 still pending,
    /// 403 `denied`, 408 `expired`, 410 gone, 429 `slow_down`.
    static func answer(_ outcome: ReviewPollOutcome, reviewID: String) -> HTTPResponse {
        switch outcome {
        case .pending(let retryAfter, let question):
            return pending(reviewID: reviewID, retryAfter: retryAfter, question: question)
        case .approved(let mission):
            return JSONResponse.make(Representation.approval(mission))
        case .granted(let token):
            return JSONResponse.make(encoded: Representation.issuedTokenBody(token))
        case .denied(let reason):
            return ErrorMapping.denied(reason: reason)
        case .expired:
            return ErrorMapping.expired()
        case .gone:
            return ErrorMapping.gone()
        case .slowDown(let retryAfter):
            return ErrorMapping.slowDown(retryAfter: retryAfter)
        }
    }

    /// The metrics outcome label of a poll answer.
    static func outcomeLabel(_ outcome: ReviewPollOutcome) -> String? {
        switch outcome {
        case .approved: "approved"
        case .granted: "granted"
        case .denied: "denied"
        case .expired: "expired"
        case .pending, .gone, .slowDown: nil
        }
    }
}
